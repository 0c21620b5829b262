"""Faceted cells on demand against the independent reference, on random offers with random
facet fields; the rules at their boundaries in on-demand cells; the statements a faceted
answer takes do not grow with the data; answers come from the facts of the last run."""

import random
from fractions import Fraction

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from salaries.engine.on_demand import faceted_figures
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.models import SalaryStat
from salaries.tests.facet_reference import (
    FACET_VALUES,
    Rules,
    load,
    published_shape,
    random_offers,
    reference_cell,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("seed", "rules"),
    [
        (11, Rules()),
        (12, Rules(min_offers=2, min_candidates=2, share=Fraction(3, 5), tails=3)),
        (13, Rules(min_offers=3, min_candidates=3, share=Fraction(2, 3), tails=5)),
    ],
)
def test_combinations_match_the_reference(seed, rules):
    rng = random.Random(seed)
    offers = random_offers(rng, 120, people=14)
    load(offers)
    with override_settings(
        SALARY_MIN_OFFERS=rules.min_offers,
        SALARY_MIN_CANDIDATES=rules.min_candidates,
        SALARY_MAX_CANDIDATE_SHARE=float(rules.share),
        SALARY_MIN_CANDIDATES_TAILS=rules.tails,
    ):
        salary_stats_refresh()
        stats = list(SalaryStat.objects.select_related("specialization", "technology"))
        checked = 0
        for stat in stats:
            key = (stat.specialization_slug, stat.technology_slug, stat.year)
            for _ in range(4):
                facets = {
                    facet: rng.choice(values[1:])
                    for facet, values in FACET_VALUES.items()
                    if rng.random() < 0.45
                } or {"remote": "true"}
                expected = reference_cell(offers, *key, facets, rules)
                found = faceted_figures(stat=stat, facets=facets)
                assert published_shape(found) == expected, (key, facets)
                checked += expected["offers"] > 0
        assert checked > 20


@pytest.fixture
def flask_2024():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")

    def add(candidates, **fields):
        for i, candidate in enumerate(candidates):
            OfferFactory(
                specialization=spec,
                technologies=[tech],
                candidate=candidate,
                salary=4000 + 100 * i,
                **fields,
            )

    def stat():
        salary_stats_refresh()
        return SalaryStat.objects.get(specialization=spec, technology=tech, year=2024)

    return add, stat


def people(count):
    return [CandidateFactory() for _ in range(count)]


SENIOR_REMOTE = {"seniority": "senior", "remote": "true"}


@pytest.mark.parametrize(("count", "withheld"), [(4, "min_offers"), (5, "tails")])
def test_a_combination_needs_five_offers(flask_2024, count, withheld):
    add, stat = flask_2024
    add(people(count), seniority="senior", remote=True)
    add(people(6), seniority="junior", remote=False)
    figures = faceted_figures(stat=stat(), facets=SENIOR_REMOTE)
    assert (figures["offers"], figures["withheld"]) == (count, withheld)
    assert (figures["median"] is None) == (withheld == "min_offers")


@pytest.mark.parametrize(("count", "withheld"), [(4, "min_candidates"), (5, "tails")])
def test_a_combination_needs_five_candidates(flask_2024, count, withheld):
    add, stat = flask_2024
    who = people(count)
    add([*who, *who], seniority="senior", remote=True)
    add(people(6), seniority="junior", remote=False)
    figures = faceted_figures(stat=stat(), facets=SENIOR_REMOTE)
    assert (figures["candidates"], figures["withheld"]) == (count, withheld)


@pytest.mark.parametrize(("busiest", "withheld"), [(5, "dominance"), (4, "tails")])
def test_a_candidate_with_half_the_offers_of_a_combination_withholds_it(
    flask_2024, busiest, withheld
):
    add, stat = flask_2024
    add(people(1) * busiest + people(5), seniority="senior", remote=True)
    add(people(6), seniority="junior", remote=False)
    assert faceted_figures(stat=stat(), facets=SENIOR_REMOTE)["withheld"] == withheld


@pytest.mark.parametrize(("count", "withheld"), [(9, "tails"), (10, None)])
def test_a_combination_needs_ten_candidates_for_its_tails(flask_2024, count, withheld):
    add, stat = flask_2024
    add(people(count), seniority="senior", remote=True)
    add(people(6), seniority="junior", remote=False)
    figures = faceted_figures(stat=stat(), facets=SENIOR_REMOTE)
    assert figures["withheld"] == withheld
    assert (figures["p10"] is None) == (withheld == "tails")
    assert figures["median"] is not None


@pytest.mark.parametrize(("others", "withheld"), [(4, "complement"), (5, "tails")])
def test_each_facet_of_a_combination_needs_enough_people_outside_it(flask_2024, others, withheld):
    add, stat = flask_2024
    add(people(8), seniority="senior", remote=True)
    add(people(others), seniority="senior", remote=False)  # outside "remote", inside "senior"
    add(people(6), seniority="junior", remote=True)
    assert faceted_figures(stat=stat(), facets=SENIOR_REMOTE)["withheld"] == withheld


def test_a_combination_matching_nothing_is_an_empty_cell(flask_2024):
    add, stat = flask_2024
    add(people(6), seniority="junior", remote=False)
    figures = faceted_figures(stat=stat(), facets={"country": "ZZ"})
    assert figures["offers"] == 0
    assert figures["withheld"] == "min_offers"
    assert figures["median"] is figures["histogram"] is None
    assert figures["by_seniority"] == {}


def test_answers_come_from_the_published_run_not_from_offers_imported_since(flask_2024):
    add, stat = flask_2024
    add(people(6), seniority="senior", remote=True)
    published = stat()
    add(people(3), seniority="senior", remote=True)
    assert faceted_figures(stat=published, facets=SENIOR_REMOTE)["offers"] == 6


def test_statements_per_combination_do_not_grow_with_the_data(flask_2024):
    add, stat = flask_2024

    def statements():
        current = stat()
        with CaptureQueriesContext(connection) as queries:
            faceted_figures(stat=current, facets={**SENIOR_REMOTE, "country": "UA"})
        return len(queries)

    add(people(6), seniority="senior", remote=True, country="UA")
    small = statements()
    add(people(60), seniority="senior", remote=True, country="UA")
    add(people(60), seniority="junior", remote=False, country="PL")
    assert statements() == small == 1


def test_a_one_year_refresh_keeps_every_other_years_facts(flask_2024):
    add, stat = flask_2024
    spec, tech = SpecializationFactory(slug="front-end"), TechnologyFactory(slug="vue")
    for i, candidate in enumerate(people(6)):
        OfferFactory(
            specialization=spec,
            technologies=[tech],
            candidate=candidate,
            offered_on="2023-03-01",
            salary=3000 + 10 * i,
            seniority="senior",
            remote=True,
        )
    add(people(6), seniority="senior", remote=True)
    stat()
    earlier = SalaryStat.objects.get(specialization=spec, technology=tech, year=2023)
    before = faceted_figures(stat=earlier, facets=SENIOR_REMOTE)
    add(people(2), seniority="senior", remote=True)
    salary_stats_refresh(year=2024)
    assert faceted_figures(stat=earlier, facets=SENIOR_REMOTE) == before
    assert before["offers"] == 6
    flask = SalaryStat.objects.get(specialization__slug="back-end", technology__slug="flask")
    assert faceted_figures(stat=flask, facets=SENIOR_REMOTE)["offers"] == 8


def test_refresh_after_refresh_keeps_answering_from_the_newest_facts(flask_2024):
    # Each refresh puts a new facts table in place (on PostgreSQL): its indexes, its
    # sequence and its name must survive being replaced again.
    add, stat = flask_2024
    add(people(6), seniority="senior", remote=True)
    for extra in (1, 2, 3):
        add(people(1), seniority="senior", remote=True)
        assert faceted_figures(stat=stat(), facets=SENIOR_REMOTE)["offers"] == 6 + extra
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "salaries_salaryfact")
    assert {"fact_slice_idx"} <= set(indexes)
    assert any(c["primary_key"] for c in indexes.values())
