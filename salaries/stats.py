"""The figures of salary slices, computed exactly from grouped salary counts.

Pure functions: no database, no Django. Input is ``(group, salary, offers)`` rows (one
value per offer, pre-grouped), so the database groups and counts while this module does
the exact arithmetic. Everything stays in integers, so a value exactly on a half (7706.5)
always rounds up, on any database and any platform.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

BAND_WIDTH = 500
MAX_SALARY = 100_000  # the highest monthly salary an offer may state, in whole dollars
PERCENTILES = (10, 25, 50, 75, 90)
SENIORITY_PERCENTILES = (25, 50, 75)

# Disclosure rules by name, in the order they are checked; a cell's ``withheld`` is the
# first that fails. TAILS withholds only p10 and p90 of a slice.
MIN_OFFERS = "min_offers"
MIN_CANDIDATES = "min_candidates"
DOMINANCE = "dominance"
COMPLEMENT = "complement"
TAILS = "tails"


def band_start(salary):
    """The lower edge of the $500 band a salary falls in (4999 -> 4500, 5000 -> 5000);
    works on ints and numpy arrays alike."""
    return BAND_WIDTH * (salary // BAND_WIDTH)


def band_label(start: int) -> str:
    """The band's lower bound in thousands: 5000 -> "5k+", 5500 -> "5.5k+", 0 -> "0k+"."""
    thousands, rest = divmod(start, 1000)
    if rest == 0:
        return f"{thousands}k+"
    return f"{thousands}.{rest // 100}k+"


# Percentiles by linear interpolation between closest ranks (PostgreSQL's percentile_cont,
# numpy's method="linear"): position h = (n - 1) * p / 100, then the value at floor(h) plus
# the fraction of the way to the next. With whole-percent p, h has a denominator of 100, so
# 100 × the percentile is an integer and rounding half up is (x + 50) // 100.


@dataclass
class GroupFigures:
    """Figures for many groups; every array is indexed like ``groups``."""

    groups: np.ndarray
    offers: np.ndarray
    percentiles: dict[int, np.ndarray]
    mean: np.ndarray
    # (group index, band start, offers) for every non-empty band, sorted.
    band_group: np.ndarray
    band_start: np.ndarray
    band_offers: np.ndarray

    def histogram(self, index: int) -> list[dict]:
        lo, hi = np.searchsorted(self.band_group, [index, index + 1])
        starts = self.band_start[lo:hi].tolist()
        counts = dict(zip(starts, self.band_offers[lo:hi].tolist(), strict=True))
        return [
            {
                "from": start,
                "to": start + BAND_WIDTH,
                "label": band_label(start),
                "offers": counts.get(start, 0),
            }
            for start in range(starts[0], starts[-1] + BAND_WIDTH, BAND_WIDTH)
        ]


def _is_sorted(group: np.ndarray, salary: np.ndarray) -> bool:
    step = np.diff(group)
    return bool(np.all(step >= 0) and np.all(np.diff(salary)[step == 0] >= 0))


def grouped_figures(
    group: np.ndarray,
    salary: np.ndarray,
    offers: np.ndarray,
    *,
    percentiles: Iterable[int] = PERCENTILES,
    histogram: bool = True,
) -> GroupFigures:
    """Exact percentiles, mean and $500 bands for every group of ``(group, salary, offers)``
    rows. Rows may come in any order, and a salary may repeat within a group."""
    group = np.asarray(group, dtype=np.int64)
    salary = np.asarray(salary, dtype=np.int64)
    offers = np.asarray(offers, dtype=np.int64)
    if len(group) > 1 and not _is_sorted(group, salary):
        order = np.lexsort((salary, group))
        group, salary, offers = group[order], salary[order], offers[order]

    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else group
    groups = group[starts]
    cumulative = np.cumsum(offers)
    before = np.r_[0, cumulative[starts[1:] - 1]] if len(starts) else cumulative
    totals = np.add.reduceat(offers, starts) if len(starts) else offers
    last = totals - 1

    def value_at(rank: np.ndarray) -> np.ndarray:
        return salary[np.searchsorted(cumulative, before + rank, side="right")]

    results = {}
    for p in percentiles:
        lower = last * p // 100
        remainder = last * p % 100
        low = value_at(lower)
        high = value_at(np.minimum(lower + 1, last))
        hundredfold = low * 100 + remainder * (high - low)
        results[p] = (hundredfold + 50) // 100

    sums = np.add.reduceat(salary * offers, starts) if len(starts) else offers
    mean = (2 * sums + totals) // (2 * totals) if len(starts) else totals

    if histogram and len(starts):
        group_index = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(group)]))
        band = band_start(salary) // BAND_WIDTH
        bands_per_group = MAX_SALARY // BAND_WIDTH + 2
        key = group_index * bands_per_group + band
        unique, inverse = np.unique(key, return_inverse=True)
        band_offers = np.bincount(inverse, weights=offers).astype(np.int64)
        band_group = unique // bands_per_group
        band_start_ = (unique % bands_per_group) * BAND_WIDTH
    else:
        band_group = band_start_ = band_offers = np.empty(0, dtype=np.int64)
    return GroupFigures(
        groups=groups,
        offers=totals,
        percentiles=results,
        mean=mean,
        band_group=band_group,
        band_start=band_start_,
        band_offers=band_offers,
    )


@dataclass(frozen=True)
class DisclosureRules:
    """When a cell may publish money figures, so that no figure reveals one person's salary.

    Counts are of people as well as offers: a candidate with many offers would otherwise
    be a slice on their own. The share compares exactly (a candidate holding exactly the
    share of a cell's offers withholds it), so no float can tip a boundary.
    """

    min_offers: int = 5
    min_candidates: int = 5
    max_candidate_share: Fraction = Fraction(1, 2)
    min_candidates_tails: int = 10

    def withheld(self, *, offers: int, candidates: int, top: int) -> str | None:
        """The first of the whole-cell rules the cell fails, or ``None``; ``top`` is the
        number of offers the candidate with the most offers in the cell holds."""
        if offers < self.min_offers:
            return MIN_OFFERS
        if candidates < self.min_candidates:
            return MIN_CANDIDATES
        share = self.max_candidate_share
        if top * share.denominator >= share.numerator * offers:
            return DOMINANCE
        return None

    def complement_publishes(self, *, outside_offers: int, outside_candidates: int) -> bool:
        """Whether the offers of the parent cell outside a faceted cell (``outside_offers``
        from ``outside_candidates`` people) are none or enough people that subtracting
        the two published cells exposes no small group."""
        return outside_offers == 0 or outside_candidates >= self.min_candidates

    def tails_publish(self, *, candidates: int) -> bool:
        return candidates >= self.min_candidates_tails
