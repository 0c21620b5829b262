"""The pure statistics core against numpy and an exact reference written here."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salaries.stats import BAND_WIDTH, band_label, band_start, grouped_figures

# Rows of (group, salary, offers): several groups, repeated salaries, band edges.
rows_strategy = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.one_of(st.integers(1, 100_000), st.sampled_from([499, 500, 4999, 5000, 5499, 5500])),
        st.integers(1, 5),
    ),
    min_size=1,
    max_size=200,
)


def expand(rows, group):
    """One value per offer, as the contract defines the multiset."""
    return sorted(s for g, s, n in rows for _ in range(n) if g == group)


def exact_percentile(values: list[int], p: int) -> Fraction:
    """Linear interpolation between closest ranks, straight from the definition."""
    position = Fraction(len(values) - 1) * p / 100
    lower = int(position)
    if lower + 1 >= len(values):
        return Fraction(values[lower])
    return values[lower] + (position - lower) * (values[lower + 1] - values[lower])


def half_up(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def figures_of(rows):
    g, s, n = (np.array(column) for column in zip(*rows, strict=True))
    return grouped_figures(g, s, n)


@given(rows_strategy)
def test_every_group_matches_the_exact_reference_and_numpy(rows):
    figures = figures_of(rows)
    assert figures.groups.tolist() == sorted({g for g, _, _ in rows})
    for i, group in enumerate(figures.groups.tolist()):
        values = expand(rows, group)
        assert figures.offers[i] == len(values)
        for p in (10, 25, 50, 75, 90):
            exact = exact_percentile(values, p)
            assert figures.percentiles[p][i] == half_up(exact)
            assert abs(figures.percentiles[p][i] - np.percentile(values, p)) <= 0.5 + 1e-6
        assert figures.mean[i] == half_up(Fraction(sum(values), len(values)))


@given(rows_strategy)
def test_histogram_counts_every_offer_in_contiguous_500_bands(rows):
    figures = figures_of(rows)
    for i, group in enumerate(figures.groups.tolist()):
        values = expand(rows, group)
        bands = figures.histogram(i)
        assert sum(band["offers"] for band in bands) == len(values)
        assert bands[0]["from"] == 500 * (min(values) // 500)
        assert bands[-1]["from"] == 500 * (max(values) // 500)
        for before, after in zip(bands, bands[1:], strict=False):
            assert after["from"] == before["to"] == before["from"] + BAND_WIDTH
        for band in bands:
            assert band["offers"] == sum(band["from"] <= v < band["to"] for v in values)


@given(rows_strategy, st.randoms())
def test_row_order_does_not_matter(rows, random):
    shuffled = rows[:]
    random.shuffle(shuffled)
    a, b = figures_of(rows), figures_of(shuffled)
    assert a.percentiles[50].tolist() == b.percentiles[50].tolist()
    assert a.mean.tolist() == b.mean.tolist()


def test_even_count_median_is_the_middle_pair_mean_rounded_half_up():
    figures = figures_of([(1, 7000, 1), (1, 7706, 1), (1, 7707, 1), (1, 9000, 1)])
    assert figures.percentiles[50].tolist() == [7707]  # 7706.5


def test_mean_on_a_half_rounds_up():
    figures = figures_of([(1, 1, 1), (1, 2, 1)])  # 1.5
    assert figures.mean.tolist() == [2]


def test_one_offer_gives_that_salary_everywhere():
    figures = figures_of([(3, 4321, 1)])
    assert {p: v.tolist() for p, v in figures.percentiles.items()} == {
        10: [4321],
        25: [4321],
        50: [4321],
        75: [4321],
        90: [4321],
    }
    assert figures.histogram(0) == [{"from": 4000, "to": 4500, "label": "4k+", "offers": 1}]


def test_ties_do_not_move_percentiles():
    figures = figures_of([(1, 5000, 10), (1, 6000, 1)])
    assert figures.percentiles[10].tolist() == figures.percentiles[90].tolist() == [5000]


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
    figures = figures_of([(1, 600, 1), (1, 2100, 2)])
    assert [(b["label"], b["offers"]) for b in figures.histogram(0)] == [
        ("0.5k+", 1),
        ("1k+", 0),
        ("1.5k+", 0),
        ("2k+", 2),
    ]
