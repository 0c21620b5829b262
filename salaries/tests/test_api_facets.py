"""Facets in the partner API: a slice narrowed on demand, one facet on the list, the
breakdowns in CSV, and the 400s a partner gets for bad facet input."""

import csv
import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salaries.engine.on_demand import faceted_figures
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.models import SalaryStat
from salaries.renderers import FACET_ENTRY_COLUMNS

pytestmark = pytest.mark.django_db

SLICE = "/api/v1/stats/back-end/flask/2024/"


@pytest.fixture
def published():
    """Back-end × Flask 2024: 12 senior remote offers from Ukraine, 8 junior office
    offers from Poland, 6 senior office offers without a country; React: 6 UA offers."""
    rng = random.Random(3)
    spec, flask = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    react = TechnologyFactory(slug="react")
    groups = [
        (flask, 12, {"seniority": "senior", "remote": True, "country": "UA"}),
        (flask, 8, {"seniority": "junior", "remote": False, "country": "PL"}),
        (flask, 6, {"seniority": "senior", "remote": False, "english_level": "advanced"}),
        (react, 6, {"seniority": "middle", "country": "UA"}),
    ]
    for tech, count, fields in groups:
        for _ in range(count):
            OfferFactory(
                specialization=spec,
                technologies=[tech],
                candidate=CandidateFactory(),
                salary=rng.randint(2000, 9000),
                **fields,
            )
    salary_stats_refresh()


def test_a_narrowed_slice_has_the_slice_shape_with_its_filters(api, published):
    plain = api.get(SLICE).json()
    body = api.get(f"{SLICE}?seniority=Senior&remote=yes&country=ua").json()
    assert set(body) == set(plain)
    assert body["filters"] == {"seniority": "senior", "remote": True, "country": "UA"}
    assert body["offers"] == 12 and body["candidates"] == 12
    assert body["computed_at"] == plain["computed_at"]
    stat = SalaryStat.objects.get(technology__slug="flask", specialization__slug="back-end")
    expected = faceted_figures(
        stat=stat, facets={"seniority": "senior", "remote": "true", "country": "UA"}
    )
    for name in ("median", "mean", "p10", "p25", "p75", "p90", "histogram", "withheld"):
        assert body[name] == expected[name], name
    assert body["median"] is not None
    assert list(body["by_seniority"]) == ["senior"]
    assert body["url"].endswith(
        "/salaries/back-end/flask/2024/?seniority=senior&remote=true&country=UA"
    )


def test_a_narrowed_slice_agrees_with_the_breakdown_entry(api, published):
    plain = api.get(SLICE).json()
    body = api.get(f"{SLICE}?country=PL").json()
    entry = plain["by_country"]["PL"]
    assert entry["withheld"] is None
    assert body["withheld"] == "tails", (
        "8 candidates: a cell withholds its tails, an entry has none"
    )
    assert {name: body[name] for name in entry if name != "withheld"} == {
        name: value for name, value in entry.items() if name != "withheld"
    }


def test_a_combination_matching_nothing_is_an_empty_answer_not_a_404(api, published):
    response = api.get(f"{SLICE}?country=ZZ&seniority=expert")
    assert response.status_code == 200
    body = response.json()
    assert (body["offers"], body["candidates"], body["withheld"]) == (0, 0, "min_offers")
    assert body["median"] is body["histogram"] is None


def test_empty_facets_are_unset_and_unknown_parameters_ignored(api, published):
    plain = api.get(SLICE).json()
    assert api.get(f"{SLICE}?seniority=&country=&colour=blue").json() == plain


@pytest.mark.parametrize(
    ("query", "parameter", "hint"),
    [
        ("seniority=guru", "seniority", "junior, middle, senior, expert"),
        ("english_level=native", "english_level", "upper-intermediate"),
        ("remote=maybe", "remote", "true or false"),
        ("country=UKR", "country", "two-letter"),
        ("country=U1", "country", "two-letter"),
        ("remote=true&remote=false", "remote", "given 2 times"),
    ],
)
def test_bad_facets_are_a_400_naming_the_parameter_and_the_valid_values(
    api, published, query, parameter, hint
):
    for path in (SLICE, "/api/v1/stats/"):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert hint in " ".join(response.json()[parameter]), path


def test_narrowed_answers_are_cached_under_normalised_keys(api, published):
    first = api.get(f"{SLICE}?seniority=senior&remote=true")
    with CaptureQueriesContext(connection) as queries:
        again = api.get(f"{SLICE}?remote=TRUE&utm_source=x&seniority=Senior")
    assert again.json() == first.json()
    assert not any("salaryfact" in q["sql"] for q in queries), "served from the cache"


def test_a_list_with_one_facet_lists_that_entry_of_every_slice(api, published):
    body = api.get("/api/v1/stats/?country=ua&year=2024").json()
    items = {(i["specialization"], i["technology"]): i for i in body["results"]}
    assert set(items) == {("back-end", "flask"), ("back-end", "react"), ("back-end", "all"),
                          ("all", "flask"), ("all", "react"), ("all", "all")}  # fmt: skip
    item = items[("back-end", "flask")]
    plain = api.get(SLICE).json()
    assert set(item) == {"specialization", "technology", "year", "offers", "candidates",
                         "median", "p25", "p75", "withheld", "filters", "url"}  # fmt: skip
    assert {k: item[k] for k in plain["by_country"]["UA"]} == plain["by_country"]["UA"]
    assert item["filters"] == {"country": "UA"}
    assert item["url"].endswith("/salaries/back-end/flask/2024/?country=UA")


def test_ordering_and_min_offers_apply_to_the_entry(api, published):
    body = api.get("/api/v1/stats/?remote=false&min_offers=9&ordering=offers").json()
    offers = [item["offers"] for item in body["results"]]
    assert offers == sorted(offers) and min(offers) >= 9
    assert {(i["specialization"], i["technology"]) for i in body["results"]} == {
        ("back-end", "flask"), ("back-end", "all"), ("all", "flask"), ("all", "all")
    }  # fmt: skip
    medians = [
        i["median"]
        for i in api.get("/api/v1/stats/?remote=false&ordering=-median").json()["results"]
    ]
    published_medians = [m for m in medians if m is not None]
    assert published_medians == sorted(published_medians, reverse=True)


def test_two_facets_on_a_list_are_a_400_pointing_to_the_slice_url(api, published):
    response = api.get("/api/v1/stats/?country=UA&seniority=senior")
    assert response.status_code == 400
    message = " ".join(response.json()["country"])
    assert "one facet at a time" in message and "/api/v1/stats/<specialization>/" in message


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_carries_every_breakdown_in_fixed_columns(api, published):
    rows = read_csv(api.get("/api/v1/stats/?format=csv&technology=flask&specialization=back-end"))
    (row,) = rows
    plain = api.get(SLICE).json()
    assert row["ua_offers"] == "12" and row["pl_offers"] == "8" and row["de_offers"] == ""
    assert row["ua_median"] == str(plain["by_country"]["UA"]["median"])
    assert row["remote_offers"] == "12" and row["office_offers"] == "14"
    assert row["advanced_offers"] == "6" and row["upper_intermediate_offers"] == ""
    assert row["advanced_withheld"] == (plain["by_english_level"]["advanced"]["withheld"] or "")


def test_csv_of_a_faceted_list_has_the_entry_columns(api, published):
    response = api.get("/api/v1/stats/?format=csv&remote=true&technology=flask")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == FACET_ENTRY_COLUMNS
    entries = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {(e["specialization"], e["facet"], e["value"], e["offers"]) for e in entries} == {
        ("back-end", "remote", "true", "12"),
        ("all", "remote", "true", "12"),
    }


def test_a_value_with_a_percent_sign_is_a_400_not_a_500(api, published):
    for path in (SLICE, "/api/v1/stats/"):
        response = api.get(path, {"country": "%s", "seniority": "%(x)s"})
        assert response.status_code == 400, path
