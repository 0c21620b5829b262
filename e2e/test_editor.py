"""An editor writes an article with a live salary block in the real Wagtail admin, and a
visitor reads the live figures on the published page."""

import secrets
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import ArticleIndexPage, ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor():
    password = secrets.token_urlsafe(12)
    get_user_model().objects.create_superuser("editor", "editor@example.com", password)
    return "editor", password


@pytest.fixture
def reference_figures():
    """The demo's reference slice, Back-End × Flask × 2024: 571 offers, median $7,707, and
    the page tree (which earlier transactional tests may have emptied)."""
    call_command("load_demo_data", "--offers", "0", stdout=StringIO())
    call_command("compute_salary_stats", stdout=StringIO())


def choose_snippet(page, block, label: str, name: str):
    block.get_by_role("button", name=f"Choose {label}").click()
    modal = page.locator(".modal-content")
    modal.locator("input[name='q']").fill(name)  # the list is paginated; search narrows it
    modal.get_by_role("link", name=name, exact=True).click()
    modal.wait_for(state="hidden")


def test_editor_publishes_a_live_salary_block_and_a_visitor_sees_the_figures(
    live_server, browser, editor, reference_figures
):
    index = ArticleIndexPage.objects.get(slug="articles")
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)  # publishing under a loaded CI machine can take a while
    admin = context.new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.get_by_label("Username").fill(editor[0])
    admin.get_by_label("Password").fill(editor[1])
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(f"{live_server.url}/admin/")

    admin.goto(f"{live_server.url}/admin/pages/add/articles/articlepage/{index.pk}/")
    admin.locator("#id_title").fill("What Flask developers earn")
    admin.locator("#id_intro").fill("Live figures for back-end developers who use Flask.")

    admin.locator(
        "[data-streamfield-stream-container] button[title='Insert a block']"
    ).first.click()
    admin.get_by_role("option", name="Live salary").click()
    block = admin.locator("[data-contentpath='body'] [data-streamfield-child]").first
    choose_snippet(admin, block, "specialization", "Back-End")
    choose_snippet(admin, block, "technology", "Flask")
    block.locator("input[name$='-value-year']").fill("2024")

    admin.get_by_role("button", name="More actions").click()
    admin.locator("button[name='action-publish']").click()
    admin.wait_for_url(f"{live_server.url}/admin/pages/{index.pk}/**")
    context.close()

    article = ArticlePage.objects.get(title="What Flask developers earn")
    assert article.live
    visitor = browser.new_page()
    visitor.goto(f"{live_server.url}{article.url}")
    figures = visitor.locator(".live-salary")
    assert "Back-End Web Developer with Flask Salary in 2024" in figures.inner_text()
    cards = figures.locator(".stat-card__value").all_inner_texts()
    assert cards[:2] == ["571", "$7,707"]
    assert figures.locator("svg.chart rect").count() > 10
    visitor.close()
