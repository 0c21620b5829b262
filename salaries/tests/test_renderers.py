"""CSV answers of the partner API: fixed columns, withheld figures as empty cells, safe
to open in a spreadsheet."""

import csv
import io

import pytest

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.models import Technology
from salaries.renderers import STAT_COLUMNS
from salaries.tests.support import api_slices  # noqa: F401 (the "published" fixture)

pytestmark = pytest.mark.django_db


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
