"""A specialization's page over HTTP: its technologies ranked for a year."""

import re

import pytest

from portal.tests.support import text_of
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db


# --- The specialization page ---


def test_specialization_page_ranks_its_technologies(client, published):
    response = client.get("/salaries/back-end/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Back-End Web Developer Salaries by Technology in 2024" in html
    charts = re.findall(r'<svg class="chart chart--bars".*?</svg>', html, re.S)
    assert len(charts) == 2
    by_offers = re.findall(r'class="chart__label"[^>]*>([^<]+)<', charts[0])
    assert by_offers == ["Flask", "Django", "FastAPI"]  # 60, 30, 3 offers
    by_median = re.findall(r'class="chart__label"[^>]*>([^<]+)<', charts[1])
    medians = {
        name: salary_stat_get(specialization="back-end", technology=slug, year=2024).median
        for name, slug in (("Flask", "flask"), ("Django", "django"))
    }
    assert by_median == sorted(medians, key=lambda name: -medians[name])  # FastAPI: too few


def test_specialization_page_year_parameter(client, published):
    response = client.get("/salaries/back-end/?year=2023")
    assert response.status_code == 200
    assert "in 2023" in response.content.decode()
    for bad in ("1999", "abc", "2024x", "²", "١٢٣", "1e400", "9" * 10_000, "2024,2023"):
        bad_response = client.get("/salaries/back-end/", {"year": bad})
        assert bad_response.status_code == 400, bad
        assert "Years with data: 2024, 2023" in text_of(bad_response)


def test_specialization_page_year_given_twice_is_a_400_naming_it(client, published):
    response = client.get("/salaries/back-end/?year=2024&year=2023")
    assert response.status_code == 400
    assert 'The parameter "year" is given 2 times; give it once.' in text_of(response)


def test_all_works_as_a_specialization(client, published):
    response = client.get("/salaries/all/")
    assert response.status_code == 200
    assert "Software Developer Salaries by Technology in 2024" in response.content.decode()
