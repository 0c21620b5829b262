"""compute_salary_stats and create_partner_key as an operator runs them."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework_api_key.models import APIKey

from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.models import Partner, PartnerAPIKey, SalaryStat

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_compute_salary_stats_reports_what_it_published():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    OfferFactory(specialization=spec, technologies=[tech], offered_on=datetime.date(2023, 5, 1))
    out = run("compute_salary_stats")
    assert "Published 8 slices over 2 offers" in out
    assert "years: 2023, 2024" in out
    assert SalaryStat.objects.count() == 8


def test_compute_salary_stats_for_one_year():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    OfferFactory(specialization=spec, technologies=[tech], offered_on=datetime.date(2023, 5, 1))
    out = run("compute_salary_stats", "--year", "2023")
    assert "(year 2023; years: 2023)" in out
    assert set(SalaryStat.objects.values_list("year", flat=True)) == {2023}


def test_compute_salary_stats_without_offers_says_so():
    assert "No offers for all years" in run("compute_salary_stats")


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_compute_salary_stats_rejects_an_impossible_year(year):
    with pytest.raises(CommandError, match="--year must be between 2000 and 2100"):
        run("compute_salary_stats", "--year", year)


def test_create_partner_key_prints_a_working_key_alone_on_the_last_line():
    out = run("create_partner_key", "Acme Jobs", "--rate", "10/minute")
    key = out.strip().splitlines()[-1]
    assert " " not in key
    api_key = PartnerAPIKey.objects.get_from_key(key)
    assert api_key.partner.name == "Acme Jobs"
    assert api_key.partner.rate == "10/minute"
    assert PartnerAPIKey.objects.is_valid(key)
    assert not APIKey.objects.filter(prefix=api_key.prefix).exists()
    assert key not in str(PartnerAPIKey.objects.values_list("hashed_key", flat=True)[0])


def test_a_second_key_for_the_same_partner_keeps_the_first():
    first = run("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    second = run("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    assert first != second
    assert Partner.objects.count() == 1
    assert PartnerAPIKey.objects.is_valid(first) and PartnerAPIKey.objects.is_valid(second)
    assert Partner.objects.get().rate == "1000/hour"


@pytest.mark.parametrize("rate", ["5k/hour", "10/week", "0/hour", "ten/minute", "100"])
def test_create_partner_key_rejects_a_bad_rate_and_creates_nothing(rate):
    with pytest.raises(CommandError, match="rate must look like 1000/hour"):
        run("create_partner_key", "Acme Jobs", "--rate", rate)
    assert not Partner.objects.exists()


def test_create_partner_key_needs_a_name():
    with pytest.raises(CommandError, match="must not be empty"):
        run("create_partner_key", "   ")
