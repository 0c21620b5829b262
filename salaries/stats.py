"""The figures of a slice, computed exactly from salary counts.

Pure functions: no database, no Django. Input is a mapping ``salary -> number of offers``
(one value per offer), so callers can let the database group and count while this module
does the exact arithmetic. Every intermediate value is an integer or a ``Fraction``, so a
value exactly on a half (7706.5) always rounds up, on any database and any platform.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

BAND_WIDTH = 500
PERCENTILES = (10, 25, 50, 75, 90)
SENIORITY_PERCENTILES = (25, 50, 75)


def round_half_up(value: Fraction | int) -> int:
    """Round to the nearest whole number, halves away from zero (7706.5 -> 7707)."""
    value = Fraction(value)
    if value >= 0:
        return math.floor(value + Fraction(1, 2))
    return -math.floor(-value + Fraction(1, 2))


class SalaryCounts:
    """A multiset of salaries, stored as sorted distinct values with cumulative counts."""

    __slots__ = ("_values", "_cumulative", "total", "_sum")

    def __init__(self, counts: Mapping[int, int]):
        items = sorted((int(v), int(c)) for v, c in counts.items() if c)
        if any(c < 0 for _, c in items):
            raise ValueError("counts must not be negative")
        self._values = [v for v, _ in items]
        self._cumulative: list[int] = []
        running = 0
        total_sum = 0
        for value, count in items:
            running += count
            total_sum += value * count
            self._cumulative.append(running)
        self.total = running
        self._sum = total_sum

    @classmethod
    def from_values(cls, values: Iterable[int]) -> SalaryCounts:
        counts: dict[int, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        return cls(counts)

    def __len__(self) -> int:
        return self.total

    def value_at(self, rank: int) -> int:
        """The salary at 0-based ``rank`` in sorted order."""
        if not 0 <= rank < self.total:
            raise IndexError(rank)
        return self._values[bisect.bisect_right(self._cumulative, rank)]

    def percentile(self, p: int | Fraction) -> Fraction:
        """Percentile ``p`` (0-100) by linear interpolation between closest ranks.

        The same definition as PostgreSQL's ``percentile_cont`` and numpy's
        ``percentile(..., method="linear")``: position ``h = (n - 1) * p / 100``, then the
        value at ``floor(h)`` plus the fraction of the way to the next value.
        """
        if self.total == 0:
            raise ValueError("percentile of an empty set")
        position = Fraction(self.total - 1) * Fraction(p) / 100
        lower = math.floor(position)
        fraction = position - lower
        low_value = self.value_at(lower)
        if fraction == 0:
            return Fraction(low_value)
        high_value = self.value_at(lower + 1)
        return low_value + fraction * (high_value - low_value)

    def mean(self) -> Fraction:
        if self.total == 0:
            raise ValueError("mean of an empty set")
        return Fraction(self._sum, self.total)

    def histogram(self) -> list[dict]:
        """Offers per $500 band, contiguous from the lowest to the highest non-empty band."""
        if self.total == 0:
            return []
        per_band: dict[int, int] = {}
        previous = 0
        for value, cumulative in zip(self._values, self._cumulative, strict=True):
            start = band_start(value)
            per_band[start] = per_band.get(start, 0) + cumulative - previous
            previous = cumulative
        first, last = min(per_band), max(per_band)
        return [
            {
                "from": start,
                "to": start + BAND_WIDTH,
                "label": band_label(start),
                "offers": per_band.get(start, 0),
            }
            for start in range(first, last + BAND_WIDTH, BAND_WIDTH)
        ]


def band_start(salary: int) -> int:
    """The lower edge of the $500 band a salary falls in (4999 -> 4500, 5000 -> 5000)."""
    return BAND_WIDTH * (salary // BAND_WIDTH)


def band_label(start: int) -> str:
    """The band's lower bound in thousands: 5000 -> "5k+", 5500 -> "5.5k+", 0 -> "0k+"."""
    thousands, rest = divmod(start, 1000)
    if rest == 0:
        return f"{thousands}k+"
    return f"{thousands}.{rest // 100}k+"


@dataclass
class SeniorityFigures:
    offers: int
    candidates: int
    median: int | None = None
    p25: int | None = None
    p75: int | None = None

    def as_dict(self) -> dict:
        return {
            "offers": self.offers,
            "candidates": self.candidates,
            "median": self.median,
            "p25": self.p25,
            "p75": self.p75,
        }


@dataclass
class SliceFigures:
    """Everything published for one slice. Money figures are None under the threshold."""

    offers: int
    candidates: int
    median: int | None = None
    mean: int | None = None
    p10: int | None = None
    p25: int | None = None
    p75: int | None = None
    p90: int | None = None
    histogram: list[dict] | None = None
    by_seniority: dict[str, SeniorityFigures] = field(default_factory=dict)

    @property
    def has_money_figures(self) -> bool:
        return self.median is not None


def seniority_figures(
    counts: SalaryCounts, *, candidates: int, min_offers: int
) -> SeniorityFigures:
    figures = SeniorityFigures(offers=counts.total, candidates=candidates)
    if counts.total >= min_offers and counts.total > 0:
        p25, median, p75 = (round_half_up(counts.percentile(p)) for p in SENIORITY_PERCENTILES)
        figures.p25, figures.median, figures.p75 = p25, median, p75
    return figures


def slice_figures(
    counts: SalaryCounts,
    *,
    candidates: int,
    min_offers: int,
    by_seniority: Mapping[str, tuple[SalaryCounts, int]] | None = None,
) -> SliceFigures:
    """The published figures of a slice from its salary counts.

    ``by_seniority`` maps a level to that level's own counts and distinct candidates;
    the threshold applies to each level on its own, so no small group leaks a salary.
    """
    figures = SliceFigures(offers=counts.total, candidates=candidates)
    if counts.total >= min_offers and counts.total > 0:
        p10, p25, median, p75, p90 = (round_half_up(counts.percentile(p)) for p in PERCENTILES)
        figures.p10, figures.p25, figures.median = p10, p25, median
        figures.p75, figures.p90 = p75, p90
        figures.mean = round_half_up(counts.mean())
        figures.histogram = counts.histogram()
    for level, (level_counts, level_candidates) in (by_seniority or {}).items():
        if level_counts.total:
            figures.by_seniority[level] = seniority_figures(
                level_counts, candidates=level_candidates, min_offers=min_offers
            )
    return figures


# --- Many slices at once ------------------------------------------------------------------
#
# The refresh hands over, for every group (a slice, or a slice's seniority level), the
# grouped rows ``(group, salary, offers)``. The arithmetic below is the same as above but
# vectorised with numpy and kept in integers: with whole-percent p the position
# ``(n - 1) * p / 100`` has a denominator of 100, so 100 × the percentile is an integer and
# rounding half up is ``(x + 50) // 100``. No float is involved anywhere.


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
        band = salary // BAND_WIDTH
        key = group_index * (100_000 // BAND_WIDTH + 2) + band
        unique, inverse = np.unique(key, return_inverse=True)
        band_offers = np.bincount(inverse, weights=offers).astype(np.int64)
        band_group = unique // (100_000 // BAND_WIDTH + 2)
        band_start_ = (unique % (100_000 // BAND_WIDTH + 2)) * BAND_WIDTH
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
