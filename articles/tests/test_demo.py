"""The demo articles: loaded by ``load_demo_data``, safe to load twice, and the Flask guide
carries every section of the reference page with live figures."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from articles.demo import ARTICLES
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db

FLASK_GUIDE = "/articles/back-end-developer-flask-salary-guide/"


@pytest.fixture
def demo_loaded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", "--offers", "0", stdout=StringIO())
        call_command("compute_salary_stats", stdout=StringIO())


def test_demo_articles_are_published_once_however_often_the_loader_runs(demo_loaded):
    assert ArticlePage.objects.live().count() == len(ARTICLES) >= 3
    output = StringIO()
    call_command("load_demo_data", "--offers", "0", stdout=output)
    assert ArticlePage.objects.count() == len(ARTICLES)
    assert f"0 published, {len(ARTICLES)} already there" in output.getvalue()


def test_an_edited_demo_article_is_left_as_the_editor_has_it(demo_loaded):
    page = ArticlePage.objects.get(slug="django-developer-salary-guide")
    page.title = "Django, edited"
    page.save_revision().publish()
    call_command("load_demo_data", "--offers", "0", stdout=StringIO())
    assert ArticlePage.objects.get(pk=page.pk).title == "Django, edited"


def test_flask_guide_has_every_section_and_the_reference_figures(client, demo_loaded):
    response = client.get(FLASK_GUIDE)
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    # The live salary block for Back-End × Flask × 2024.
    assert "Back-End Web Developer with Flask Salary in 2024" in text
    assert "Total offers 571" in text and "Median salary expectation $7,707" in text
    for section in (
        "What a back-end developer does",
        "Skills the role needs",
        "Where Flask is used",
        "Alternatives to Flask",
        "Flask facts and history",
        "Salary by seniority",
        "Top technologies used with Flask",
    ):
        assert section in text, section
    for alternative in ("Django", "Express.js", "FastAPI"):
        assert re.search(rf'rel="noopener">{re.escape(alternative)}</a></h3>', html)
    assert html.count('class="code-block"') >= 8  # samples in the body, cards and the list
    for fact in (
        "April Fools",
        "0.1 · April 2010",
        "1.0 · April 2018",
        "2.0 · May 2021",
        "3.0 · September 2023",
    ):
        assert fact in text, fact
    for level in ("Junior", "Middle", "Senior", "Expert"):
        assert re.search(rf'<th scope="row">{level}</th>', html)


def test_every_demo_article_renders_with_its_live_topic_header(client, demo_loaded):
    for article in ARTICLES:
        page = ArticlePage.objects.get(slug=article.slug)
        html = client.get(page.url).content.decode()
        assert article.title in html
        assert 'class="topic-header"' in html
