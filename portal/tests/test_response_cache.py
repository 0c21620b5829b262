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


# --- Restricted pages never reach the shared cache ---


def _restrict(page, kind, **fields):
    return PageViewRestriction.objects.create(page=page, restriction_type=kind, **fields)


def test_a_page_for_logged_in_users_is_not_cached_for_anyone_once_a_member_read_it(
    client, admin_client, make_article
):
    page = make_article([demo.paragraph("<p>Staff notes.</p>")])
    _restrict(page, PageViewRestriction.LOGIN)
    member = admin_client.get(page.url)
    assert member.status_code == 200 and "Staff notes." in member.content.decode()
    assert "public" not in member["Cache-Control"]
    assert "private" in member["Cache-Control"] and "no-store" in member["Cache-Control"]
    anonymous = client.get(page.url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert "Staff notes." not in anonymous.content.decode()


def test_a_password_page_asks_every_visitor_for_the_password(client, make_article):
    from django.test import Client

    page = make_article([demo.paragraph("<p>Behind a password.</p>")])
    restriction = _restrict(page, PageViewRestriction.PASSWORD, password="s3cret-word")
    form = client.get(page.url)
    assert 'name="password"' in form.content.decode()
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "s3cret-word", "return_url": page.url},
    )
    reader = client.get(page.url)
    assert "Behind a password." in reader.content.decode()
    assert "public" not in reader["Cache-Control"]
    stranger = Client().get(page.url).content.decode()
    assert "Behind a password." not in stranger and 'name="password"' in stranger


def test_a_restriction_on_an_ancestor_keeps_its_pages_out_of_the_cache(
    client, admin_client, make_article, index
):
    from django.contrib.auth.models import Group

    page = make_article([demo.paragraph("<p>Editors' corner.</p>")])
    restriction = _restrict(index, PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get_or_create(name="Editors")[0])
    assert "Editors' corner." in admin_client.get(page.url).content.decode()  # a superuser
    anonymous = client.get(page.url)
    assert anonymous.status_code == 302
    assert "Editors' corner." not in anonymous.content.decode()


# --- The key: host, path and only what the view reads ---


def test_a_page_cached_under_one_host_does_not_answer_another(client, published, settings):
    settings.ALLOWED_HOSTS = ["testserver", "a.example", "b.example"]
    first = client.get(SALARY_PAGE, HTTP_HOST="a.example").content.decode()
    second = client.get(SALARY_PAGE, HTTP_HOST="b.example").content.decode()
    assert 'href="http://a.example/salaries/back-end/flask/2024/"' in first
    assert "a.example" not in second and "b.example" in second


def test_a_host_the_site_does_not_serve_is_refused_even_when_the_page_is_cached(client, published):
    assert client.get(SALARY_PAGE).status_code == 200
    assert client.get(SALARY_PAGE, HTTP_HOST="evil.example").status_code == 400


def test_parameters_a_page_does_not_read_share_its_entry(
    client, published, django_assert_num_queries
):
    plain = client.get(SALARY_PAGE)
    with django_assert_num_queries(0):
        tracked = client.get(SALARY_PAGE + "?utm_source=news&fbclid=abc")
    assert tracked.content == plain.content


def test_reordered_parameters_share_one_entry_and_read_ones_still_tell_pages_apart(
    client, published, django_assert_num_queries
):
    first = client.get("/salaries/?year=2024&ordering=median&specialization=back-end")
    with django_assert_num_queries(0):
        again = client.get("/salaries/?specialization=BACK-END&ordering=median&year=2024")
    assert again.content == first.content
    other_year = client.get("/salaries/?year=2023&ordering=median&specialization=back-end")
    assert other_year.content != first.content


def test_a_stray_parameter_never_shows_up_on_another_visitors_page(client, published):
    client.get("/salaries/?year=2024&utm_campaign=zzcampaignzz")
    assert "zzcampaignzz" not in client.get("/salaries/?year=2024").content.decode()


def test_api_answers_share_entries_across_stray_and_reordered_parameters(client, published):
    first = client.get("/api/v1/stats/?page_size=1&ordering=median&utm_source=zzmailzz")
    assert first.status_code == 200
    assert "zzmailzz" not in first.content.decode()  # not even in the next link
    again = client.get("/api/v1/stats/?ordering=median&page_size=1")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert (
        first.json()["next"] == "http://testserver/api/v1/stats/?ordering=median&page=2&page_size=1"
    )
