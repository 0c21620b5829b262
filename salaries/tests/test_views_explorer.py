"""The explorer over HTTP: filters, sorting and pagination shared with the API."""

import random
import re

import pytest

from portal.tests.support import text_of
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import TechnologyFactory, add_offers
from salaries.models import SalaryStat
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db


# --- The explorer ---


def test_explorer_lists_the_newest_year_ordered_by_offers(client, published):
    response = client.get("/salaries/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<td><a href="(/salaries/[^"]+)">', html)
    expected = (
        SalaryStat.objects.filter(year=2024, specialization__isnull=False, technology__isnull=False)
        .order_by("-offers")
        .select_related("specialization", "technology")
    )
    assert rows == [stat.get_absolute_url() for stat in expected]
    # Change against the year before, where both years have a median.
    flask = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    before = salary_stat_get(specialization="back-end", technology="flask", year=2023)
    change = (flask.median - before.median) * 100 / before.median
    assert f"{change:+.1f}%" in html


def test_explorer_filters_and_sorts_like_the_api(client, published):
    html = client.get("/salaries/?specialization=back-end&ordering=-median").content.decode()
    rows = re.findall(r'<td><a href="/salaries/([^"]+)">', html)
    # Published medians first, highest first; the thin slice last.
    assert rows == ["back-end/flask/2024/", "back-end/django/2024/", "back-end/fastapi/2024/"] or (
        rows == ["back-end/django/2024/", "back-end/flask/2024/", "back-end/fastapi/2024/"]
    )
    medians = [
        salary_stat_get(specialization="back-end", technology=r.split("/")[1], year=2024).median
        for r in rows[:2]
    ]
    assert medians == sorted(medians, reverse=True)
    roll_ups = client.get("/salaries/?specialization=all&technology=all").content.decode()
    assert re.findall(r'<td><a href="/salaries/([^"]+)">', roll_ups) == ["all/all/2024/"]
    older = client.get("/salaries/?year=2023").content.decode()
    assert re.findall(r'<td><a href="/salaries/([^"]+)">', older) == ["back-end/flask/2023/"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("technology=nope", "Technology"),
        ("specialization=DROP%20TABLE", "Specialization"),
        ("year=abc", "Year"),
        ("year=99999", "Year"),
        ("min_offers=-1", "Minimum offers"),
        ("ordering=salary", "Ordering"),
    ],
)
def test_explorer_bad_parameters_get_a_400_naming_the_field(client, published, query, field):
    response = client.get(f"/salaries/?{query}")
    assert response.status_code == 400
    text = text_of(response)
    assert "Those filters don't work" in text
    assert f"{field}:" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ordering=median,", '"median," has an empty item'),
        ("ordering=,median", '",median" has an empty item'),
        ("ordering=median,,offers", '"median,,offers" has an empty item'),
        ("year=2024&year=2023", 'The parameter "year" is given 2 times'),
        ("technology=flask&technology=django", 'The parameter "technology" is given 2 times'),
    ],
)
def test_explorer_odd_lists_and_repeats_get_a_400_saying_why(client, published, query, message):
    response = client.get(f"/salaries/?{query}")
    assert response.status_code == 400
    assert message in text_of(response)


def test_explorer_honours_a_repeated_ordering_as_one_combined_ordering(client, published):
    combined = client.get("/salaries/?ordering=-year,offers")
    repeated = client.get("/salaries/?ordering=-year&ordering=offers")
    assert repeated.status_code == combined.status_code == 200
    rows = re.findall(r'<td><a href="/salaries/([^"]+)">', repeated.content.decode())
    assert rows == re.findall(r'<td><a href="/salaries/([^"]+)">', combined.content.decode())
    assert len(rows) > 1
    assert 'name="ordering" value="-year,offers"' in repeated.content.decode()


def test_explorer_page_given_twice_is_a_400(client, published):
    response = client.get("/salaries/?page=1&page=2")
    assert response.status_code == 400
    assert 'The parameter "page" is given 2 times' in text_of(response)


@pytest.mark.parametrize("page", ["999", "abc", "-1", "1.5"])
def test_explorer_page_parameter_never_fails(client, published, page):
    assert client.get(f"/salaries/?page={page}").status_code == 200


def test_explorer_paginates(client, catalogue):
    rng = random.Random(7)
    spec = catalogue["back-end"]
    for i in range(55):
        tech = TechnologyFactory(slug=f"t-{i:02d}", name=f"T {i:02d}")
        add_offers(spec, [tech], 2024, 1, rng=rng)
    salary_stats_refresh(min_offers=5)
    first = client.get("/salaries/").content.decode()
    assert len(re.findall(r'<td><a href="/salaries/', first)) == 50
    assert "page 1 of 2" in first
    second = client.get("/salaries/?page=2").content.decode()
    assert len(re.findall(r'<td><a href="/salaries/', second)) == 5


def test_explorer_before_any_statistics(client, db):
    response = client.get("/salaries/")
    assert response.status_code == 200
    assert "No statistics have been published yet" in text_of(response)


def test_explorer_filters_matching_nothing_say_so(client, published):
    response = client.get("/salaries/?min_offers=100000")
    assert response.status_code == 200
    assert "No figures match these filters" in text_of(response)
