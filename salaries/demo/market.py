"""The demo market: who looks for work, what they ask for, and the offers they receive.

A candidate has a role, a stack, a seniority, a country, an English level and a preferred
way of working, and receives a few offers in one job search (sometimes a second search a
year or two later). Their expectation follows the role, the stack, the level, the country,
their English and a smooth yearly growth of the market, times a personal factor.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate, combinations

from salaries.demo.catalogue import TECHNOLOGIES, Spec, Stack
from salaries.stats import MAX_SALARY

YEARS = (2021, 2022, 2023, 2024, 2025)
# The market's level each year, against 2024: a steady rise that slows down.
MARKET = {2021: 0.9, 2022: 0.94, 2023: 0.97, 2024: 1.0, 2025: 1.025}
MARKET_PAY = 8650  # a middle back-end developer's expectation in 2024, at pay 1.0
SEARCH_YEAR_WEIGHTS = (15, 18, 20, 22, 25)  # more people look for work here each year
OFFERS_PER_SEARCH = ((1, 12), (2, 15), (3, 17), (4, 17), (5, 14), (6, 10), (7, 7), (8, 5), (10, 3))
SECOND_SEARCH = 0.12  # share of candidates who look for work again a year or two later
PERSONAL_SPREAD = 0.18  # log-normal spread of what people with the same profile ask

# level, share of candidates, experience years (from, to), pay against a middle developer
LEVELS = (
    ("junior", 20, (0.3, 2.0), 0.52),
    ("middle", 35, (2.0, 5.0), 0.82),
    ("senior", 30, (5.0, 8.0), 1.12),
    ("expert", 15, (8.0, 14.0), 1.45),
)
# ISO 3166-1 alpha-2, share of candidates, pay against the market: a handful of large
# markets and a long tail; about one candidate in 25 leaves the country out.
COUNTRIES = (
    ("US", 180, 1.25), ("DE", 100, 1.0), ("PL", 100, 0.87), ("UA", 95, 0.83),
    ("GB", 90, 1.03), ("IN", 60, 0.59), ("CA", 50, 1.09), ("NL", 40, 1.01),
    ("ES", 25, 0.83), ("FR", 25, 0.93), ("BR", 22, 0.71), ("RO", 20, 0.81),
    ("PT", 20, 0.81), ("SE", 15, 0.98), ("CZ", 15, 0.83), ("IT", 12, 0.85),
    ("CH", 10, 1.3), ("IE", 10, 1.07), ("AU", 10, 1.06), ("AT", 8, 0.96),
    ("BG", 8, 0.77), ("MX", 8, 0.74), ("AR", 7, 0.71), ("LT", 7, 0.82),
    ("RS", 6, 0.75), ("IL", 6, 1.09), ("TR", 6, 0.68), ("EE", 5, 0.86),
    ("DK", 5, 1.04), ("FI", 5, 0.97), ("HU", 5, 0.78), ("BE", 5, 0.96),
    ("NO", 4, 1.04), ("SG", 4, 1.12), ("GE", 4, 0.74), ("KZ", 4, 0.71),
    ("SK", 4, 0.78), ("VN", 4, 0.63), ("JP", 3, 0.94), ("HR", 3, 0.75),
    ("LV", 3, 0.79), ("AM", 3, 0.71), ("PH", 3, 0.59), ("ZA", 3, 0.74),
    ("NG", 3, 0.58), ("EG", 3, 0.54), ("", 40, 0.94),
)  # fmt: skip
ENGLISH_NATIVE = frozenset({"US", "GB", "CA", "IE", "AU"})
# level, share among candidates from elsewhere, pay against upper-intermediate
ENGLISH = (
    ("basic", 6, 0.84), ("intermediate", 20, 0.92), ("upper-intermediate", 34, 1.0),
    ("advanced", 25, 1.06), ("fluent", 15, 1.1), ("", 8, 1.0),
)  # fmt: skip
ENGLISH_OF_NATIVES = (("fluent", 90, 1.0), ("advanced", 6, 1.0), ("", 4, 1.0))
REMOTE = (("true", 55, 1.03), ("false", 37, 1.0), ("", 8, 1.0))


class _Table:
    """Rows of (value, share, pay, ...) to draw from by share."""

    def __init__(self, rows):
        self.rows = rows
        self.cumulative = list(accumulate(row[1] for row in rows))

    def draw(self, u: float):
        return self.rows[min(len(self.rows) - 1, bisect(self.cumulative, u * self.cumulative[-1]))]


_LEVELS, _COUNTRIES, _REMOTE = _Table(LEVELS), _Table(COUNTRIES), _Table(REMOTE)
_ENGLISH, _ENGLISH_OF_NATIVES = _Table(ENGLISH), _Table(ENGLISH_OF_NATIVES)
_SEARCH_SIZES = _Table(OFFERS_PER_SEARCH)


@dataclass
class Profile:
    """Everything about a candidate but the role and the stack."""

    level: int
    country: str
    english: str
    remote: str
    pay: float  # level × country × English × way of working × personal factor


def _draw_background(rng: random.Random, level: int) -> tuple[str, str, str, float]:
    """A country, English level and way of working drawn as they occur, with the log of
    the pay they and ``level`` bring."""
    country = _COUNTRIES.draw(rng.random())
    english = (_ENGLISH_OF_NATIVES if country[0] in ENGLISH_NATIVE else _ENGLISH).draw(rng.random())
    remote = _REMOTE.draw(rng.random())
    log_pay = math.log(LEVELS[level][3] * country[2] * english[2] * remote[2])
    return country[0], english[0], remote[0], log_pay


@dataclass(frozen=True)
class _PayScale:
    """The market's pay, drawn once: sorted log pays, and the levels found in each of a
    few hundred bands of it."""

    log_pays: list[float]
    levels: list[_Table]


@cache
def _pay_scale(points: int = 40_000, bands: int = 200) -> _PayScale:
    rng = random.Random(2024)
    draws = []
    for _ in range(points):
        level = LEVELS.index(_LEVELS.draw(rng.random()))
        log_pay = _draw_background(rng, level)[3] + PERSONAL_SPREAD * rng.gauss(0, 1)
        draws.append((log_pay, level))
    draws.sort()
    size = points // bands
    levels = []
    for band in range(bands):
        found = Counter(level for _, level in draws[band * size : (band + 1) * size])
        levels.append(_Table(sorted(found.items())))
    return _PayScale([log_pay for log_pay, _ in draws], levels)


def profile_at(rng: random.Random, u_pay: float, u_level: float) -> Profile:
    """The profile at quantile ``u_pay`` of the market's pay, its level at quantile
    ``u_level`` of the levels of people paid that much, and the country, English and way of
    working drawn as they occur among people of that level paid that much (rejection
    sampling: a background is kept with the likelihood of the personal factor it leaves)."""
    scale = _pay_scale()
    target = scale.log_pays[int(u_pay * len(scale.log_pays))]
    level = scale.levels[int(u_pay * len(scale.levels))].draw(u_level)[0]
    for _ in range(10_000):
        country, english, remote, log_pay = _draw_background(rng, level)
        z = (target - log_pay) / PERSONAL_SPREAD
        if rng.random() < math.exp(-z * z / 2):
            break
    return Profile(level, country, english, remote, math.exp(target))


class Population:
    """Spreads the candidates who share a role, a stack and a year evenly over the market,
    so that even a few dozen of them mix levels, countries and pay as the whole market
    does: a slice's median then moves with the market, not with the luck of the draw.

    The pay and the size of the search walk one low-discrepancy sequence (Roberts' R2);
    the level among people paid that much and the extra technologies walk one each, with
    steps of their own so that the choices stay independent."""

    STEPS = (0.7548776662466927, 0.5698402909980532, 0.4142135623730950, 0.6457513110645906)

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.points: dict[tuple, list[float]] = {}

    def next(self, key: tuple, extras: tuple[str, ...]) -> tuple[Profile, int, list[str]]:
        """The next profile of this group, the number of offers of its search and the
        extra technologies (among ``extras``) it names."""
        point = self.points.setdefault(key, [self.rng.random() for _ in self.STEPS])
        point[:] = [(x + step) % 1.0 for x, step in zip(point, self.STEPS, strict=True)]
        u_pay, u_size, u_level, u_extras = point
        chosen = list(_extra_sets(extras).draw(u_extras)[0])
        return profile_at(self.rng, u_pay, u_level), _SEARCH_SIZES.draw(u_size)[0], chosen


@cache
def _extra_sets(extras: tuple[str, ...]) -> _Table:
    """Every set of up to three of ``extras``; sets of each size share alike (none 1/5,
    one 1/5, two 2/5, three 1/5, as far as there are extras)."""
    size_share = {0: 1, 1: 1, 2: 2, 3: 1}
    rows = []
    for size, share in size_share.items():
        sets = list(combinations(extras, size))
        rows += [(chosen, share / len(sets)) for chosen in sets]
    return _Table(rows)


@dataclass
class Candidate:
    spec: Spec
    techs: list[str]
    extras: list[str]
    profile: Profile


def _stack(rng: random.Random, stack: Stack) -> list[str]:
    techs = list(stack.core)
    if stack.choose:
        names, weights = zip(*stack.choose, strict=True)
        pick = rng.choices(names, weights=weights)[0]
        if pick:
            techs.append(pick)
    return techs


def round_salary(value: float) -> int:
    # Candidates state round figures; whole dollars, 1..100000.
    return max(300, min(MAX_SALARY, round(value / 50) * 50))


_TECH_PAY = {tech.slug: tech.pay for tech in TECHNOLOGIES}


def _expectation(candidate: Candidate, year: int) -> float:
    """What this candidate asks for in ``year``, before the small changes between offers."""
    stack_pay = sum(_TECH_PAY[t] for t in candidate.techs) / len(candidate.techs)
    return MARKET_PAY * MARKET[year] * candidate.spec.pay * stack_pay * candidate.profile.pay


def search_offers(
    rng: random.Random, candidate: Candidate, year: int, offers: int
) -> Iterator[dict]:
    """The offers of one job search, without ``offer_id`` and ``candidate_id``: a few weeks
    in one year, one expectation give or take a little, the same stack with the extras each
    offer happens to name."""
    profile = candidate.profile
    start = date(year, 1, 1) + timedelta(days=rng.randrange(330))
    low, high = LEVELS[profile.level][2]
    experience = f"{rng.uniform(low, high):.1f}" if rng.random() > 0.07 else ""
    seniority = LEVELS[profile.level][0] if rng.random() > 0.06 else ""  # or from experience
    expectation = _expectation(candidate, year)
    for _ in range(offers):
        extras = [t for t in candidate.extras if rng.random() < 0.7]
        remote = profile.remote
        if remote and rng.random() < 0.15:
            remote = "false" if remote == "true" else "true"
        yield {
            "offered_on": (start + timedelta(days=rng.randrange(35))).isoformat(),
            "specialization": candidate.spec.slug,
            "technologies": ";".join([*candidate.techs, *extras]),
            "salary": round_salary(expectation * rng.lognormvariate(0, 0.04)),
            "experience_years": experience,
            "seniority": seniority,
            "country": profile.country,
            "english_level": profile.english,
            "remote": remote,
        }


def search_sizes(rng: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` search sizes drawn like everyone else's, nudged to add up to ``total``."""
    sizes = [_SEARCH_SIZES.draw(rng.random())[0] for _ in range(parts)]
    while sum(sizes) != total:
        i = rng.randrange(parts)
        if sum(sizes) > total and sizes[i] > 1:
            sizes[i] -= 1
        elif sum(sizes) < total and sizes[i] < 10:
            sizes[i] += 1
    return sizes


def general_offers(
    count: int, rng: random.Random, specializations: tuple[Spec, ...], *, skip
) -> Iterator[dict]:
    """``count`` offers of candidates across ``specializations``; a search for which
    ``skip(candidate, year)`` is true is left out."""
    population = Population(rng)
    number, person = 0, 0
    while number < count:
        spec = rng.choices(specializations, weights=[s.share for s in specializations])[0]
        stack = rng.choices(spec.stack, weights=[s.weight for s in spec.stack])[0]
        techs = _stack(rng, stack)
        year = rng.choices(YEARS, weights=SEARCH_YEAR_WEIGHTS)[0]
        profile, offers, extras = population.next((spec.slug, *techs, year), stack.extras)
        candidate = Candidate(spec, techs, extras, profile)
        person += 1
        searches = [(year, offers)]
        if rng.random() < SECOND_SEARCH and year < YEARS[-1]:
            later = rng.randint(year + 1, min(YEARS[-1], year + 2))
            searches.append((later, _SEARCH_SIZES.draw(rng.random())[0]))
        for search_year, size in searches:
            if search_year != year and profile.level < 3 and rng.random() < 0.4:
                profile.level += 1  # promoted since the last search
                profile.pay *= LEVELS[profile.level][3] / LEVELS[profile.level - 1][3]
            if skip(candidate, search_year):
                continue
            for row in search_offers(rng, candidate, search_year, size):
                number += 1
                yield {
                    "offer_id": f"demo-{number:06d}",
                    "candidate_id": f"cand-{person:06d}",
                    **row,
                }
                if number >= count:
                    return
