"""The OpenAPI schema: valid OpenAPI 3, fully described, and true to the running API.

The last test runs schemathesis against a live server (pytest-django's ``live_server``,
a real HTTP server in a thread) with a partner key: generated requests for every
operation must never get a server error, and every answer must match the schema.
"""

import pytest
import schemathesis
import yaml
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.services import partner_key_create, salary_stats_refresh

OPERATIONS = {
    "/api/v1/stats/",
    "/api/v1/stats/{specialization}/{technology}/",
    "/api/v1/stats/{specialization}/{technology}/{year}/",
    "/api/v1/specializations/",
    "/api/v1/specializations/{slug}/",
    "/api/v1/technologies/",
    "/api/v1/technologies/{slug}/",
}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.0")


def test_every_operation_of_the_contract_is_there(schema):
    assert set(schema["paths"]) == OPERATIONS
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())


def _properties(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def test_every_field_is_typed_and_described(schema):
    for name in ("SalaryStat", "Specialization", "Technology", "SeniorityFigures",
                 "BySeniority", "HistogramBand", "SalaryStatHistory", "Error"):  # fmt: skip
        for field, spec in _properties(schema, name).items():
            assert spec.get("description"), f"{name}.{field} has no description"
            typed = {"type", "$ref", "allOf", "oneOf"} & spec.keys()  # oneOf: nullable enums
            assert typed, f"{name}.{field}"


def test_slice_figures_are_typed_as_partners_read_them(schema):
    stat = _properties(schema, "SalaryStat")
    assert stat["median"]["type"] == "integer" and stat["median"]["nullable"] is True
    assert stat["histogram"]["type"] == "array" and stat["histogram"]["nullable"] is True
    assert stat["histogram"]["items"]["$ref"].endswith("/HistogramBand")
    assert set(_properties(schema, "HistogramBand")) == {"from", "to", "label", "offers"}
    assert set(_properties(schema, "BySeniority")) == {"junior", "middle", "senior", "expert"}


def test_withheld_and_filters_are_documented(schema):
    rules = ["min_offers", "min_candidates", "dominance", "complement", "tails"]
    assert schema["components"]["schemas"]["WithheldEnum"]["enum"] == rules
    for name in ("SalaryStat", "SeniorityFigures"):
        withheld = _properties(schema, name)["withheld"]
        assert withheld["nullable"] is True
        assert {"$ref": "#/components/schemas/WithheldEnum"} in withheld["oneOf"]
        assert "first that failed" in withheld["description"]
    filters = _properties(schema, "SalaryStat")["filters"]
    assert filters["allOf"] == [{"$ref": "#/components/schemas/Filters"}]
    assert "{} for a plain slice" in filters["description"]
    assert "distinct candidates" in schema["info"]["description"]


def test_the_key_scheme_and_examples_are_documented(schema):
    scheme = schema["components"]["securitySchemes"]["PartnerApiKey"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    detail = schema["paths"]["/api/v1/stats/{specialization}/{technology}/{year}/"]["get"]
    assert {"PartnerApiKey": []} in detail["security"] and {} in detail["security"]
    example = detail["responses"]["200"]["content"]["application/json"]["examples"]
    assert next(iter(example.values()))["value"]["median"] == 7707
    listing = schema["paths"]["/api/v1/stats/"]["get"]
    assert {"401", "403", "404", "429", "400"} <= set(listing["responses"])
    assert listing["responses"]["200"]["content"]["text/csv"]["schema"]["type"] == "string"


# --- schemathesis against a live server ---


@pytest.fixture
def live_schema(live_server, transactional_db):
    back_end = SpecializationFactory(slug="back-end", name="Back End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    react = TechnologyFactory(slug="react", name="React")
    flask.related.add(react)
    for salary in (3000, 4200, 5100, 6000, 7000, 9900):
        OfferFactory(specialization=back_end, technologies=[flask, react], salary=salary)
    salary_stats_refresh(min_offers=5)
    _, key = partner_key_create(partner_name="Fuzzing Partner", rate="100000/hour")
    loaded = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    return loaded, key


KNOWN_CASES = {
    "/api/v1/stats/": [{}, {"query": {"year": 2024, "ordering": "-median", "page_size": 2}},
                       {"query": {"format": "csv"}}],
    "/api/v1/stats/{specialization}/{technology}/": [
        {"path_parameters": {"specialization": "back-end", "technology": "flask"}},
        {"path_parameters": {"specialization": "all", "technology": "all"}},
    ],
    "/api/v1/stats/{specialization}/{technology}/{year}/": [
        {"path_parameters": {"specialization": "back-end", "technology": "react", "year": 2024}},
        {"path_parameters": {"specialization": "all", "technology": "all", "year": 2024}},
    ],
    "/api/v1/specializations/{slug}/": [{"path_parameters": {"slug": "back-end"}}],
    "/api/v1/technologies/{slug}/": [{"path_parameters": {"slug": "flask"}}],
}  # fmt: skip


# Driven through hypothesis directly: schemathesis' pytest plugin does not run under pytest 9.
@pytest.mark.parametrize("path", sorted(OPERATIONS))
def test_the_live_api_matches_its_schema(live_schema, path):
    loaded, key = live_schema
    operation = loaded[path]["GET"]
    headers = {"Authorization": f"Api-Key {key}"}
    checks = [not_a_server_error, response_schema_conformance]

    # Requests that find data first (random slugs mostly find none), then generated ones.
    for known in KNOWN_CASES.get(path, [{}]):
        response = operation.Case(**known).call_and_validate(headers=headers, checks=checks)
        assert response.status_code == 200, (path, known, response.text)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(headers=headers, checks=checks, timeout=10)

    check()
