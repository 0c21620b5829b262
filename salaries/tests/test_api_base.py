"""What every partner API endpoint shares: conditional requests and the response cache,
and answers that name the statistics run they come from."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory
from salaries.models import StatsRun, Technology
from salaries.tests.support import api_slices  # noqa: F401 (the "published" fixture)

pytestmark = pytest.mark.django_db


# --- Conditional requests and the response cache ---


def test_answers_carry_etag_last_modified_and_cache_control(api, published):
    response = api.get("/api/v1/stats/back-end/flask/2024/")
    run = StatsRun.objects.latest()
    generation = run.pk
    assert re.fullmatch(rf'"g{generation}-[0-9a-f]{{20}}"', response["ETag"])
    assert response["Last-Modified"] == run.finished_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert response["Cache-Control"] == "private, max-age=300"
    assert "Accept" in response["Vary"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stats/back-end/flask/2024/",
        "/api/v1/stats/?year=2024",
        "/api/v1/stats/?year=2024&format=csv",
        "/api/v1/stats/all/all/",
        "/api/v1/technologies/",
    ],
)
def test_a_matching_if_none_match_gets_a_304(api, published, url):
    first = api.get(url)
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH='"g0-stale"').status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/stats/back-end/flask/2024/", "/api/v1/stats/?year=2024"])
def test_a_stale_if_match_gets_a_412_in_json_and_a_current_one_the_figures(api, published, url):
    etag = api.get(url)["ETag"]
    stale = api.get(url, HTTP_IF_MATCH='"g0-stale"')
    assert stale.status_code == 412
    assert stale["Content-Type"].startswith("application/json")
    assert stale.json()["code"] == "precondition_failed"
    assert api.get(url, HTTP_IF_MATCH=etag).status_code == 200


def test_a_304_needs_no_query_once_the_generation_is_cached(api, published):
    etag = api.get("/api/v1/stats/?year=2024")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/stats/?year=2024", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and len(queries) == 0


def test_each_representation_has_its_own_etag(api, published):
    etags = {
        api.get(url)["ETag"]
        for url in (
            "/api/v1/stats/",
            "/api/v1/stats/?format=csv",
            "/api/v1/stats/?page=2&page_size=5",
            "/api/v1/stats/?year=2024",
        )
    }
    assert len(etags) == 4


def test_a_cached_answer_is_served_without_queries_and_byte_for_byte(api, published):
    first = api.get("/api/v1/stats/?year=2024&format=csv")
    with CaptureQueriesContext(connection) as queries:
        second = api.get("/api/v1/stats/?year=2024&format=csv")
    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]


def test_a_new_statistics_run_refreshes_every_cached_answer(api, published):
    url = "/api/v1/stats/all/all/2024/"
    before = api.get(url)
    OfferFactory(salary=5200)
    salary_stats_refresh(min_offers=5)
    after = api.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["offers"] == before.json()["offers"] + 1
    assert after["ETag"] != before["ETag"]


def test_a_rename_refreshes_cached_answers(api, published):
    assert api.get("/api/v1/technologies/flask/").json()["name"] == "Flask"
    flask = Technology.objects.get(slug="flask")
    flask.name = "Flask (Python)"
    flask.save()
    assert api.get("/api/v1/technologies/flask/").json()["name"] == "Flask (Python)"


def test_errors_are_not_cached_and_carry_no_etag(api, published):
    assert "ETag" not in api.get("/api/v1/stats/back-end/flask/2031/")
    assert "ETag" not in api.get("/api/v1/stats/?year=abc")


def test_a_run_published_mid_request_is_named_in_the_etag_and_not_cached_as_the_old_one(
    api, published, monkeypatch
):
    """The generation is read before the figures; when a run lands in between, the answer
    (new figures) must not carry, or be stored under, the old generation."""
    from salaries import pagination

    old = StatsRun.objects.latest().pk
    real = pagination.selectors.stats_run_latest

    def newer_run():
        run = real()
        run.pk = old + 1  # as if the next run had committed after the generation was read
        return run

    from django.core.cache import cache

    from salaries import api_base as api_module

    stored = []
    real_set = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: stored.append(key) or real_set(key, *a, **k)
    )
    monkeypatch.setattr(pagination.selectors, "stats_run_latest", newer_run)
    response = api.get("/api/v1/stats/back-end/flask/2024/")
    assert response.status_code == 200
    assert response["ETag"].startswith(f'"g{old + 1}-')
    assert not [key for key in stored if key.startswith(api_module.ENTRY_PREFIX)]
    monkeypatch.setattr(pagination.selectors, "stats_run_latest", real)
    again = api.get("/api/v1/stats/back-end/flask/2024/")
    assert again["ETag"].startswith(f'"g{old}-')
    assert [key for key in stored if key.startswith(api_module.ENTRY_PREFIX)]  # now stored
