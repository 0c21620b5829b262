"""The page cache: one lookup per request, hits answered above the session/auth/CSRF
layers with the headers a full response has, and nothing served that has gone stale or
been restricted since it was cached."""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from articles import demo
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db

SALARY_PAGE = "/salaries/back-end/flask/2024/"


@pytest.fixture
def lookups(monkeypatch):
    """Counts the cache's get_many calls (each one a round trip to Redis in production)."""
    calls = []
    real = cache.get_many

    def counting(keys, *args, **kwargs):
        calls.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counting)
    return calls


def test_a_miss_costs_one_lookup_and_a_hit_one_lookup_and_no_query(
    client, published, lookups, django_assert_num_queries
):
    first = client.get(SALARY_PAGE)
    assert first.status_code == 200 and len(lookups) == 1
    with django_assert_num_queries(0):
        second = client.get(SALARY_PAGE)
    assert len(lookups) == 2
    assert second.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "X-Frame-Options", "Content-Type"):
        assert second[header] == first[header], header
    assert second["Content-Length"] == str(len(second.content))
    assert "Set-Cookie" not in second.headers and "Cookie" not in second.get("Vary", "")


def test_hits_are_answered_before_the_view_runs(client, make_article, monkeypatch):
    page = make_article([demo.paragraph("<p>Served early.</p>")])
    assert "Served early." in client.get(page.url).content.decode()

    def broken(*args, **kwargs):
        raise AssertionError("the view ran for a cached page")

    monkeypatch.setattr(ArticlePage, "serve", broken)
    assert "Served early." in client.get(page.url).content.decode()


def test_paths_that_are_never_cached_pages_cost_no_lookup(client, admin_client, lookups):
    client.get("/healthz")
    client.get("/api/v1/")
    client.get("/newsletter/")
    admin_client.get("/admin/")
    assert lookups == []


def test_a_page_restricted_after_it_was_cached_is_not_served_from_the_cache(client, make_article):
    page = make_article([demo.paragraph("<p>Members only, soon.</p>")])
    assert "Members only, soon." in client.get(page.url).content.decode()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-word"
    )
    html = client.get(page.url).content.decode()
    assert "Members only, soon." not in html
    assert 'name="password"' in html


def test_an_unpublished_page_is_not_served_from_the_cache(client, make_article):
    page = make_article([demo.paragraph("<p>Short-lived.</p>")])
    assert client.get(page.url).status_code == 200
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_deleted_page_is_not_served_from_the_cache(client, make_article):
    page = make_article([demo.paragraph("<p>Gone soon.</p>")])
    url = page.url
    assert client.get(url).status_code == 200
    page.delete()
    assert client.get(url).status_code == 404


def test_conditional_get_on_a_hit_answers_304(client, published):
    etag = client.get(SALARY_PAGE)["ETag"]
    again = client.get(SALARY_PAGE, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
