"""The share of offers below a salary, from the histogram alone, against an exact
reference computed from the raw salaries."""

from fractions import Fraction

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from portal.query import BadQueryParameter
from salaries.rank import percent_below, salary_param
from salaries.stats import band_label


def histogram_of(salaries: list[int]) -> list[dict]:
    """Bands of $500 without gaps, as the contract defines them (written out here, not
    taken from the engine)."""
    starts = [500 * (s // 500) for s in salaries]
    return [
        {"from": a, "to": a + 500, "label": band_label(a), "offers": starts.count(a)}
        for a in range(min(starts), max(starts) + 500, 500)
    ]


def reference(salaries: list[int], salary: int) -> int:
    """DESIGN.md's formula on the raw salaries, with fractions, rounded half up."""
    start = 500 * (salary // 500)
    below = sum(1 for s in salaries if s < start)
    in_band = sum(1 for s in salaries if start <= s < start + 500)
    share = Fraction(100) * (below + in_band * Fraction(salary - start, 500)) / len(salaries)
    return int(share + Fraction(1, 2))  # floor(x + 1/2): half up, for x >= 0


@given(
    st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=200),
    st.integers(min_value=1, max_value=100_000),
)
def test_percent_below_matches_the_reference_on_random_data(salaries, salary):
    assert percent_below(histogram_of(salaries), salary) == reference(salaries, salary)


@given(
    st.lists(st.integers(min_value=4000, max_value=9000), min_size=1, max_size=60),
    st.integers(min_value=3900, max_value=9100),
)
def test_percent_below_within_a_narrow_range(salaries, salary):
    # Most salaries asked about fall inside the histogram, often in a crowded band.
    assert percent_below(histogram_of(salaries), salary) == reference(salaries, salary)


def test_worked_example_rounds_half_up():
    # Two offers: 5000 and 5999. Asked 5250: the 5k+ band holds one offer, a half of it
    # lies below 5250 (250 of 500), so 0.5 of 2 offers = 25%.
    assert percent_below(histogram_of([5000, 5999]), 5250) == 25
    # 8 offers in one band, asked a tenth of the way up: 0.8 of 8 offers = 10%.
    assert percent_below(histogram_of([5000] * 8), 5050) == 10
    # 1 of 8 offers below, and 1/500 of a band: 100 × 1.002 / 8 = 12.525 -> 13 (half up).
    salaries = [4000, 5000, 5000, 5000, 5000, 5000, 5000, 5000]
    assert percent_below(histogram_of(salaries), 5000 + 1) == reference(salaries, 5001) == 13
    # Exactly at a half: 1 offer below of 8, none of the band: 12.5 -> 13.
    assert percent_below(histogram_of(salaries), 5000) == 13


def test_outside_the_histogram_and_without_one():
    bands = histogram_of([5000, 6000])
    assert percent_below(bands, 100) == 0
    assert percent_below(bands, 100_000) == 100
    assert percent_below([], 5000) is None
    assert percent_below(None, 5000) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("salary=6000", 6000),
        ("salary=+6000+", 6000),
        ("salary=1", 1),
        ("", None),
        ("salary=", None),
    ],
)
def test_salary_param_reads_whole_dollars(query, expected):
    assert salary_param(QueryDict(query)) == expected


@pytest.mark.parametrize(
    "query",
    ["salary=0", "salary=100001", "salary=6k", "salary=6000.5", "salary=-1", "salary=1&salary=2"],
)
def test_salary_param_refuses_anything_else_naming_the_parameter(query):
    with pytest.raises(BadQueryParameter) as caught:
        salary_param(QueryDict(query))
    assert caught.value.parameter == "salary"
