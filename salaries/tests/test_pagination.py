"""Pages of the partner API's lists, and the citation every answer carries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salaries.models import StatsRun
from salaries.tests.support import api_slices  # noqa: F401 (the "published" fixture)

pytestmark = pytest.mark.django_db


# --- Citation ---


def test_every_statistics_answer_says_when_how_and_from_how_many(api, published):
    run = StatsRun.objects.latest()
    listing = api.get("/api/v1/stats/").json()
    detail = api.get("/api/v1/stats/back-end/flask/2024/").json()
    history = api.get("/api/v1/stats/back-end/flask/").json()
    for body in (listing, listing["results"][0], detail, history):
        assert body["methodology"] == "http://testserver/api/#methodology"
        assert body["min_sample_size"] == 5
    for body in (listing, history):
        assert body["computed_at"] == run.finished_at.isoformat().replace("+00:00", "Z")
    assert detail["computed_at"] == listing["computed_at"]


def test_catalogue_lists_carry_the_citation_too(api, published):
    body = api.get("/api/v1/technologies/").json()
    assert body["min_sample_size"] == 5 and body["methodology"].endswith("/api/#methodology")


# --- Pagination ---


def test_pages_link_to_each_other_in_the_body_and_the_link_header(api, published):
    first = api.get("/api/v1/stats/?page_size=4")
    body = first.json()
    assert (body["count"], len(body["results"]), body["previous"]) == (11, 4, None)
    assert body["next"] == "http://testserver/api/v1/stats/?page=2&page_size=4"
    assert first["Link"] == f'<{body["next"]}>; rel="next"'
    last = api.get("/api/v1/stats/?page_size=4&page=3")
    assert len(last.json()["results"]) == 3 and last.json()["next"] is None
    assert 'rel="prev"' in last["Link"] and 'rel="next"' not in last["Link"]
    seen = [
        (r["specialization"], r["technology"], r["year"])
        for page in (1, 2, 3)
        for r in api.get(f"/api/v1/stats/?page_size=4&page={page}").json()["results"]
    ]
    assert len(set(seen)) == 11, "every slice once across the pages"


@pytest.mark.parametrize("size", ["501", "100000", "0", "-1", "abc", "²", "1e400", "9" * 10_000])
def test_a_page_size_outside_1_to_500_is_a_400_not_a_silent_clamp(api, published, size):
    response = api.get("/api/v1/stats/", {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {
        "page_size": [
            "Give a whole number of results per page from 1 to 500; for more, follow the "
            "next links."
        ]
    }


def test_page_size_500_and_an_empty_one_are_fine(api, published):
    assert len(api.get("/api/v1/stats/?page_size=500").json()["results"]) == 11
    assert api.get("/api/v1/stats/?page_size=").status_code == 200


def test_queries_per_list_page_do_not_grow_with_the_page_size(api, published, make_key):
    _, key = make_key()
    # The generation, the content version and the key are in the cache from now on.
    api.get("/api/v1/specializations/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    counts = {}
    for size in (1, 11):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(
                f"/api/v1/stats/?page_size={size}&specialization=back-end",
                HTTP_AUTHORIZATION=f"Api-Key {key}",
            )
        assert response.status_code == 200
        counts[size] = len(queries)
    # The slug check, the count, the page, the latest run.
    assert counts[1] == counts[11] == 4, counts
