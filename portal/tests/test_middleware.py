"""A database outage answers 503 with Retry-After: a page for visitors, JSON for partners."""

import pytest
from django.db import OperationalError

from salaries import api
from salaries.views import explorer

pytestmark = pytest.mark.django_db


def broken(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")


def test_a_page_says_back_in_a_moment(client, monkeypatch):
    monkeypatch.setattr(explorer, "render", broken)
    response = client.get("/salaries/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10" and response["Cache-Control"] == "no-store"
    assert "Back in a moment" in response.content.decode()


def test_the_api_answers_json(client, monkeypatch):
    monkeypatch.setattr(api.SalaryStatViewSet, "list", broken)
    response = client.get("/api/v1/stats/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json()["code"] == "service_unavailable"


def test_other_errors_are_not_disguised_as_outages(client, monkeypatch):
    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(explorer, "render", bug)
    client.raise_request_exception = False
    assert client.get("/salaries/").status_code == 500


# --- NUL characters: no database stores one, PostgreSQL refuses the whole query ---


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/articles/?tag=%00", "tag"),
        ("/articles/?topic=fl%00ask", "topic"),
        ("/newsletter/?topic=%00", "topic"),
        ("/search/?q=a%00b", "q"),
        ("/salaries/?technology=%00", "technology"),
        ("/?%00=1", "\\x00"),
    ],
)
def test_a_null_character_in_a_page_parameter_is_a_400_naming_it(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"The parameter &quot;{parameter}&quot; holds a null character" in html


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stats/?technology=%00",
        "/api/v1/technologies/?format=%00",
        "/api/v1/stats/back-end/flask/2024/?x=%00",
    ],
)
def test_a_null_character_in_a_partner_api_parameter_is_a_json_400_naming_it(client, url):
    response = client.get(url)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    (messages,) = response.json().values()
    assert "holds a null character" in messages[0]


def test_a_null_character_in_the_content_api_is_a_json_400(client, home):
    for url in (
        "/api/v2/pages/?search=%00",
        "/api/v2/pages/?locale=%00",
        "/api/v2/images/?title=%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "null character" in response.json()["message"]


@pytest.mark.parametrize("url", ["/salaries/%00/", "/%00/", "/api/v1/specializations/%00/"])
def test_a_null_character_in_the_path_is_a_404(client, home, url):
    assert client.get(url).status_code == 404
