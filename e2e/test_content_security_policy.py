"""The Content Security Policy in a real browser: the public site, the Wagtail admin (with
its page editor, choosers and preview) and the API docs all work under it, with no
violation reported."""

import secrets
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import ArticleIndexPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_with_data():
    call_command("load_demo_data", "--offers", "0", stdout=StringIO())
    call_command("compute_salary_stats", stdout=StringIO())
    password = secrets.token_urlsafe(12)
    get_user_model().objects.create_superuser("csp-editor", "e@example.com", password)
    return "csp-editor", password


# Redoc's bundle always draws its vendor's logo from a CDN; the policy blocks it on
# purpose (the docs load nothing from elsewhere), so that one report is expected.
EXPECTED = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)


def watch(page) -> list[str]:
    """Every CSP violation the page reports, from the console and from the DOM event."""
    seen: list[str] = []

    def record(message) -> None:
        text = message.text
        if "Content Security Policy" in text and not any(url in text for url in EXPECTED):
            seen.append(text)

    page.on("console", record)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + "
        "' ' + e.blockedURI))"
    )
    return seen


def test_public_pages_and_api_docs_run_under_the_policy(live_server, page, site_with_data):
    violations = watch(page)
    for path in (
        "/",
        "/salaries/",
        "/salaries/back-end/flask/2024/",
        "/articles/back-end-developer-flask-salary-guide/",
        "/newsletter/",
        "/search/?q=flask",
        "/api/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        policy = dict(
            part.strip().split(" ", 1)
            for part in response.headers["content-security-policy"].split(";")
        )
        assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
    page.goto(live_server.url + "/api/v1/docs/")
    page.get_by_text("/api/v1/stats/", exact=False).first.wait_for()
    page.goto(live_server.url + "/api/v1/redoc/")
    page.locator(".redoc-wrap, redoc").first.wait_for()
    # The copy button of code samples is added by a script: scripts run.
    page.goto(live_server.url + "/articles/back-end-developer-flask-salary-guide/")
    assert page.locator(".code-block__copy").first.is_visible()
    assert violations == []


def test_the_admin_and_its_page_editor_run_under_the_policy(live_server, page, site_with_data):
    violations = watch(page)
    username, password = site_with_data
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    index = ArticleIndexPage.objects.get(slug="articles")
    page.goto(f"{live_server.url}/admin/pages/add/articles/articlepage/{index.pk}/")
    page.locator("#id_title").fill("Under the policy")
    body = page.locator("[data-streamfield-stream-container]")
    body.locator("button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Live salary").click()
    page.get_by_role("button", name="Choose specialization").first.click()
    page.locator(".modal-content").get_by_role("link", name="Back-End", exact=True).click()
    page.locator(".modal-content").wait_for(state="hidden")
    page.goto(f"{live_server.url}/admin/snippets/salaries/technology/")
    page.get_by_role("link", name="Flask", exact=True).first.wait_for()
    assert violations == []
