"""The OpenAPI schema: valid OpenAPI 3, fully described, and true to the running API.

A client generated from the live schema with openapi-python-client, as a partner would make
one, reads every endpoint into its generated models.

The last tests run schemathesis against a live server (pytest-django's ``live_server``,
a real HTTP server in a thread) with a partner key: requests that find data must pass
every check, and schemathesis' own runner, with all its checks in all its phases
(examples, coverage, fuzzing, stateful), must find nothing: no server error, no answer
that breaks the schema, nothing valid refused and nothing invalid accepted.
"""

import importlib
import os
import subprocess
import sys

import httpx
import pytest
import schemathesis
import yaml
from drf_spectacular.validation import validate_schema

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.partner_keys import partner_key_create

OPERATIONS = {
    "/api/v1/stats/",
    "/api/v1/stats/{specialization}/{technology}/",
    "/api/v1/stats/{specialization}/{technology}/{year}/",
    "/api/v1/stats/{specialization}/{technology}/{year}/rank/",
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
    for name in (
        "SalaryStat",
        "Specialization",
        "Technology",
        "SeniorityFigures",
        "BySeniority",
        "HistogramBand",
        "SalaryStatHistory",
        "Error",
    ):
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


def _parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"].get("parameters", [])}


def test_the_schema_states_the_bounds_the_api_enforces(schema):
    listing = _parameters(schema, "/api/v1/stats/")
    assert listing["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert listing["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert listing["year"]["schema"] == {"type": "integer", "minimum": 2000, "maximum": 2100}
    assert listing["min_offers"]["schema"]["minimum"] == 0
    assert listing["specialization"]["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert listing["ordering"]["explode"] is True, "repeated, as generated clients send it"
    assert all(p["allowEmptyValue"] for p in listing.values()), "empty means not given"
    detail = _parameters(schema, "/api/v1/stats/{specialization}/{technology}/{year}/")
    assert (detail["year"]["schema"]["minimum"], detail["year"]["schema"]["maximum"]) == (
        2000,
        2100,
    )


def test_a_400_has_a_typed_body_on_every_operation(schema):
    assert schema["components"]["schemas"]["QueryErrors"]["additionalProperties"] == {
        "type": "array",
        "items": {"type": "string"},
    }
    for path, operations in schema["paths"].items():
        bad = operations["get"]["responses"]["400"]["content"]["application/json"]["schema"]
        assert bad == {"$ref": "#/components/schemas/QueryErrors"}, path


def test_the_schema_names_this_site_as_its_server_and_has_no_placeholder_examples(client, db):
    text = client.get("/api/v1/schema/").content.decode()
    assert yaml.safe_load(text)["servers"] == [
        {"url": "http://testserver", "description": "This site"}
    ]
    assert "example.org" not in text and "accounts" not in text


def test_lists_choose_their_format_with_the_query_not_a_suffix(client, db):
    assert client.get("/api/v1/stats.csv").status_code == 404
    assert client.get("/api/v1/stats/?format=csv").status_code == 200


# --- schemathesis against a live server ---


@pytest.fixture
def live_api(live_server, transactional_db):
    back_end = SpecializationFactory(slug="back-end", name="Back End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    react = TechnologyFactory(slug="react", name="React")
    flask.related.add(react)
    for salary in (3000, 4200, 5100, 6000, 7000, 9900):
        OfferFactory(specialization=back_end, technologies=[flask, react], salary=salary)
    salary_stats_refresh(min_offers=5)
    _, key = partner_key_create(partner_name="Fuzzing Partner", rate="10000000/hour")
    return f"{live_server.url}/api/v1/schema/?format=json", key


KNOWN_CASES = {
    "/api/v1/stats/": [
        {},
        {"query": {"year": 2024, "ordering": ["-median"], "page_size": 2}},
        {"query": {"ordering": ["-year", "offers"]}},
        {"query": {"format": "csv"}},
    ],
    "/api/v1/stats/{specialization}/{technology}/": [
        {"path_parameters": {"specialization": "back-end", "technology": "flask"}},
        {"path_parameters": {"specialization": "all", "technology": "all"}},
    ],
    "/api/v1/stats/{specialization}/{technology}/{year}/": [
        {"path_parameters": {"specialization": "back-end", "technology": "react", "year": 2024}},
        {"path_parameters": {"specialization": "all", "technology": "all", "year": 2024}},
    ],
    "/api/v1/stats/{specialization}/{technology}/{year}/rank/": [
        {
            "path_parameters": {"specialization": "back-end", "technology": "react", "year": 2024},
            "query": {"salary": 6000},
        },
    ],
    "/api/v1/specializations/{slug}/": [{"path_parameters": {"slug": "back-end"}}],
    "/api/v1/technologies/{slug}/": [{"path_parameters": {"slug": "flask"}}],
}


@pytest.mark.parametrize("path", sorted(OPERATIONS))
def test_requests_that_find_data_pass_every_check(live_api, path):
    url, key = live_api
    operation = schemathesis.openapi.from_url(url)[path]["GET"]
    for known in KNOWN_CASES.get(path, [{}]):
        case = operation.Case(**known)
        response = case.call_and_validate(headers={"Authorization": f"Api-Key {key}"})
        assert response.status_code == 200, (path, known, response.text)


# The list filters name a specialization or technology that exists: no schema can list
# them, so generated requests use real ones there (hostile values for them are the
# business of portal/tests/test_fuzz.py). Schemathesis counts an empty ``salary=`` as a
# valid integer, which the rank endpoint rightly refuses (it is required): generated
# requests ask about a real salary, and the bad ones are tested in test_api_rank.py.
# A list takes one facet at a time (two are a 400 by contract, which no schema can say),
# so generated list requests vary the country alone.
SCHEMATHESIS_CONFIG = """
[parameters]
"query.specialization" = "back-end"
"query.technology" = "flask"
"query.salary" = 6000

[[operations]]
include-path = "/api/v1/stats/"
parameters = { "query.seniority" = "", "query.english_level" = "", "query.remote" = "" }
"""


def test_schemathesis_finds_nothing_with_every_check_in_every_phase(live_api, tmp_path):
    url, key = live_api
    config = tmp_path / "schemathesis.toml"
    config.write_text(SCHEMATHESIS_CONFIG)
    st = os.path.join(os.path.dirname(sys.executable), "st")
    command = [
        st, "--config-file", str(config), "--no-color", "run", url,
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", "25",
        "--seed", "2024",
        "--generation-database", "none",
        "--continue-on-failure",
        "--header", f"Authorization: Api-Key {key}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-12_000:] + result.stderr[-2_000:]
    assert "Tested: 8" in result.stdout


# --- A client generated from the live schema, as a partner would make one ---

CLIENT_CONFIG = "package_name_override: devsalaries_client\npost_hooks: []\n"


def generated_client(schema_url: str, where) -> object:
    """Generate the client package into ``where`` and import it."""
    schema = where / "schema.json"
    schema.write_bytes(httpx.get(schema_url, timeout=30).raise_for_status().content)
    config = where / "client.yaml"
    config.write_text(CLIENT_CONFIG)
    generator = os.path.join(os.path.dirname(sys.executable), "openapi-python-client")
    result = subprocess.run(
        [generator, "generate", "--path", str(schema), "--meta", "none", "--config", str(config),
         "--output-path", str(where / "devsalaries_client")],
        capture_output=True, text=True, timeout=120, cwd=where,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(where))
    try:
        return importlib.import_module("devsalaries_client")
    finally:
        sys.path.remove(str(where))


def test_a_generated_client_reads_every_endpoint_into_its_models(live_api, live_server, tmp_path):
    url, key = live_api
    package = generated_client(url, tmp_path)
    api = importlib.import_module("devsalaries_client.api.stats")
    catalogue = importlib.import_module("devsalaries_client.api.catalogue")
    models = importlib.import_module("devsalaries_client.models")
    for name in ("stats_list", "stats_retrieve", "stats_history"):
        importlib.import_module(f"devsalaries_client.api.stats.{name}")
    for name in (
        "specializations_list",
        "specializations_retrieve",
        "technologies_list",
        "technologies_retrieve",
    ):
        importlib.import_module(f"devsalaries_client.api.catalogue.{name}")
    client = package.AuthenticatedClient(base_url=live_server.url, token=key, prefix="Api-Key")

    listing = api.stats_list.sync_detailed(client=client, year=2024, page_size=2)
    assert listing.status_code == 200
    assert isinstance(listing.parsed, models.PaginatedStatsListItemList)
    assert listing.parsed.count == 6 and len(listing.parsed.results) == 2
    first = listing.parsed.results[0]
    assert isinstance(first, models.SalaryStat)
    assert all(isinstance(band, models.HistogramBand) for band in first.histogram or [])

    # An array parameter goes out repeated (ordering=-year&ordering=offers): both are read.
    ordering = [models.StatsListOrderingItem("-offers"), models.StatsListOrderingItem("year")]
    ordered = api.stats_list.sync(client=client, ordering=ordering)
    offers = [stat.offers for stat in ordered.results]
    assert offers == sorted(offers, reverse=True)

    # One facet: the items are breakdown entries (none here: no offer names a country).
    by_country = api.stats_list.sync_detailed(client=client, country="UA")
    assert by_country.status_code == 200 and by_country.parsed.count == 0

    refused = api.stats_list.sync_detailed(client=client, page_size=501)
    assert refused.status_code == 400 and isinstance(refused.parsed, models.QueryErrors)
    assert "page_size" in refused.parsed.additional_properties

    one = api.stats_retrieve.sync(
        specialization="back-end", technology="flask", year=2024, client=client
    )
    assert isinstance(one, models.SalaryStat) and one.offers == 6
    assert isinstance(one.by_seniority, models.BySeniority)
    missing = api.stats_retrieve.sync_detailed(
        specialization="back-end", technology="flask", year=2031, client=client
    )
    assert missing.status_code == 404 and isinstance(missing.parsed, models.Error)
    history = api.stats_history.sync(specialization="all", technology="all", client=client)
    assert isinstance(history, models.SalaryStatHistory)
    assert [stat.year for stat in history.results] == [2024]

    specializations = catalogue.specializations_list.sync(client=client)
    assert isinstance(specializations, models.PaginatedSpecializationList)
    assert [item.slug for item in specializations.results] == ["back-end"]
    specialization = catalogue.specializations_retrieve.sync(slug="back-end", client=client)
    assert isinstance(specialization, models.Specialization)
    technologies = catalogue.technologies_list.sync(client=client)
    assert isinstance(technologies, models.PaginatedTechnologyList)
    flask = catalogue.technologies_retrieve.sync(slug="flask", client=client)
    assert isinstance(flask, models.Technology) and flask.related == ["react"]
