"""The statistics refresh against an independent reference computed over random offers.

Runs on whichever database the suite runs on, so SQLite and PostgreSQL are each held to
the same reference.
"""

import datetime
from collections import Counter, defaultdict
from fractions import Fraction

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salaries.engine import aggregation, refresh
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.generation import GENERATION_KEY, stats_generation
from salaries.models import (
    Offer,
    OfferTechnology,
    SalaryStat,
    StatsRun,
)

pytestmark = pytest.mark.django_db

SPECS = ["back-end", "front-end", "data"]
TECHS = ["python", "flask", "react", "postgresql"]
LEVELS = ["", "junior", "middle", "senior", "expert"]

offer_strategy = st.tuples(
    st.integers(0, len(SPECS) - 1),
    st.sets(st.integers(0, len(TECHS) - 1), min_size=1, max_size=3),
    st.sampled_from([2023, 2024]),
    st.sampled_from(LEVELS),
    st.one_of(
        st.integers(1, 20_000),
        st.sampled_from([499, 500, 4999, 5000, 5499, 5500]),
    ),
    st.integers(0, 12),  # candidate
)


def reference_numbers(values: list[int]) -> dict:
    """numpy's linear percentiles and mean, in floats."""
    p10, p25, p50, p75, p90 = np.percentile(values, [10, 25, 50, 75, 90], method="linear")
    return {
        "median": p50,
        "p10": p10,
        "p25": p25,
        "p75": p75,
        "p90": p90,
        "mean": float(np.mean(values)),
    }


def build_reference(rows):
    slices = defaultdict(list)  # key -> [(salary, candidate, level)]
    for spec, techs, year, level, salary, candidate in rows:
        for s in (SPECS[spec], "all"):
            for t in [TECHS[i] for i in techs] + ["all"]:
                slices[(s, t, year)].append((salary, candidate, level))
    return slices


def assert_close(engine_value, float_value):
    # numpy works in floats; the engine is exact. They may differ only by float noise
    # on either side of a half, never by a whole dollar.
    assert abs(engine_value - float_value) <= 0.5 + 1e-6


def load(rows):
    specs = [SpecializationFactory(slug=slug) for slug in SPECS]
    techs = [TechnologyFactory(slug=slug) for slug in TECHS]
    candidates = [CandidateFactory(external_id=f"c{i}") for i in range(13)]
    for spec, tech_ids, year, level, salary, candidate in rows:
        OfferFactory(
            specialization=specs[spec],
            technologies=[techs[i] for i in sorted(tech_ids)],
            offered_on=datetime.date(year, 3, 15),
            seniority=level,
            salary=salary,
            candidate=candidates[candidate],
        )


def reference_withheld(entries, rules) -> str | None:
    """The first whole-cell disclosure rule ``entries`` (salary, candidate, level) fail,
    straight from the contract's table: offers, people, the busiest person's share."""
    people = Counter(candidate for _, candidate, _ in entries)
    if len(entries) < rules["min_offers"]:
        return "min_offers"
    if len(people) < rules["min_candidates"]:
        return "min_candidates"
    if Fraction(max(people.values()), len(entries)) >= Fraction(str(rules["share"])):
        return "dominance"
    return None


disclosure_strategy = st.fixed_dictionaries(
    {
        "min_offers": st.integers(1, 6),
        "min_candidates": st.integers(1, 6),
        "share": st.sampled_from([0.5, 0.3, 0.6, 0.25, 1.0]),
        "tails": st.integers(1, 12),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(offer_strategy, min_size=1, max_size=40), rules=disclosure_strategy)
def test_every_slice_matches_the_reference(rows, rules):
    OfferTechnology.objects.all().delete()
    Offer.objects.all().delete()
    SalaryStat.objects.all().delete()
    load(rows)

    with override_settings(
        SALARY_MIN_OFFERS=rules["min_offers"],
        SALARY_MIN_CANDIDATES=rules["min_candidates"],
        SALARY_MAX_CANDIDATE_SHARE=rules["share"],
        SALARY_MIN_CANDIDATES_TAILS=rules["tails"],
    ):
        salary_stats_refresh()

    reference = build_reference(rows)
    published = {
        (s.specialization_slug, s.technology_slug, s.year): s
        for s in SalaryStat.objects.select_related("specialization", "technology")
    }
    assert set(published) == set(reference), "every combination with an offer, and no other"
    for key, entries in reference.items():
        stat = published[key]
        values = [salary for salary, _, _ in entries]
        people = {c for _, c, _ in entries}
        assert stat.offers == len(values), key
        assert stat.candidates == len(people), key
        withheld = reference_withheld(entries, rules)
        if withheld is None and len(people) < rules["tails"]:
            withheld = "tails"
        assert stat.withheld == withheld, key
        if withheld not in (None, "tails"):
            assert stat.median is stat.mean is stat.p25 is stat.p75 is None, key
            assert stat.p10 is stat.p90 is stat.histogram is None, key
            assert not stat.published
        else:
            assert stat.published
            ref = reference_numbers(values)
            names = ["median", "p25", "p75", "mean"]
            if withheld == "tails":
                assert stat.p10 is stat.p90 is None, key
            else:
                names += ["p10", "p90"]
            for name in names:
                assert_close(getattr(stat, name), ref[name])
            assert sum(band["offers"] for band in stat.histogram) == len(values)
        levels = defaultdict(list)
        for entry in entries:
            if entry[2]:
                levels[entry[2]].append(entry)
        assert set(stat.by_seniority) == set(levels), key
        for level, level_entries in levels.items():
            cell = stat.by_seniority[level]
            assert cell["offers"] == len(level_entries)
            assert cell["candidates"] == len({c for _, c, _ in level_entries})
            expected = reference_withheld(level_entries, rules)
            outside = {c for _, c, other in entries if other != level}
            if expected is None and outside and len(outside) < rules["min_candidates"]:
                expected = "complement"
            assert cell["withheld"] == expected, (key, level)
            if expected is not None:
                assert cell["median"] is cell["p25"] is cell["p75"] is None
            else:
                level_values = [s for s, _, _ in level_entries]
                assert_close(cell["median"], np.percentile(level_values, 50, method="linear"))
                assert_close(cell["p25"], np.percentile(level_values, 25, method="linear"))
                assert_close(cell["p75"], np.percentile(level_values, 75, method="linear"))


def test_a_half_always_rounds_up_on_this_database():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    for salary in (7000, 7706, 7707, 9000, 9500, 6000):
        OfferFactory(specialization=spec, technologies=[tech], salary=salary)
    salary_stats_refresh(min_offers=5)
    stat = SalaryStat.objects.get(specialization=spec, technology=tech, year=2024)
    assert stat.median == 7707  # (7706 + 7707) / 2 = 7706.5
    assert stat.mean == 7819  # 46913 / 6 = 7818.83


def test_year_refresh_leaves_other_years_alone_and_drops_vanished_slices():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    old = OfferFactory(
        specialization=spec, technologies=[tech], offered_on=datetime.date(2023, 1, 2)
    )
    OfferFactory(specialization=spec, technologies=[tech], offered_on=datetime.date(2024, 1, 2))
    salary_stats_refresh()
    first_2023 = SalaryStat.objects.get(specialization=spec, technology=tech, year=2023)

    old.offered_on = datetime.date(2024, 5, 5)
    old.save()
    salary_stats_refresh(year=2024)

    assert SalaryStat.objects.get(pk=first_2023.pk).offers == 1, "2023 untouched by --year 2024"
    assert SalaryStat.objects.get(specialization=spec, technology=tech, year=2024).offers == 2

    salary_stats_refresh()
    assert not SalaryStat.objects.filter(year=2023).exists(), "a slice without offers goes"


def test_refresh_publishes_a_new_generation_on_commit(django_capture_on_commit_callbacks):
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    before = stats_generation()
    with django_capture_on_commit_callbacks(execute=True):
        summary = salary_stats_refresh()
    assert stats_generation() == summary.run.pk > before
    assert StatsRun.objects.latest().slices == summary.slices == 4


def test_generation_survives_a_flushed_cache(django_capture_on_commit_callbacks):
    OfferFactory(technologies=[TechnologyFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        run = salary_stats_refresh().run
    cache.delete(GENERATION_KEY)
    assert stats_generation() == run.pk


def test_a_failed_refresh_keeps_the_published_set(monkeypatch):
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    salary_stats_refresh()
    published = list(SalaryStat.objects.values_list("pk", "offers"))

    OfferFactory(specialization=spec, technologies=[tech])

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(refresh, "_published_write", explode)
    with pytest.raises(RuntimeError):
        salary_stats_refresh()
    assert list(SalaryStat.objects.values_list("pk", "offers")) == published
    # The facts stay those of the published set too (answers on demand agree with it).
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM salaries_salaryfact WHERE t = 0")
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("ahead", [True, False], ids=["read ahead", "read after"])
@pytest.mark.parametrize("where", ["figures", "facts"])
def test_a_refresh_failing_between_two_years_keeps_the_published_set(monkeypatch, where, ahead):
    # The facts of a year are written (and the next year's read) beside the figures of
    # the one before: a failure on either side stops both and leaves the connection
    # usable, the published set and its facts untouched.
    if where == "facts" and connection.vendor != "postgresql":
        pytest.skip("the facts are built in SQL on SQLite")
    monkeypatch.setattr(aggregation, "READ_AHEAD_BYTES", 2**40 if ahead else 0)
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    for year in (2022, 2023, 2024):
        OfferFactory(specialization=spec, technologies=[tech], offered_on=f"{year}-03-01")
    salary_stats_refresh()
    published = list(SalaryStat.objects.values_list("pk", "offers"))
    OfferFactory(specialization=spec, technologies=[tech], offered_on="2024-04-01")
    module, name = {"figures": (refresh, "cells_compute"), "facts": (aggregation, "_year_facts")}[
        where
    ]
    real, calls = getattr(module, name), []

    def second_year_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) > (4 if where == "figures" else 1):  # four kinds of slice a year
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, second_year_fails)
    with pytest.raises(RuntimeError, match="disk full"):
        salary_stats_refresh()
    assert list(SalaryStat.objects.values_list("pk", "offers")) == published
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM salaries_salaryfact WHERE t = 0")
        assert cursor.fetchone() == (3,)
    monkeypatch.setattr(module, name, real)
    assert salary_stats_refresh().offers == 4


def test_refresh_query_count_does_not_grow_with_the_data():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")

    def queries_for(n):
        for _ in range(n):
            OfferFactory(specialization=spec, technologies=[tech], salary=1000 + n)
        with CaptureQueriesContext(connection) as captured:
            salary_stats_refresh()
        return len(captured)

    assert queries_for(3) == queries_for(30)


@pytest.mark.parametrize(("count", "withheld"), [(4, "min_offers"), (5, "tails")])
def test_threshold_boundary_follows_the_setting(settings, count, withheld):
    settings.SALARY_MIN_OFFERS = 5
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    for i in range(count):
        OfferFactory(specialization=spec, technologies=[tech], salary=3000 + i, seniority="junior")
    salary_stats_refresh()
    stat = SalaryStat.objects.get(specialization=spec, technology=tech, year=2024)
    assert (stat.offers, stat.candidates, stat.withheld) == (count, count, withheld)
    money = [stat.median, stat.mean, stat.p25, stat.p75, stat.histogram]
    published = withheld == "tails"
    assert all(v is not None for v in money) if published else all(v is None for v in money)
    assert stat.p10 is stat.p90 is None, "fewer than 10 candidates: never the tails"
    junior = stat.by_seniority["junior"]
    assert junior["offers"] == count
    assert (junior["median"] is not None) is published
    assert junior["withheld"] == (None if published else "min_offers")


# --- Disclosure control at its boundaries ---


def slice_of(offers_per_candidate: dict[str, int], *, seniority: str = "", salary: int = 5000):
    """Offers in back-end × flask × 2024, as many per candidate as given."""
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    for name, count in offers_per_candidate.items():
        candidate = CandidateFactory(external_id=name)
        for i in range(count):
            OfferFactory(
                specialization=spec,
                technologies=[tech],
                candidate=candidate,
                seniority=seniority,
                salary=salary + 100 * i,
            )


def published_slice() -> SalaryStat:
    salary_stats_refresh()
    return SalaryStat.objects.get(
        specialization__slug="back-end", technology__slug="flask", year=2024
    )


@pytest.mark.parametrize(
    ("people", "withheld"),
    [
        ({"a": 3, "b": 3, "c": 2, "d": 2}, "min_candidates"),  # 10 offers, 4 candidates
        ({"a": 2, "b": 2, "c": 2, "d": 2, "e": 2}, "tails"),  # 5 candidates
    ],
)
def test_a_cell_needs_five_candidates_not_just_five_offers(people, withheld):
    slice_of(people, seniority="senior")
    stat = published_slice()
    assert (stat.offers, stat.candidates, stat.withheld) == (10, len(people), withheld)
    assert stat.published is (withheld == "tails")
    assert stat.by_seniority["senior"]["withheld"] == (None if withheld == "tails" else withheld)


def test_five_offers_from_one_candidate_publish_no_salary():
    """The case that started it: one person's expectation is not a median."""
    slice_of({"alone": 5})
    stat = published_slice()
    assert (stat.offers, stat.candidates, stat.withheld) == (5, 1, "min_candidates")
    assert stat.median is stat.mean is stat.histogram is None


@pytest.mark.parametrize(
    ("people", "withheld"),
    [
        # The busiest candidate holds exactly half of 10 offers: withheld.
        ({"top": 5, "a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, "dominance"),
        # 5 of 11, just under half: published (tails need 10 candidates).
        ({"top": 5, "a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1}, "tails"),
    ],
)
def test_a_candidate_holding_half_the_offers_withholds_the_cell(people, withheld):
    slice_of(people, seniority="middle")
    stat = published_slice()
    assert stat.withheld == withheld
    assert (stat.median is None) is (withheld == "dominance")
    assert (stat.histogram is None) is (withheld == "dominance")
    assert stat.by_seniority["middle"]["withheld"] == (
        "dominance" if withheld == "dominance" else None
    )


def test_the_dominance_share_follows_the_setting(settings):
    settings.SALARY_MAX_CANDIDATE_SHARE = 0.3
    slice_of({"top": 3, "a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1})  # 3 of 10
    assert published_slice().withheld == "dominance"


@pytest.mark.parametrize(("count", "withheld"), [(9, "tails"), (10, None)])
def test_the_tails_need_ten_candidates(count, withheld):
    slice_of({f"c{i}": 1 for i in range(count)})
    stat = published_slice()
    assert stat.withheld == withheld
    assert stat.published
    assert stat.median is not None and stat.p25 is not None and stat.mean is not None
    assert (stat.p10 is None, stat.p90 is None) == ((True, True) if withheld else (False, False))


@pytest.mark.parametrize(
    ("others", "withheld"),
    [
        ({"o1": 1, "o2": 1, "o3": 1, "o4": 1}, "complement"),  # 4 other people: withheld
        ({"o1": 1, "o2": 1, "o3": 1, "o4": 1, "o5": 1}, None),  # 5 other people
        ({}, None),  # nothing outside the level: nothing to subtract
    ],
)
def test_a_level_needs_enough_people_outside_it(others, withheld):
    slice_of({f"s{i}": 2 for i in range(5)}, seniority="senior")
    slice_of(others, seniority="")  # no seniority: in the slice, in no level
    stat = published_slice()
    senior = stat.by_seniority["senior"]
    assert (senior["offers"], senior["candidates"], senior["withheld"]) == (10, 5, withheld)
    assert (senior["median"] is None) is (withheld is not None)
    assert stat.median is not None, "the slice itself publishes"


def test_a_candidate_with_offers_at_the_level_and_outside_it_counts_outside():
    slice_of({f"s{i}": 2 for i in range(5)}, seniority="senior")
    slice_of({"o1": 1, "o2": 1, "o3": 1}, seniority="junior")
    slice_of({"o4": 1, "s0": 1}, seniority="")  # s0 also has senior offers
    senior = published_slice().by_seniority["senior"]
    assert senior["withheld"] is None, "o1-o4 and s0: five people outside senior"


def test_a_year_without_offers_between_two_has_no_slices():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    for year in (2021, 2023):
        for i in range(6):
            OfferFactory(
                specialization=spec,
                technologies=[tech],
                offered_on=datetime.date(year, 6, 1),
                salary=3000 + i,
            )
    summary = salary_stats_refresh()
    assert summary.years == [2021, 2023]
    assert sorted(set(SalaryStat.objects.values_list("year", flat=True))) == [2021, 2023]
    assert summary.offers == 12
