"""A database outage answers 503 with Retry-After: a page for visitors, JSON for partners."""

import pytest
from django.db import OperationalError

from salaries import api, views

pytestmark = pytest.mark.django_db


def broken(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")


def test_a_page_says_back_in_a_moment(client, monkeypatch):
    monkeypatch.setattr(views, "render", broken)
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

    monkeypatch.setattr(views, "render", bug)
    client.raise_request_exception = False
    assert client.get("/salaries/").status_code == 500
