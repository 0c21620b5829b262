"""An independent reference for faceted cells, written straight from the contract's words
(DESIGN.md "Disclosure control" and "Facets"): plain Python over a list of offers, numpy's
linear percentiles, no grouping tricks. The engine's tests compare against it."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)

SPECS = ["back-end", "data"]
TECHS = ["python", "flask", "react"]
FACET_VALUES = {
    "seniority": ["", "junior", "middle", "senior", "expert"],
    "english_level": ["", "basic", "intermediate", "upper-intermediate", "advanced", "fluent"],
    "remote": ["", "true", "false"],
    "country": ["", "UA", "PL", "DE"],
}


@dataclass(frozen=True)
class Offer:
    number: int
    spec: str
    techs: tuple[str, ...]
    year: int
    salary: int
    candidate: int
    seniority: str
    english_level: str
    remote: str
    country: str


def random_offers(rng: random.Random, count: int, *, people: int = 12) -> list[Offer]:
    return [
        Offer(
            number=i,
            spec=rng.choice(SPECS),
            techs=tuple(sorted(rng.sample(TECHS, rng.randint(1, 2)))),
            year=rng.choice([2023, 2024]),
            salary=rng.choice([rng.randint(1, 15_000), 499, 500, 5000, 5499]),
            candidate=rng.randrange(people),
            **{facet: rng.choice(values) for facet, values in FACET_VALUES.items()},
        )
        for i in range(count)
    ]


def load(offers: list[Offer]) -> None:
    """The offers into the database, through the factories."""
    specs = {slug: SpecializationFactory(slug=slug) for slug in SPECS}
    techs = {slug: TechnologyFactory(slug=slug) for slug in TECHS}
    people = {}
    for offer in offers:
        if offer.candidate not in people:
            people[offer.candidate] = CandidateFactory(external_id=f"ref-{offer.candidate}")
        OfferFactory(
            specialization=specs[offer.spec],
            technologies=[techs[t] for t in offer.techs],
            offered_on=datetime.date(offer.year, 5, 1),
            salary=offer.salary,
            candidate=people[offer.candidate],
            seniority=offer.seniority,
            english_level=offer.english_level,
            remote={"": None, "true": True, "false": False}[offer.remote],
            country=offer.country,
        )


@dataclass(frozen=True)
class Rules:
    min_offers: int = 5
    min_candidates: int = 5
    share: Fraction = Fraction(1, 2)
    tails: int = 10


def members(offers, spec: str, tech: str, year: int, facets: dict[str, str]) -> list[Offer]:
    return [
        o
        for o in offers
        if (spec == "all" or o.spec == spec)
        and (tech == "all" or tech in o.techs)
        and o.year == year
        and all(getattr(o, facet) == value for facet, value in facets.items())
    ]


def rounded(value: float) -> int:
    return int(np.floor(value + 0.5 + 1e-9))


def reference_cell(offers, spec, tech, year, facets, rules: Rules, *, entry: bool = False):
    """The published figures of a cell (``entry``: a breakdown entry, without mean, p10,
    p90 and histogram) and which rule withheld what."""
    cell = members(offers, spec, tech, year, facets)
    people = Counter(o.candidate for o in cell)
    withheld = None
    if len(cell) < rules.min_offers:
        withheld = "min_offers"
    elif len(people) < rules.min_candidates:
        withheld = "min_candidates"
    elif Fraction(max(people.values()), len(cell)) >= rules.share:
        withheld = "dominance"
    else:
        inside = {o.number for o in cell}
        for facet in facets:
            parent = members(
                offers, spec, tech, year, {f: v for f, v in facets.items() if f != facet}
            )
            outside = {o.candidate for o in parent if o.number not in inside}
            if outside and len(outside) < rules.min_candidates:
                withheld = "complement"
                break
    published = withheld is None
    values = [o.salary for o in cell]

    def at(p):
        return rounded(float(np.percentile(values, p, method="linear"))) if published else None

    found = {
        "offers": len(cell),
        "candidates": len(people),
        "median": at(50),
        "p25": at(25),
        "p75": at(75),
        "withheld": withheld,
    }
    if entry:
        return found
    tails = published and len(people) >= rules.tails
    if published and not tails:
        found["withheld"] = "tails"
    found["mean"] = rounded(float(np.mean(values))) if published else None
    found["p10"] = at(10) if tails else None
    found["p90"] = at(90) if tails else None
    found["histogram_offers"] = len(values) if published else None
    for facet, choices in FACET_VALUES.items():
        present = {getattr(o, facet) for o in cell} - {""}
        found[f"by_{facet}"] = {
            value: reference_cell(
                offers, spec, tech, year, {**facets, facet: value}, rules, entry=True
            )
            for value in choices
            if value in present
        }
    return found


def published_shape(figures: dict) -> dict:
    """The engine's answer in the reference's shape (the histogram by its total)."""
    shown = {name: figures[name] for name in ("offers", "candidates", "median", "p25", "p75")}
    shown["withheld"] = figures["withheld"]
    shown["mean"], shown["p10"], shown["p90"] = figures["mean"], figures["p10"], figures["p90"]
    histogram = figures["histogram"]
    shown["histogram_offers"] = sum(b["offers"] for b in histogram) if histogram else None
    for facet in FACET_VALUES:
        shown[f"by_{facet}"] = figures[f"by_{facet}"]
    return shown
