"""What every public salary page shares: how withheld figures look to a visitor, and how
the pages cache (conditional requests, freshness after a run, constant query counts)."""

import datetime
import json
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.tests.support import text_of
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, TechnologyFactory, add_offers
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db

SALARY_PAGE = "/salaries/back-end/flask/2024/"


# --- Disclosure control: what a withheld figure looks like to a visitor ---

DOMINATED = "9,111"  # conftest.DOMINATED_SALARY as a page would print it


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/salaries/back-end/flask/2024/", "one candidate holds half or more of the offers"),
        ("/salaries/all/flask/2024/", "one candidate holds half or more of the offers"),
        ("/salaries/front-end/react/2024/", "fewer than 5 candidates"),
    ],
)
def test_a_withheld_slice_says_not_enough_data_to_publish_and_why(
    client, withheld_slices, path, reason
):
    response = client.get(path)
    assert response.status_code == 200
    text = text_of(response)
    assert "Median salary expectation i What is this? Not enough data to publish" in text
    assert reason.capitalize() in text
    assert f"there is not enough data to publish salary figures ({reason})" in text
    assert "Not enough data to publish 10 offers from" in text, "counts stay published"
    html = response.content.decode()
    assert DOMINATED not in html and "9111" not in html
    assert "application/ld+json" not in html and "chart--bars" not in html
    assert response["X-Robots-Tag"] == "noindex"
    assert not re.search(r"\$\d", text.split("How the figures are computed")[0])


def test_a_slice_withheld_for_its_tails_shows_the_rest(client, withheld_slices):
    response = client.get("/salaries/back-end/django/2024/")
    text, html = text_of(response), response.content.decode()
    reason = "fewer than 10 candidates for the 10th and 90th percentiles"
    assert "Median salary expectation i What is this? $4,400" in text
    assert f"10th percentile not enough data to publish ({reason})" in text
    assert f"90th percentile not enough data to publish ({reason})" in text
    assert "4,080" not in html and "4,720" not in html, "p10 and p90 appear nowhere"
    assert "strip__whisker" not in html
    assert not response.has_header("X-Robots-Tag"), "published: search engines may index it"
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    distribution = json.loads(raw)["estimatedSalary"][0]
    assert distribution["median"] == 4400
    assert "percentile10" not in distribution and "percentile90" not in distribution


def test_a_level_withheld_by_the_complement_rule_says_so(client, withheld_slices):
    text = text_of(client.get("/salaries/back-end/fastapi/2024/"))
    assert (
        "Senior 10 5 not enough data to publish (too few people outside this group "
        "(fewer than 5 other candidates))"
    ) in text
    assert "Median salary expectation i What is this? $6,100" in text, "the slice publishes"


def test_the_methodology_explains_the_rules_with_the_configured_numbers(
    client, withheld_slices, settings
):
    settings.SALARY_MIN_CANDIDATES = 7
    settings.SALARY_MIN_CANDIDATES_TAILS = 12
    text = text_of(client.get("/salaries/back-end/django/2024/"))
    methodology = text.split("How the figures are computed")[1]
    assert "at least 5 offers from at least 7 different candidates" in methodology
    assert "no single candidate holds half or more of its offers" in methodology
    assert "from at least 7 candidates, so that one published figure cannot be" in methodology
    assert "The 10th and 90th percentiles need at least 12 candidates" in methodology


def test_lists_say_why_a_median_is_missing(client, withheld_slices):
    reason = "not enough data to publish (one candidate holds half or more of the offers)"
    explorer = text_of(client.get("/salaries/?year=2024&specialization=back-end"))
    assert f"Back-End Flask 10 {reason}" in explorer
    ranking = text_of(client.get("/salaries/back-end/"))
    assert f"Flask 10 6 {reason}" in ranking
    related = text_of(client.get("/salaries/back-end/django/2024/"))
    assert f"Flask 10 {reason}" in related
    for page in (explorer, ranking, related):
        assert DOMINATED not in page


def test_the_sitemap_leaves_out_every_withheld_slice_but_keeps_tails_only_ones(
    client, withheld_slices
):
    body = client.get("/sitemap.xml").content.decode()
    assert "/salaries/back-end/flask/2024/" not in body  # dominance
    assert "/salaries/all/flask/2024/" not in body
    assert "/salaries/front-end/react/2024/" not in body  # min_candidates
    assert "/salaries/back-end/django/2024/" in body  # only the tails withheld
    assert "/salaries/back-end/fastapi/2024/" in body  # only a level withheld


def test_a_withheld_histogram_has_no_csv(client, withheld_slices):
    assert client.get("/salaries/back-end/flask/2024/histogram.csv").status_code == 404
    assert client.get("/salaries/back-end/django/2024/histogram.csv").status_code == 200


# --- Speed: caching, conditional requests, query counts ---


def test_second_visit_is_served_from_the_cache_without_queries(
    client, published, django_assert_num_queries
):
    first = client.get(SALARY_PAGE)
    with django_assert_num_queries(0):
        second = client.get(SALARY_PAGE)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_conditional_requests_get_304(client, published):
    first = client.get(SALARY_PAGE)
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    not_modified = client.get(SALARY_PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert client.get(SALARY_PAGE, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_recompute_makes_cached_pages_fresh_at_once(
    client, published, django_capture_on_commit_callbacks
):
    before = client.get(SALARY_PAGE)
    flask_offers = salary_stat_get(specialization="back-end", technology="flask", year=2024).offers
    OfferFactory(
        specialization=published["back-end"],
        technologies=[published["flask"]],
        salary=50_000,
        offered_on=datetime.date(2024, 3, 3),
    )
    assert client.get(SALARY_PAGE).content == before.content  # still the published set
    with django_capture_on_commit_callbacks(execute=True):
        salary_stats_refresh(min_offers=5)
    after = client.get(SALARY_PAGE)
    assert f"Total offers i What is this? {flask_offers + 1}" in text_of(after)
    assert after["ETag"] != before["ETag"]
    assert client.get(SALARY_PAGE, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_renaming_a_technology_refreshes_cached_pages(client, published):
    client.get(SALARY_PAGE)
    flask = published["flask"]
    flask.name = "Flask (Python)"
    flask.save()
    assert "with Flask (Python) Salary" in client.get(SALARY_PAGE).content.decode()


@pytest.mark.parametrize(
    "path", [SALARY_PAGE, "/salaries/", "/salaries/back-end/", SALARY_PAGE + "histogram.csv"]
)
def test_public_pages_set_no_cookie_and_do_not_vary_on_one(client, published, path):
    for _ in range(2):  # rendered, then from the cache
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


def _queries_for(client, path) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", [SALARY_PAGE, "/salaries/", "/salaries/back-end/", "/salaries/all/all/2024/"]
)
def test_query_count_does_not_grow_with_the_data(client, published, path):
    small = _queries_for(client, path)
    assert small <= 10
    rng = random.Random(10)
    c = published
    extra = [TechnologyFactory(slug=f"extra-{i}", name=f"Extra {i}") for i in range(10)]
    c["flask"].related.add(*extra[:5])
    for tech in extra:
        add_offers(c["back-end"], [tech, c["flask"]], rng.choice([2023, 2024]), 60, rng=rng)
    add_offers(c["back-end"], [c["flask"]], 2022, 40, rng=rng)
    salary_stats_refresh(min_offers=5)
    assert _queries_for(client, path) == small
