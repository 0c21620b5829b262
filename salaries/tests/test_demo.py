"""The demo data: it reproduces the reference page, looks like a real market (smooth trends,
plausible offers per candidate, related technologies near each other), gives every facet
breakdown something to show, and is safe to load twice.

The market checks compute the figures of every demo slice here, from the generated rows,
with the contract's definitions (numpy's linear percentile, halves rounded up), so they
hold whatever engine publishes them.
"""

from collections import defaultdict
from io import StringIO
from math import floor

import numpy as np
import pytest
from django.core.management import call_command

from salaries.demo import (
    REFERENCE_CANDIDATES,
    REFERENCE_MEDIAN,
    REFERENCE_OFFERS,
    SPECIALIZATIONS,
    TECHNOLOGIES,
    YEARS,
    demo_offers,
)
from salaries.models import Offer, Specialization, Technology
from salaries.selectors import salary_stat_get

MIN_OFFERS = MIN_CANDIDATES = 5  # the disclosure defaults of the contract
MAX_SHARE = 0.5
SOLID = 50  # candidates in a slice for its figures to be judged as a market's
# The technologies each role is built on (not the extras its offers also name).
MAIN = {
    spec.slug: {t for stack in spec.stack for t in (*stack.core, *(c for c, _ in stack.choose))}
    - {""}
    for spec in SPECIALIZATIONS
}
PYTHON_WEB_NEIGHBOURS = ("python", "django", "fastapi", "node-js", "express")
LEVEL_ORDER = ("junior", "middle", "senior", "expert")
REFERENCE_SLICE = ("back-end", "flask", 2024)


def in_reference_slice(row) -> bool:
    return (
        row["specialization"] == "back-end"
        and "flask" in row["technologies"].split(";")
        and row["offered_on"].startswith("2024-")
    )


def median(salaries) -> int:
    return floor(np.percentile(salaries, 50, method="linear") + 0.5)


def published(rows, rest=()) -> bool:
    """Whether a cell of these offers publishes money figures under the disclosure rules;
    ``rest`` are the offers of its parent cell outside it (the complement rule)."""
    per_candidate = defaultdict(int)
    for row in rows:
        per_candidate[row["candidate_id"]] += 1
    rest_candidates = {row["candidate_id"] for row in rest}
    return (
        len(rows) >= MIN_OFFERS
        and len(per_candidate) >= MIN_CANDIDATES
        and max(per_candidate.values()) < MAX_SHARE * len(rows)
        and (not rest_candidates or len(rest_candidates) >= MIN_CANDIDATES)
    )


class Market:
    """The demo's slices: (specialization or all, technology or all, year) -> offers."""

    def __init__(self, rows):
        self.cells = defaultdict(list)
        for row in rows:
            year = int(row["offered_on"][:4])
            for spec in (row["specialization"], "all"):
                for tech in (*set(row["technologies"].split(";")), "all"):
                    self.cells[spec, tech, year].append(row)
        self.figures = {key: self.figures_of(rows) for key, rows in self.cells.items()}

    @staticmethod
    def figures_of(rows) -> tuple[int, int, int]:
        """Offers, candidates and the median."""
        candidates = {row["candidate_id"] for row in rows}
        return len(rows), len(candidates), median([row["salary"] for row in rows])

    def solid(self, spec, tech, year):
        figures = self.figures.get((spec, tech, year))
        return figures if figures and figures[1] >= SOLID else None

    def main_slices(self):
        for spec, techs in MAIN.items():
            for tech in (*sorted(techs), "all"):
                yield spec, tech
        for tech in sorted(set().union(*MAIN.values())) + ["all"]:
            yield "all", tech


@pytest.fixture(scope="module")
def market():
    return Market(demo_offers())


def test_generator_builds_the_reference_slice_exactly():
    rows = [row for row in demo_offers(5000) if in_reference_slice(row)]
    assert len(rows) == REFERENCE_OFFERS == 571
    assert np.percentile([r["salary"] for r in rows], 50, method="linear") == REFERENCE_MEDIAN
    assert len({r["candidate_id"] for r in rows}) == REFERENCE_CANDIDATES == 143


def test_generator_is_deterministic_and_varied():
    first, second = list(demo_offers(3000)), list(demo_offers(3000))
    assert first == second
    assert {r["offered_on"][:4] for r in first} == {str(y) for y in YEARS}
    assert len({r["specialization"] for r in first}) >= 8
    assert len({t for r in first for t in r["technologies"].split(";")}) >= 40
    per_candidate = defaultdict(int)
    for row in first:
        per_candidate[row["candidate_id"]] += 1
    assert max(per_candidate.values()) > 1, "some candidates receive several offers"


def test_medians_move_smoothly_from_year_to_year(market):
    changes = {}
    for spec, tech in market.main_slices():
        for year in YEARS[1:]:
            before, after = market.solid(spec, tech, year - 1), market.solid(spec, tech, year)
            if before and after:
                changes[spec, tech, year] = after[2] / before[2] - 1
    assert len(changes) >= 150
    jumps = {key: f"{change:+.1%}" for key, change in changes.items() if abs(change) > 0.2}
    assert not jumps, "main technologies' medians move by at most 20% a year"
    flask = [market.figures["back-end", "flask", year][2] for year in YEARS]
    assert all(abs(b / a - 1) <= 0.12 for a, b in zip(flask, flask[1:], strict=False)), flask
    # Every other slice big enough to judge: a few tens of percent at most.
    for (spec, tech, year), (_, candidates, value) in market.figures.items():
        before = market.solid(spec, tech, year - 1)
        if before and candidates >= SOLID:
            assert abs(value / before[2] - 1) <= 0.3, (spec, tech, year, before[2], value)


def test_offers_per_candidate_are_plausible_and_alike_across_years(market):
    reference = market.figures["back-end", "flask", 2024]
    assert reference[:2] == (571, 143)
    for spec, tech in market.main_slices():
        ratios = [
            figures[0] / figures[1] for year in YEARS if (figures := market.solid(spec, tech, year))
        ]
        assert all(2.75 <= ratio <= 5.0 for ratio in ratios), (spec, tech, ratios)
        if len(ratios) > 1:
            assert max(ratios) / min(ratios) <= 1.4, (spec, tech, ratios)
    for key, (offers, candidates, _) in market.figures.items():
        if candidates >= SOLID:
            assert 2.25 <= offers / candidates <= 5.0, key
    flask = [market.figures["back-end", "flask", y][0] for y in YEARS]
    assert flask == sorted(flask), "Flask offers grow steadily towards the reference year"


def test_related_technologies_earn_alike(market):
    for year in YEARS:
        flask = market.figures["back-end", "flask", year][2]
        for neighbour in PYTHON_WEB_NEIGHBOURS:
            other = market.figures["back-end", neighbour, year][2]
            assert abs(flask / other - 1) <= 0.1, (year, neighbour, flask, other)
    related = {tech.slug: tech.related for tech in TECHNOLOGIES}
    compared = 0
    for spec, techs in MAIN.items():
        for tech in techs:
            for other in set(related[tech]) & techs:
                for year in YEARS:
                    a, b = market.solid(spec, tech, year), market.solid(spec, other, year)
                    if a and b:
                        compared += 1
                        assert abs(a[2] / b[2] - 1) <= 0.25, (spec, tech, other, year)
    assert compared >= 50


def breakdown(rows, field):
    """The published entries of a breakdown of ``rows`` by ``field`` (empty left out)."""
    groups = defaultdict(list)
    for row in rows:
        if row[field]:
            groups[row[field]].append(row)
    return groups, {
        value: group
        for value, group in groups.items()
        if published(group, [r for r in rows if r[field] != value])
    }


def test_every_breakdown_has_something_to_show_on_the_main_slices(market):
    checked = 0
    for spec, tech in market.main_slices():
        for year in YEARS:
            if not market.solid(spec, tech, year):
                continue
            checked += 1
            busy = spec == "back-end" and tech in ("flask", "python", "django", "node-js", "java")
            for field, present, shown, shown_on_busy in (
                ("seniority", 3, 3, 4),
                ("english_level", 4, 2, 3),
                ("remote", 2, 2, 2),
                ("country", 10, 1, 3),
            ):
                groups, entries = breakdown(market.cells[spec, tech, year], field)
                assert len(groups) >= present, (spec, tech, year, field)
                assert len(entries) >= (shown_on_busy if busy else shown), (spec, tech, year, field)
    assert checked >= 150
    # The reference slice, and the whole market in the newest year, show more.
    for key, shown in (
        (("back-end", "flask", 2024), (4, 4, 2, 5)),
        (("all", "all", YEARS[-1]), (4, 5, 2, 20)),
    ):
        fields = ("seniority", "english_level", "remote", "country")
        for field, count in zip(fields, shown, strict=True):
            assert len(breakdown(market.cells[key], field)[1]) >= count, (key, field)


def test_pay_rises_with_seniority(market):
    """Juniors ask least, then middles, then seniors and experts, on every main slice of a
    specialization with many candidates; in the biggest roll-ups and the reference slice
    experts ask most."""
    checked = 0
    for spec, tech in market.main_slices():
        for year in YEARS:
            key = spec, tech, year
            mixed = spec == "all" and tech != "all"  # one technology across unlike roles
            if mixed or key not in market.figures or market.figures[key][1] < 100:
                continue
            _, entries = breakdown(market.cells[key], "seniority")
            junior, middle, senior, expert = (
                median([r["salary"] for r in entries[level]]) for level in LEVEL_ORDER
            )
            assert junior < middle < min(senior, expert), (key, junior, middle, senior, expert)
            if tech == "all" and spec in ("all", "back-end") or key == REFERENCE_SLICE:
                assert senior < expert, (key, senior, expert)
            checked += 1
    assert checked >= 80


def test_facet_fields_look_like_a_market(market):
    rows = market.cells["all", "all", 2021] + [
        row for year in YEARS[1:] for row in market.cells["all", "all", year]
    ]
    total = len(rows)

    def shares(field):
        counts = defaultdict(int)
        for row in rows:
            counts[row[field]] += 1
        return {value: count / total for value, count in counts.items()}

    countries = shares("country")
    assert all(len(code) == 2 and code.isupper() for code in countries if code)
    large = sorted((s for code, s in countries.items() if code), reverse=True)
    assert 0.5 <= sum(large[:5]) <= 0.8, "a handful of large markets"
    assert len(large) >= 30 and large[-1] < 0.005, "and a long tail"
    english = shares("english_level")
    assert english["basic"] < english["intermediate"] < english["upper-intermediate"]
    remote = shares("remote")
    assert remote["true"] > remote["false"] > 0.25
    for field in ("country", "english_level", "remote", "experience_years"):
        assert 0.01 <= shares(field).get("", 0) <= 0.1, f"some offers leave {field} out"
    # Pay follows the facets as in real surveys.
    by = {
        field: {v: median([r["salary"] for r in g]) for v, g in breakdown(rows, field)[0].items()}
        for field in ("seniority", "english_level", "country")
    }
    levels = by["seniority"]
    assert levels["junior"] < levels["middle"] < levels["senior"] < levels["expert"]
    assert by["english_level"]["basic"] < by["english_level"]["fluent"]
    assert by["country"]["US"] > by["country"]["DE"] > by["country"]["UA"] > by["country"]["IN"]


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
    # The facet fields arrive in the database, and the engine's seniority breakdown of the
    # reference slice is the one computed here from the generated rows.
    assert Offer.objects.exclude(country="").exists()
    assert (
        Offer.objects.filter(remote=True).exists() and Offer.objects.filter(remote=False).exists()
    )
    assert Offer.objects.exclude(english_level="").exists()
    rows = [row for row in demo_offers(0) if in_reference_slice(row)]
    levels = defaultdict(list)
    for row in Offer.objects.filter(offer_id__startswith="demo-flask-2024-"):
        levels[row.seniority].append(row.salary)
    for level, entry in stat.by_seniority.items():
        assert entry["offers"] == len(levels[level])
        if entry["median"] is not None:
            assert entry["median"] == median(levels[level])
    assert sum(e["offers"] for e in stat.by_seniority.values()) == len(rows) - len(levels[""])

    count = Offer.objects.count()
    out = StringIO()
    call_command("load_demo_data", "--offers", "3000", stdout=out)
    assert Offer.objects.count() == count
    assert "0 offers created" in out.getvalue()
