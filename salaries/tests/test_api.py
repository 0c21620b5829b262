"""The partner API's endpoints over HTTP (Django's test client): shapes, filters,
ordering, history, errors, docs, CORS."""

import re

import pytest
from django.contrib.staticfiles import finders

from portal.tests.support import text_of
from salaries.tests.support import api_slices  # noqa: F401 (the "published" fixture)

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
    "computed_at",
    "url",
    "methodology",
    "min_sample_size",
}


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
