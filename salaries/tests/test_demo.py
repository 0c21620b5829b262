"""The demo data reproduces the reference page and is safe to load twice."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from salaries.demo import REFERENCE_MEDIAN, REFERENCE_OFFERS, YEARS, demo_offers
from salaries.models import Offer, Specialization, Technology
from salaries.selectors import salary_stat_get


def in_reference_slice(row) -> bool:
    return (
        row["specialization"] == "back-end"
        and "flask" in row["technologies"].split(";")
        and row["offered_on"].startswith("2024-")
    )


def test_generator_builds_the_reference_slice_exactly():
    rows = [row for row in demo_offers(5000) if in_reference_slice(row)]
    assert len(rows) == REFERENCE_OFFERS == 571
    assert np.percentile([r["salary"] for r in rows], 50, method="linear") == REFERENCE_MEDIAN
    assert len({r["candidate_id"] for r in rows}) == 143


def test_generator_is_deterministic_and_varied():
    first, second = list(demo_offers(3000)), list(demo_offers(3000))
    assert first == second
    assert {r["offered_on"][:4] for r in first} == {str(y) for y in YEARS}
    assert len({r["specialization"] for r in first}) >= 8
    assert len({t for r in first for t in r["technologies"].split(";")}) >= 40
    repeat = [
        c
        for c in {r["candidate_id"] for r in first}
        if sum(r["candidate_id"] == c for r in first) > 1
    ]
    assert repeat, "some candidates receive several offers"


@pytest.mark.django_db
def test_loaded_demo_shows_571_offers_and_a_7707_median():
    call_command("load_demo_data", "--offers", "3000", stdout=StringIO())
    call_command("compute_salary_stats", stdout=StringIO())
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert (stat.offers, stat.median, stat.candidates) == (571, 7707, 143)
    assert Specialization.objects.get(slug="back-end").person_title == "Back-End Web Developer"
    assert Specialization.objects.count() >= 8 and Technology.objects.count() >= 40
    flask = Technology.objects.get(slug="flask")
    assert {"django", "fastapi"} <= set(flask.related.values_list("slug", flat=True))

    count = Offer.objects.count()
    out = StringIO()
    call_command("load_demo_data", "--offers", "3000", stdout=out)
    assert Offer.objects.count() == count
    assert "0 offers created" in out.getvalue()
