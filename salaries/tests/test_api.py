"""The partner API over HTTP (Django's test client): shapes, filters, ordering,
pagination, CSV, conditional requests and caching, errors, docs, CORS."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.tests.support import text_of
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.models import StatsRun, Technology
from salaries.renderers import STAT_COLUMNS

pytestmark = pytest.mark.django_db

SLICE_FIELDS = {
    "specialization",
    "technology",
    "year",
    "offers",
    "candidates",
    "median",
    "mean",
    "p10",
    "p25",
    "p75",
    "p90",
    "histogram",
    "withheld",
    "filters",
    "by_seniority",
    "by_english_level",
    "by_remote",
    "by_country",
    "computed_at",
    "url",
    "methodology",
    "min_sample_size",
}


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
    assert body["by_seniority"]["junior"]["withheld"] == "min_offers"
    assert body["filters"] == {}
    assert body["withheld"] == "tails", "6 candidates: no p10 and p90"
    assert body["p10"] is body["p90"] is None
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
        "count",
        "next",
        "previous",
        "computed_at",
        "methodology",
        "min_sample_size",
        "results",
    ]
    assert body["count"] == 11  # 2024: 2 of each specialization, 2 tech roll-ups, all×all; 2023: 4
    assert all(set(item) == SLICE_FIELDS for item in body["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "year=2023",
            {
                ("back-end", "flask", 2023),
                ("back-end", "all", 2023),
                ("all", "flask", 2023),
                ("all", "all", 2023),
            },
        ),
        (
            "specialization=front-end&year=2024",
            {("front-end", "react", 2024), ("front-end", "all", 2024)},
        ),
        ("specialization=all&technology=all", {("all", "all", 2023), ("all", "all", 2024)}),
        ("technology=react", {("front-end", "react", 2024), ("all", "react", 2024)}),
        (
            "min_offers=6&year=2024",
            {
                ("back-end", "flask", 2024),
                ("back-end", "all", 2024),
                ("all", "flask", 2024),
                ("all", "all", 2024),
            },
        ),
        ("specialization=BACK-END&technology=flask&year=2024", {("back-end", "flask", 2024)}),
    ],
)
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
        ("year=2024.5", "year", "Enter a whole number."),
        ("year=2101", "year", "less than or equal to 2100"),
        ("min_offers=99999999999999999999", "min_offers", "less than or equal to"),
        ("technology=nope&year=x", "technology", 'Unknown technology "nope"'),
        ("format=xml", "format", 'Unknown format "xml" here. Use one of: json, csv.'),
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


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ordering=median,", '"median," has an empty item'),
        ("ordering=,median", '",median" has an empty item'),
        ("ordering=median,,offers", '"median,,offers" has an empty item'),
        ("ordering=median&ordering=", '"median," has an empty item'),
    ],
)
def test_odd_orderings_are_a_400_saying_why(api, published, query, message):
    response = api.get(f"/api/v1/stats/?{query}")
    assert response.status_code == 400
    assert message in response.json()["ordering"][0]


def test_a_repeated_ordering_is_honoured_as_one_combined_ordering(api, published):
    """What an OpenAPI client sends for an array parameter."""
    combined = api.get("/api/v1/stats/?ordering=-year,offers").json()["results"]
    repeated = api.get("/api/v1/stats/?ordering=-year&ordering=offers").json()["results"]
    key = [(r["specialization"], r["technology"], r["year"]) for r in repeated]
    assert key == [(r["specialization"], r["technology"], r["year"]) for r in combined]
    years = [r["year"] for r in repeated]
    assert years == sorted(years, reverse=True)
    offers_2024 = [r["offers"] for r in repeated if r["year"] == 2024]
    assert offers_2024 == sorted(offers_2024) and len(offers_2024) > 1


@pytest.mark.parametrize(
    "query",
    [
        "year=2024&year=2023",
        "specialization=back-end&specialization=front-end",
        "technology=flask&technology=flask",
        "min_offers=1&min_offers=2",
        "page=1&page=2",
        "page_size=2&page_size=3",
        "format=json&format=csv",
    ],
)
def test_a_single_valued_parameter_given_twice_is_a_400_naming_it(api, published, query):
    name = query.split("=")[0]
    response = api.get(f"/api/v1/stats/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()[name] == [f'The parameter "{name}" is given 2 times; give it once.']


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


# --- History ---


def test_history_lists_every_year_of_a_slice_oldest_first(api, published):
    body = api.get("/api/v1/stats/back-end/flask/").json()
    assert (body["specialization"], body["technology"], body["count"]) == ("back-end", "flask", 2)
    assert [r["year"] for r in body["results"]] == [2023, 2024]
    assert [r["offers"] for r in body["results"]] == [1, 6]
    assert all(set(r) == SLICE_FIELDS for r in body["results"])
    assert api.get("/api/v1/stats/ALL/Flask/").json()["count"] == 2


@pytest.mark.parametrize(
    "path", ["/api/v1/stats.json", "/api/v1/stats.csv", "/api/v1/technologies.json"]
)
def test_the_format_is_a_query_parameter_not_a_suffix(api, published, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    listing = api.get(path.replace(".", "/?format="))
    assert listing.status_code == 200 and listing["Content-Type"].startswith(
        "application/json" if path.endswith(".json") else "text/csv"
    )


@pytest.mark.parametrize("path", ["/api/v1/stats/nope/flask/", "/api/v1/stats/front-end/flask/"])
def test_history_of_a_slice_without_offers_is_a_json_404(api, published, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "in any year" in response.json()["detail"]


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


# --- CSV ---


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == STAT_COLUMNS or rows[0][0] == "slug"
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_stats_csv_flattens_seniority_and_the_histogram_into_fixed_columns(api, published):
    rows = read_csv(api.get("/api/v1/stats/?year=2024&specialization=back-end&format=csv"))
    row = next(r for r in rows if r["technology"] == "flask")
    json_body = api.get("/api/v1/stats/back-end/flask/2024/").json()
    assert (row["offers"], row["median"], row["p90"]) == ("6", "7500", "")
    assert row["withheld"] == json_body["withheld"] == "tails"
    assert (row["junior_offers"], row["junior_median"]) == ("3", ""), "under the threshold"
    assert row["junior_withheld"] == "min_offers" and row["senior_withheld"] == "min_offers"
    assert row["senior_offers"] == "3" and row["expert_offers"] == ""
    bands = {c: v for c, v in row.items() if c.startswith("band_")}
    assert len(bands) == 201 and list(bands)[:2] == ["band_0", "band_500"]
    assert {c: v for c, v in bands.items() if v} == {
        f"band_{b['from']}": str(b["offers"]) for b in json_body["histogram"]
    }
    assert bands["band_5500"] == "0", "a gap inside the slice's range is a zero"
    assert bands["band_4500"] == "", "outside the range is empty"


def test_a_thin_slice_has_empty_money_and_band_cells(api, published):
    (row,) = read_csv(
        api.get("/api/v1/stats/?specialization=front-end&technology=react&format=csv")
    )
    assert row["offers"] == "2" and row["median"] == ""
    assert all(row[c] == "" for c in STAT_COLUMNS if c.startswith("band_"))


MONEY_FIELDS = ("median", "mean", "p10", "p25", "p75", "p90", "histogram")


def test_withheld_figures_are_null_and_name_the_rule(api, withheld_slices):
    response = api.get("/api/v1/stats/back-end/flask/2024/")
    flask = response.json()
    assert (flask["offers"], flask["candidates"], flask["withheld"]) == (10, 6, "dominance")
    assert all(flask[name] is None for name in MONEY_FIELDS)
    assert flask["by_seniority"]["senior"] == {
        "offers": 5,
        "candidates": 5,
        "median": None,
        "p25": None,
        "p75": None,
        "withheld": "complement",
    }
    assert b"9111" not in response.content
    react = api.get("/api/v1/stats/front-end/react/2024/").json()
    assert (react["offers"], react["candidates"], react["withheld"]) == (10, 4, "min_candidates")
    assert all(react[name] is None for name in MONEY_FIELDS)
    django = api.get("/api/v1/stats/back-end/django/2024/").json()
    assert (django["withheld"], django["median"], django["p10"], django["p90"]) == (
        "tails",
        4400,
        None,
        None,
    )
    assert django["histogram"] is not None and django["mean"] == 4400
    fastapi = api.get("/api/v1/stats/back-end/fastapi/2024/").json()
    assert fastapi["median"] == 6100
    assert fastapi["by_seniority"]["senior"]["withheld"] == "complement"


def test_csv_names_the_rule_and_leaves_withheld_cells_empty(api, withheld_slices):
    response = api.get("/api/v1/stats/?year=2024&page_size=100&format=csv")
    rows = {(r["specialization"], r["technology"]): r for r in read_csv(response)}
    flask = rows["back-end", "flask"]
    assert "9111" not in ",".join(flask.values()) + ",".join(rows["all", "flask"].values())
    assert (flask["offers"], flask["candidates"], flask["withheld"]) == ("10", "6", "dominance")
    assert all(flask[name] == "" for name in MONEY_FIELDS if name != "histogram")
    assert all(flask[c] == "" for c in STAT_COLUMNS if c.startswith("band_"))
    assert (flask["senior_offers"], flask["senior_median"], flask["senior_withheld"]) == (
        "5",
        "",
        "complement",
    )
    django = rows["back-end", "django"]
    assert (django["withheld"], django["median"], django["p10"], django["p90"]) == (
        "tails",
        "4400",
        "",
        "",
    )
    assert rows["back-end", "fastapi"]["withheld"] == "tails"
    assert rows["front-end", "react"]["withheld"] == "min_candidates"


def test_csv_columns_are_the_same_whatever_the_data(api, published):
    empty = api.get("/api/v1/stats/?year=2030&format=csv")
    assert empty.content.decode().splitlines() == [",".join(STAT_COLUMNS)]


def test_csv_by_accept_header_and_history_csv(api, published):
    rows = read_csv(api.get("/api/v1/stats/?year=2023", HTTP_ACCEPT="text/csv"))
    assert len(rows) == 4
    history = read_csv(api.get("/api/v1/stats/back-end/flask/?format=csv"))
    assert [r["year"] for r in history] == ["2023", "2024"]


def test_catalogue_csv(api, published):
    response = api.get("/api/v1/technologies/?format=csv")
    assert response.content.decode().splitlines() == [
        "slug,name,description,related",
        "flask,Flask,,react",
        "react,React,,flask",
    ]
    assert (
        api.get("/api/v1/specializations/?format=csv")
        .content.decode()
        .startswith("slug,name,role_title,description\r\nback-end,Back End,,")
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cells(response) -> list[str]:
    assert response.status_code == 200
    return [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]


def test_csv_of_every_list_writes_hostile_names_inert(api, published):
    """An editor names a technology and a specialization like spreadsheet formulas."""
    evil = TechnologyFactory(slug="-cmd", name="=cmd|' /C calc'!A0", description="@SUM(1,2)")
    evil.related.add(Technology.objects.get(slug="flask"))
    spec = SpecializationFactory(slug="tab", name="\t=1+1", role_title="+1", description="\r=2")
    OfferFactory(specialization=spec, technologies=[evil], salary=5000)
    salary_stats_refresh(min_offers=1)
    for path in (
        "/api/v1/technologies/?format=csv",
        "/api/v1/specializations/?format=csv",
        "/api/v1/stats/?technology=-cmd&format=csv",
        "/api/v1/stats/tab/-cmd/?format=csv",
    ):
        written = cells(api.get(path))
        assert not [c for c in written if c.startswith(FORMULA_STARTS)], path
    technologies = cells(api.get("/api/v1/technologies/?format=csv"))
    assert "'=cmd\\|' /C calc'!A0" in technologies and "'@SUM(1,2)" in technologies
    specializations = cells(api.get("/api/v1/specializations/?format=csv"))
    assert {"'\t=1+1", "'+1", "'\r=2"} <= set(specializations)
    assert "'-cmd" in cells(api.get("/api/v1/stats/tab/-cmd/?format=csv"))


def test_csv_errors_are_json(api, published):
    response = api.get("/api/v1/stats/?format=csv&year=abc")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "year" in response.json()


def test_csv_is_for_lists_only(api, published):
    response = api.get("/api/v1/stats/back-end/flask/2024/?format=csv")
    assert response.status_code == 400
    assert response.json() == {"format": ['Unknown format "csv" here. Use one of: json.']}


@pytest.mark.parametrize(
    "path", ["/api/v1/stats/back-end/flask/", "/api/v1/stats/0/0/", "/api/v1/technologies/"]
)
def test_options_describes_an_endpoint_in_json_whatever_format_is_asked(api, published, path):
    described = api.options(path)
    assert described.status_code == 200 and "name" in described.json()
    by_format = api.options(f"{path}?format=csv")
    assert by_format.status_code == 400
    assert by_format.json() == {"format": ['Unknown format "csv" here. Use one of: json.']}
    by_accept = api.options(path, HTTP_ACCEPT="text/csv")
    assert by_accept.status_code == 406 and by_accept["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "delete", "trace"])
def test_a_method_the_api_lacks_is_a_405_whatever_the_query_says(api, published, method):
    response = getattr(api, method)("/api/v1/stats/?format=csv&page_size=0")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


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


# --- Other paths, docs, guide, CORS ---


@pytest.mark.parametrize(
    "path", ["/api/v1/nope/", "/api/v1/stats/a/b/2024/c/", "/api/v1/stats/a/b/24/", "/api/v1/x"]
)
def test_unknown_api_paths_are_json_404s(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_swagger_ui_and_redoc_load_their_assets_from_this_site(client):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = client.get(url).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        # Swagger UI's start-up script is a file of its own (no inline script, for the
        # Content Security Policy); everything else is a local static file.
        scripts = [s for s in sources if s.startswith(url + "?")]
        assets = [s for s in sources if s not in scripts]
        assert assets and all(s.startswith("/static/") for s in assets), sources
        for source in assets:
            assert finders.find(source.removeprefix("/static/")), source
        text = html + "".join(client.get(s.replace("&amp;", "&")).content.decode() for s in scripts)
        assert "/api/v1/schema/" in text
    assert "<script>" not in client.get("/api/v1/docs/").content.decode()


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_errors_and_options_answer_json(client, path):
    response = client.get(path, {"format": "xml"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["format"][0].startswith('Unknown format "xml" here.')
    described = client.options(path)
    assert described.status_code == 200 and described["Content-Type"] == "application/json"


def test_schema_is_served(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/stats/{specialization}/{technology}/{year}/" in schema["paths"]


def test_partner_guide_explains_keys_limits_csv_and_policy(client, published, settings):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html and "<script" not in html
    assert 'id="methodology"' in html
    assert "Authorization: Api-Key $DEVSALARIES_KEY" in html
    assert "http://testserver/api/v1/stats/back-end/flask/2024/" in html
    assert "X-RateLimit-Remaining" in html and "Retry-After" in html
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] in html
    assert "band_100000" in html and "histogram as columns" in html
    assert "/api/v2/" in html and "Sunset" in html
    assert 'href="/api/v1/docs/"' in html


def test_partner_guide_explains_the_disclosure_rules_and_their_columns(client, db, settings):
    settings.SALARY_MIN_CANDIDATES = 6
    settings.SALARY_MAX_CANDIDATE_SHARE = 0.4
    text = text_of(client.get("/api/"))
    assert "at least 5 offers from at least 6 different candidates" in text
    assert "no single candidate holds 40% or more of its offers" in text
    assert "The 10th and 90th percentiles need at least 10 candidates" in text
    assert "dominance (one candidate holds 40% or more of the offers)" in text
    assert "junior_withheld" in text and "withheld after the money figures" in text
    columns = text.split("Show every column")[1]
    assert "p90, withheld, computed_at" in columns and "junior_p75, junior_withheld" in columns


def test_cors_is_off_by_default(api, published):
    response = api.get("/api/v1/stats/", HTTP_ORIGIN="https://jobs.example.com")
    assert "Access-Control-Allow-Origin" not in response


def test_cors_allows_listed_origins_only(api, published, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://jobs.example.com"]
    response = api.get("/api/v1/stats/", HTTP_ORIGIN="https://jobs.example.com")
    assert response["Access-Control-Allow-Origin"] == "https://jobs.example.com"
    assert "X-RateLimit-Remaining" in response["Access-Control-Expose-Headers"]
    assert "ETag" in response["Access-Control-Expose-Headers"]
    other = api.get("/api/v1/stats/", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other
    preflight = api.options(
        "/api/v1/stats/",
        HTTP_ORIGIN="https://jobs.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    page = api.get("/salaries/", HTTP_ORIGIN="https://jobs.example.com")
    assert "Access-Control-Allow-Origin" not in page, "only the API is shared"


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

    from salaries import api as api_module

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
