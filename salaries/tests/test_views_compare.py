"""Comparison pages (``salaries/views/compare.py``) over HTTP: the canonical order, the
figures of each side, noindex when a side is withheld, links, the article and the
sitemap."""

import re

import pytest

from portal.tests.support import text_of
from salaries.selectors import salary_stat_get
from salaries.views.compare import comparison_sitemap_items

pytestmark = pytest.mark.django_db

PAGE = "/salaries/compare/back-end/django-vs-flask/2024/"


def money(value) -> str:
    return f"${value:,}"


def test_page_shows_each_sides_figures_in_columns(client, published):
    flask = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    django = salary_stat_get(specialization="back-end", technology="django", year=2024)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1>\s*Django vs\. Flask: Back-End Web Developer Salaries in 2024", html)
    text = text_of(response)
    assert f"Offers {django.offers:,} {flask.offers:,}" in text
    assert f"Candidates {django.candidates:,} {flask.candidates:,}" in text
    per = [f"{s.offers / s.candidates:.1f}" for s in (django, flask)]
    assert f"Offers per candidate {per[0]} {per[1]}" in text
    assert f"Median per month {money(django.median)} {money(flask.median)}" in text
    assert f"25th percentile {money(django.p25)} {money(flask.p25)}" in text
    assert "noindex" not in html
    assert f'<link rel="canonical" href="http://testserver{PAGE}">' in html
    # The charts carry their text alternatives and name both sides.
    for chart in ("compare-histogram", "compare-trend"):
        svg = re.search(
            rf'<svg class="chart[^"]*"[^>]*aria-labelledby="{chart}-title.*?</svg>', html, re.S
        )
        assert svg and "Django" in svg.group(0) and "Flask" in svg.group(0)
        assert f'<desc id="{chart}-desc">' in svg.group(0)
    senior = flask.by_seniority.get("senior")
    if senior and senior["median"] is not None:
        assert money(senior["median"]) in text


@pytest.mark.parametrize(
    "path",
    [
        "/salaries/compare/back-end/flask-vs-django/2024/",
        "/salaries/compare/Back-End/flask-vs-django/2024/",
    ],
)
def test_other_orders_move_to_the_alphabetical_address(client, published, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1] == (PAGE, 301)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/salaries/compare/back-end/flask/2024/",
        "/salaries/compare/back-end/flask-vs-flask/2024/",
        "/salaries/compare/back-end/all-vs-flask/2024/",
        "/salaries/compare/back-end/cobol-vs-flask/2024/",
        "/salaries/compare/back-end/django-vs-fastapi-vs-flask-vs-react/2024/",
        "/salaries/compare/nowhere/django-vs-flask/2024/",
        "/salaries/compare/back-end/django-vs-flask/1999/",
        "/salaries/compare/back-end/django-vs--vs-flask/2024/",
    ],
)
def test_anything_else_is_a_real_404(client, published, path):
    assert client.get(path).status_code == 404


def test_three_sides_and_a_withheld_one_make_a_noindex_page(client, published):
    response = client.get("/salaries/compare/back-end/django-vs-fastapi-vs-flask/2024/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "not enough data to publish" in text_of(response)


def test_salary_pages_link_their_related_technologies_comparisons(client, published):
    html = client.get("/salaries/back-end/flask/2024/").content.decode()
    assert f'href="{PAGE}"' in html
    assert 'href="/salaries/compare/back-end/fastapi-vs-flask/2024/"' in html


def test_sitemap_lists_only_related_pairs_that_both_publish(published):
    # Flask is related to Django (both publish in 2024) and FastAPI (withheld); React is
    # unrelated; in 2023 Django has no slice.
    assert comparison_sitemap_items() == [PAGE]


def test_the_article_comparing_the_same_technologies_is_linked(client, published, make_article):
    flask, django = published["flask"], published["django"]
    make_article(
        [
            {
                "type": "alternative",
                "value": {"name": "Django", "summary": "<p>Batteries.</p>", "pros": [], "cons": []},
            }
        ],
        title="Flask and its alternatives",
        topic_technology=flask,
    )
    make_article([], title="Flask alone", topic_technology=flask)
    text = text_of(client.get(PAGE))
    assert "Flask and its alternatives" in text
    assert "Flask alone" not in text
    assert django  # the other side is named by the alternative block
