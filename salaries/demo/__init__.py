"""Deterministic, realistic demo data: a catalogue and offers in the import format.

The slice Back-End × Flask × 2024 is built from the same kind of candidates as the rest
of the market, then scaled by one factor to reproduce the reference salary page exactly:
571 offers from 143 candidates, with a median of $7,707. No other generated offer falls
into that slice.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from salaries.demo.catalogue import PYTHON_DB, SPECIALIZATIONS, TECHNOLOGIES, Spec, Stack, Tech
from salaries.demo.market import (
    YEARS,
    Candidate,
    Population,
    general_offers,
    round_salary,
    search_offers,
    search_sizes,
)

__all__ = [
    "REFERENCE",
    "REFERENCE_CANDIDATES",
    "REFERENCE_MEDIAN",
    "REFERENCE_OFFERS",
    "SPECIALIZATIONS",
    "TECHNOLOGIES",
    "YEARS",
    "Spec",
    "Stack",
    "Tech",
    "demo_offers",
]

REFERENCE = {"specialization": "back-end", "technology": "flask", "year": 2024}
REFERENCE_OFFERS, REFERENCE_MEDIAN, REFERENCE_CANDIDATES = 571, 7707, 143


def in_reference(candidate: Candidate, year: int) -> bool:
    """Whether a search would put offers into the reference slice."""
    return year == 2024 and candidate.spec.slug == "back-end" and "flask" in candidate.techs


def _reference_offers(rng: random.Random) -> Iterator[dict]:
    """Back-End × Flask × 2024: 571 offers, 143 candidates, median exactly $7,707.

    143 Flask developers look for work in 2024 like everyone else; their expectations are
    then scaled by one factor so that the middle one of the 571 is exactly $7,707."""
    backend = next(spec for spec in SPECIALIZATIONS if spec.slug == "back-end")
    stack = Stack(1, ("flask", "python"), (), PYTHON_DB)
    population = Population(rng)
    rows = []
    for person, size in enumerate(search_sizes(rng, REFERENCE_OFFERS, REFERENCE_CANDIDATES)):
        profile, _, extras = population.next(("reference",), stack.extras)
        candidate = Candidate(backend, list(stack.core), extras, profile)
        for row in search_offers(rng, candidate, 2024, size):
            rows.append({"candidate_id": f"flask-dev-{person:03d}", **row})
    ranked = sorted(range(len(rows)), key=lambda i: rows[i]["salary"])
    middle = len(rows) // 2
    scale = REFERENCE_MEDIAN / rows[ranked[middle]]["salary"]
    for position, i in enumerate(ranked):
        salary = round_salary(rows[i]["salary"] * scale)
        if position < middle:
            salary = min(salary, REFERENCE_MEDIAN - 7)  # stays below the middle offer
        elif position > middle:
            salary = max(salary, REFERENCE_MEDIAN + 43)  # stays above it
        else:
            salary = REFERENCE_MEDIAN
        rows[i]["salary"] = salary
    for number, row in enumerate(rows):
        yield {"offer_id": f"demo-flask-2024-{number:03d}", **row}


def demo_offers(count: int = 60_000, *, seed: int = 571) -> Iterator[dict]:
    """``count`` general offers followed by the reference slice, always the same."""
    yield from general_offers(count, random.Random(seed), SPECIALIZATIONS, skip=in_reference)
    yield from _reference_offers(random.Random(seed + 7707))
