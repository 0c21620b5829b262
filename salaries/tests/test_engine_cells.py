"""Every breakdown of every slice against the independent reference, on random offers with
random facet fields, and the disclosure rules at their boundaries inside breakdowns.

Runs on whichever database the suite runs on (SQLite and PostgreSQL alike)."""

import random
from fractions import Fraction

import pytest
from django.test import override_settings

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.models import SalaryStat
from salaries.tests.facet_reference import (
    Rules,
    load,
    published_shape,
    random_offers,
    reference_cell,
)

pytestmark = pytest.mark.django_db

FIELDS = [
    "offers", "candidates", "median", "mean", "p10", "p25", "p75", "p90", "histogram",
    "withheld", "by_seniority", "by_english_level", "by_remote", "by_country",
]  # fmt: skip


@pytest.mark.parametrize(
    ("seed", "rules"),
    [
        (1, Rules()),
        (2, Rules()),
        (3, Rules(min_offers=2, min_candidates=2, share=Fraction(3, 5), tails=4)),
        (4, Rules(min_offers=3, min_candidates=3, share=Fraction(1, 3), tails=6)),
    ],
)
def test_every_breakdown_of_every_slice_matches_the_reference(seed, rules):
    offers = random_offers(random.Random(seed), 90)
    load(offers)
    with override_settings(
        SALARY_MIN_OFFERS=rules.min_offers,
        SALARY_MIN_CANDIDATES=rules.min_candidates,
        SALARY_MAX_CANDIDATE_SHARE=float(rules.share),
        SALARY_MIN_CANDIDATES_TAILS=rules.tails,
    ):
        salary_stats_refresh()
    stats = SalaryStat.objects.select_related("specialization", "technology")
    assert stats.exists()
    for stat in stats:
        key = (stat.specialization_slug, stat.technology_slug, stat.year)
        expected = reference_cell(offers, *key, {}, rules)
        figures = {name: getattr(stat, name) for name in FIELDS}
        assert published_shape(figures) == expected, key


def _offers(spec, tech, candidates, *, rng, **fields):
    for candidate in candidates:
        OfferFactory(
            specialization=spec,
            technologies=[tech],
            candidate=candidate,
            salary=rng.randint(3000, 9000),
            **fields,
        )


def _flask_2024():
    salary_stats_refresh()
    return SalaryStat.objects.get(
        specialization__slug="back-end", technology__slug="flask", year=2024
    )


@pytest.fixture
def slice_parts():
    return SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")


def people(count):
    return [CandidateFactory() for _ in range(count)]


@pytest.mark.parametrize(("count", "withheld"), [(4, "min_offers"), (5, None)])
def test_a_country_entry_needs_five_offers(slice_parts, count, withheld):
    rng = random.Random(count)
    _offers(*slice_parts, people(count), rng=rng, country="PL")
    _offers(*slice_parts, people(6), rng=rng, country="UA")
    entry = _flask_2024().by_country["PL"]
    assert (entry["offers"], entry["withheld"]) == (count, withheld)
    assert (entry["median"] is None) == (withheld is not None)


@pytest.mark.parametrize(("count", "withheld"), [(4, "min_candidates"), (5, None)])
def test_a_remote_entry_needs_five_candidates(slice_parts, count, withheld):
    rng = random.Random(count)
    who = people(count)
    _offers(*slice_parts, [*who, who[0], who[1]], rng=rng, remote=True)  # 6 or 7 offers
    _offers(*slice_parts, people(6), rng=rng, remote=False)
    entry = _flask_2024().by_remote["true"]
    assert (entry["candidates"], entry["withheld"]) == (count, withheld)
    assert (entry["p25"] is None) == (withheld is not None)


@pytest.mark.parametrize(("busiest", "withheld"), [(5, "dominance"), (4, None)])
def test_a_candidate_with_half_the_offers_of_an_english_level_withholds_it(
    slice_parts, busiest, withheld
):
    rng = random.Random(busiest)
    one = people(1)
    # busiest offers from one person and 5 from five others: 5 of 10 is exactly half.
    _offers(*slice_parts, one * busiest + people(5), rng=rng, english_level="advanced")
    _offers(*slice_parts, people(6), rng=rng, english_level="basic")
    entry = _flask_2024().by_english_level["advanced"]
    assert entry["withheld"] == withheld


@pytest.mark.parametrize(("others", "withheld"), [(4, "complement"), (5, None), (0, None)])
def test_a_country_entry_needs_enough_people_outside_it(slice_parts, others, withheld):
    rng = random.Random(others)
    _offers(*slice_parts, people(8), rng=rng, country="UA")
    _offers(*slice_parts, people(others), rng=rng, country="")  # no country: outside UA
    entry = _flask_2024().by_country["UA"]
    assert entry["withheld"] == withheld


def test_breakdown_entries_carry_no_tails(slice_parts):
    _offers(*slice_parts, people(6), rng=random.Random(9), seniority="senior", remote=True)
    _offers(*slice_parts, people(6), rng=random.Random(8), seniority="junior", remote=False)
    stat = _flask_2024()
    assert stat.withheld is None
    for breakdown in (stat.by_seniority, stat.by_remote):
        for entry in breakdown.values():
            assert entry["withheld"] is None  # 6 candidates: never "tails" in an entry
            assert set(entry) == {"offers", "candidates", "median", "p25", "p75", "withheld"}
