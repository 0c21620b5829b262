"""The pure statistics core, against numpy and an exact reference written here."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salaries.stats import (
    SalaryCounts,
    band_label,
    band_start,
    round_half_up,
    slice_figures,
)

salaries_lists = st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=300)


def exact_percentile(values: list[int], p: int) -> Fraction:
    """Linear interpolation between closest ranks, straight from the definition."""
    ordered = sorted(values)
    position = Fraction(len(ordered) - 1) * p / 100
    lower = int(position)
    if lower + 1 >= len(ordered):
        return Fraction(ordered[lower])
    return ordered[lower] + (position - lower) * (ordered[lower + 1] - ordered[lower])


def half_up(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(salaries_lists, st.sampled_from([10, 25, 50, 75, 90]))
def test_percentile_is_numpys_linear_percentile_computed_exactly(values, p):
    counts = SalaryCounts.from_values(values)
    exact = counts.percentile(p)
    assert exact == exact_percentile(values, p)
    assert float(exact) == pytest.approx(np.percentile(values, p, method="linear"), abs=1e-6)


@given(salaries_lists)
def test_mean_and_rounding_match_an_independent_computation(values):
    counts = SalaryCounts.from_values(values)
    assert counts.mean() == Fraction(sum(values), len(values))
    assert round_half_up(counts.mean()) == half_up(Fraction(sum(values), len(values)))


@given(salaries_lists)
def test_histogram_counts_every_offer_in_contiguous_500_bands(values):
    bands = SalaryCounts.from_values(values).histogram()
    assert sum(band["offers"] for band in bands) == len(values)
    assert bands[0]["from"] == 500 * (min(values) // 500)
    assert bands[-1]["from"] == 500 * (max(values) // 500)
    for before, after in zip(bands, bands[1:], strict=False):
        assert after["from"] == before["to"] == before["from"] + 500
    for band in bands:
        inside = [v for v in values if band["from"] <= v < band["to"]]
        assert band["offers"] == len(inside)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(15413, 2), 7707),  # 7706.5
        (Fraction(7706), 7706),
        (Fraction(77064999, 10000), 7706),
        (Fraction(1, 2), 1),
        (Fraction(5, 2), 3),
        (Fraction(-5, 2), -3),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_median_of_an_even_count_is_the_mean_of_the_middle_pair_rounded_half_up():
    counts = SalaryCounts.from_values([7000, 7706, 7707, 9000])
    assert counts.percentile(50) == Fraction(15413, 2)
    assert round_half_up(counts.percentile(50)) == 7707


def test_one_offer_gives_that_salary_everywhere():
    figures = slice_figures(SalaryCounts({4321: 1}), candidates=1, min_offers=1)
    assert (figures.p10, figures.p25, figures.median, figures.p75, figures.p90) == (4321,) * 5
    assert figures.mean == 4321
    assert figures.histogram == [{"from": 4000, "to": 4500, "label": "4k+", "offers": 1}]


def test_ties_do_not_move_percentiles():
    counts = SalaryCounts({5000: 10, 6000: 1})
    assert counts.percentile(10) == counts.percentile(90) == 5000
    assert counts.percentile(100) == 6000


@pytest.mark.parametrize(
    ("salary", "start", "label"),
    [
        (1, 0, "0k+"),
        (499, 0, "0k+"),
        (500, 500, "0.5k+"),
        (4999, 4500, "4.5k+"),
        (5000, 5000, "5k+"),
        (5499, 5000, "5k+"),
        (5500, 5500, "5.5k+"),
        (10_500, 10_500, "10.5k+"),
        (100_000, 100_000, "100k+"),
    ],
)
def test_band_edges_are_half_open(salary, start, label):
    assert band_start(salary) == start
    assert band_label(start) == label


def test_bands_between_the_extremes_are_kept_empty():
    bands = SalaryCounts({600: 1, 2100: 2}).histogram()
    assert [(b["label"], b["offers"]) for b in bands] == [
        ("0.5k+", 1),
        ("1k+", 0),
        ("1.5k+", 0),
        ("2k+", 2),
    ]


@pytest.mark.parametrize(("offers", "published"), [(4, False), (5, True)])
def test_threshold_hides_money_figures_below_min_offers(offers, published):
    figures = slice_figures(
        SalaryCounts({3000: offers}),
        candidates=offers,
        min_offers=5,
        by_seniority={"junior": (SalaryCounts({3000: offers}), offers)},
    )
    assert figures.offers == offers and figures.candidates == offers
    assert (figures.median is not None) is published
    assert (figures.histogram is not None) is published
    assert (figures.mean is not None) is published
    assert (figures.by_seniority["junior"].median is not None) is published


def test_each_seniority_level_gets_its_own_threshold():
    figures = slice_figures(
        SalaryCounts({3000: 6, 9000: 2}),
        candidates=8,
        min_offers=5,
        by_seniority={
            "junior": (SalaryCounts({3000: 6}), 4),
            "senior": (SalaryCounts({9000: 2}), 2),
        },
    )
    assert figures.median == 3000
    assert figures.by_seniority["junior"].median == 3000
    senior = figures.by_seniority["senior"]
    assert (senior.offers, senior.candidates, senior.median, senior.p25, senior.p75) == (
        2,
        2,
        None,
        None,
        None,
    )
