"""compute_salary_stats as an operator runs it: what it published, for which years."""

import datetime

import pytest
from django.core.management import CommandError

from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.models import SalaryStat
from salaries.tests.support import run_command

pytestmark = pytest.mark.django_db


def test_compute_salary_stats_reports_what_it_published():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    OfferFactory(specialization=spec, technologies=[tech], offered_on=datetime.date(2023, 5, 1))
    out = run_command("compute_salary_stats")
    assert "Published 8 slices over 2 offers" in out
    assert "years: 2023, 2024" in out
    assert SalaryStat.objects.count() == 8


def test_compute_salary_stats_for_one_year():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    OfferFactory(specialization=spec, technologies=[tech], offered_on=datetime.date(2023, 5, 1))
    out = run_command("compute_salary_stats", "--year", "2023")
    assert "(year 2023; years: 2023)" in out
    assert set(SalaryStat.objects.values_list("year", flat=True)) == {2023}


def test_compute_salary_stats_without_offers_says_so():
    assert "No offers for all years" in run_command("compute_salary_stats")


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_compute_salary_stats_rejects_an_impossible_year(year):
    with pytest.raises(CommandError, match="--year must be between 2000 and 2100"):
        run_command("compute_salary_stats", "--year", year)
