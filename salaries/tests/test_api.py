"""The read API over HTTP (Django's test client): shapes, filters, ordering, errors."""

import datetime

import pytest
from rest_framework.test import APIClient

from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.services import salary_stats_refresh

pytestmark = pytest.mark.django_db

SLICE_FIELDS = {
    "specialization", "technology", "year", "offers", "candidates", "median", "mean",
    "p10", "p25", "p75", "p90", "histogram", "by_seniority", "computed_at", "url",
    "methodology", "min_sample_size",
}  # fmt: skip


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def published():
    back_end = SpecializationFactory(slug="back-end", name="Back End")
    front_end = SpecializationFactory(slug="front-end", name="Front End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    react = TechnologyFactory(slug="react", name="React")
    flask.related.add(react)
    for i, salary in enumerate([5000, 6000, 7000, 8000, 9000, 9900]):
        OfferFactory(
            specialization=back_end,
            technologies=[flask],
            salary=salary,
            seniority="senior" if i % 2 else "junior",
        )
    for salary in (3000, 3500):
        OfferFactory(specialization=front_end, technologies=[react], salary=salary)
    OfferFactory(
        specialization=back_end,
        technologies=[flask],
        salary=4000,
        offered_on=datetime.date(2023, 2, 1),
    )
    salary_stats_refresh(min_offers=5)


def test_slice_detail_has_the_contract_shape(api, published):
    response = api.get("/api/v1/stats/back-end/flask/2024/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SLICE_FIELDS
    assert body["specialization"] == "back-end" and body["technology"] == "flask"
    assert (body["offers"], body["candidates"], body["median"]) == (6, 6, 7500)
    assert body["histogram"][0] == {"from": 5000, "to": 5500, "label": "5k+", "offers": 1}
    assert body["by_seniority"]["junior"]["offers"] == 3
    assert body["by_seniority"]["junior"]["median"] is None, "3 offers: under the threshold"
    assert body["url"] == "http://testserver/salaries/back-end/flask/2024/"


def test_roll_up_slices_use_all(api, published):
    body = api.get("/api/v1/stats/all/all/2024/").json()
    assert body["offers"] == 8
    assert body["specialization"] == body["technology"] == "all"
    assert api.get("/api/v1/stats/all/flask/2024/").json()["offers"] == 6


def test_thin_slice_publishes_counts_only(api, published):
    body = api.get("/api/v1/stats/front-end/react/2024/").json()
    assert body["offers"] == 2
    assert body["median"] is None and body["histogram"] is None and body["p90"] is None


def test_missing_slice_is_a_json_404(api, published):
    response = api.get("/api/v1/stats/back-end/flask/2031/")
    assert response.status_code == 404
    assert "back-end × flask × 2031" in response.json()["detail"]
    assert api.get("/api/v1/stats/nope/flask/2024/").status_code == 404


def test_list_is_paginated_with_list_items_shaped_like_the_detail(api, published):
    body = api.get("/api/v1/stats/").json()
    assert list(body) == [
        "count", "next", "previous", "computed_at", "methodology", "min_sample_size", "results",
    ]  # fmt: skip
    assert body["count"] == 11  # 2024: 2 of each specialization, 2 tech roll-ups, all×all; 2023: 4
    assert all(set(item) == SLICE_FIELDS for item in body["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2023", {("back-end", "flask", 2023), ("back-end", "all", 2023),
                       ("all", "flask", 2023), ("all", "all", 2023)}),
        ("specialization=front-end&year=2024", {("front-end", "react", 2024),
                                                ("front-end", "all", 2024)}),
        ("specialization=all&technology=all", {("all", "all", 2023), ("all", "all", 2024)}),
        ("technology=react", {("front-end", "react", 2024), ("all", "react", 2024)}),
        ("min_offers=6&year=2024", {("back-end", "flask", 2024), ("back-end", "all", 2024),
                                    ("all", "flask", 2024), ("all", "all", 2024)}),
        ("specialization=BACK-END&technology=flask&year=2024", {("back-end", "flask", 2024)}),
    ],
)  # fmt: skip
def test_filters(api, published, query, expected):
    results = api.get(f"/api/v1/stats/?{query}").json()["results"]
    assert {(r["specialization"], r["technology"], r["year"]) for r in results} == expected


def test_ordering_by_median_puts_thin_slices_last_both_ways(api, published):
    for ordering in ("median", "-median"):
        results = api.get(f"/api/v1/stats/?year=2024&ordering={ordering}").json()["results"]
        medians = [r["median"] for r in results]
        known = [m for m in medians if m is not None]
        assert medians[: len(known)] == sorted(known, reverse=ordering.startswith("-"))
        assert all(m is None for m in medians[len(known) :])


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=abc", "year", "Enter a whole number."),
        ("year=1999", "year", "greater than or equal to 2000"),
        ("specialization=nope", "specialization", 'Unknown specialization "nope"'),
        ("technology=Not a slug!", "technology", "Enter a valid"),
        ("min_offers=-3", "min_offers", "greater than or equal to 0"),
        ("ordering=salary", "ordering", "not one of the available choices"),
    ],
)
def test_bad_query_input_is_a_400_naming_the_field(api, published, query, field, message):
    response = api.get(f"/api/v1/stats/?{query}")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_bad_page_is_a_json_404_not_a_500(api, published):
    response = api.get("/api/v1/stats/?page=999")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_specializations_and_technologies(api, published):
    specs = api.get("/api/v1/specializations/").json()["results"]
    assert [s["slug"] for s in specs] == ["back-end", "front-end"]
    techs = {t["slug"]: t for t in api.get("/api/v1/technologies/").json()["results"]}
    assert techs["flask"]["related"] == ["react"]
    assert api.get("/api/v1/technologies/flask/").json()["name"] == "Flask"


def test_api_root_lists_the_endpoints(api):
    body = api.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    assert {"stats", "specializations", "technologies"} <= set(body)
