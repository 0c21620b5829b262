"""``GET /api/v1/stats/<spec>/<tech>/<year>/rank/?salary=N`` over HTTP: the contract's
shape, the figure from the published histogram, withheld slices, bad input, the schema
and the cache."""

import pytest

from salaries.models import Offer
from salaries.rank import percent_below
from salaries.selectors import salary_stat_get
from salaries.tests.test_rank import reference

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/back-end/flask/2024/rank/"


def test_answer_has_the_contract_shape_and_the_reference_figure(api, published):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    salaries = list(
        Offer.objects.filter(
            specialization=published["back-end"],
            technologies=published["flask"],
            offered_on__year=2024,
        ).values_list("salary", flat=True)
    )
    for salary in (1, 3000, 6000, 7777, 8250, 100_000):
        response = api.get(URL, {"salary": salary})
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"salary", "percent_below", "offers", "computed_at", "filters"}
        assert body["salary"] == salary
        assert body["offers"] == stat.offers == len(salaries)
        assert body["percent_below"] == reference(salaries, salary)
        assert body["filters"] == {}
        assert (
            body["computed_at"]
            == api.get("/api/v1/stats/back-end/flask/2024/").json()["computed_at"]
        )


def test_withheld_histogram_answers_null_with_the_rule(api, withheld_slices):
    body = api.get(URL, {"salary": 9000}).json()
    assert body["percent_below"] is None
    assert body["withheld"] == "dominance"
    assert body["offers"] == 10


@pytest.mark.parametrize("value", ["0", "100001", "abc", "6k", "6000.5", "-5", ""])
def test_bad_or_missing_salary_is_a_400_naming_it(api, published, value):
    response = api.get(URL, {"salary": value})
    assert response.status_code == 400
    assert "salary" in response.json()


def test_repeated_salary_is_a_400(api, published):
    response = api.get(URL + "?salary=5000&salary=6000")
    assert response.status_code == 400
    assert "salary" in response.json()


def test_unknown_slice_is_a_404(api, published):
    response = api.get("/api/v1/stats/back-end/cobol/2024/rank/", {"salary": 5000})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_answers_are_cached_per_salary_with_etags(api, published):
    first = api.get(URL, {"salary": 6000})
    other = api.get(URL, {"salary": 7000})
    assert first["ETag"] != other["ETag"]
    again = api.get(URL, {"salary": 6000, "utm_source": "x"})
    assert again["ETag"] == first["ETag"] and again.json() == first.json()
    assert api.get(URL, {"salary": 6000}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert "max-age" in first["Cache-Control"]


def test_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/stats/{specialization}/{technology}/{year}/rank/"]["get"]
    salary = next(p for p in operation["parameters"] if p["name"] == "salary")
    assert salary["required"] is True
    assert salary["schema"]["minimum"] == 1 and salary["schema"]["maximum"] == 100000
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_same_figure_as_the_histogram_the_slice_publishes(api, published):
    body = api.get("/api/v1/stats/back-end/flask/2024/").json()
    assert api.get(URL, {"salary": 7000}).json()["percent_below"] == percent_below(
        body["histogram"], 7000
    )
