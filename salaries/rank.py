"""Where a monthly salary expectation stands in a slice: the share of its offers below it,
read from the published histogram alone (DESIGN.md, the rank endpoint), so the answer
reveals nothing the page does not already show.

``percent_below`` = 100 × (offers in the bands below N's band + offers in N's band ×
(N − from) / 500) / offers, rounded half up to a whole percent. The arithmetic is exact
(integers only): no floating-point error can move a value across a half.
"""

from __future__ import annotations

from collections.abc import Sequence

from portal.query import BadQueryParameter, one_value, whole_number
from salaries.stats import BAND_WIDTH

SALARY_MIN = 1
SALARY_MAX = 100_000
SALARY_PARAM = "salary"


def percent_below(histogram: Sequence[dict], salary: int) -> int | None:
    """The whole percent of the histogram's offers below ``salary``; ``None`` for an
    empty (or withheld) histogram."""
    if not histogram:
        return None
    total = sum(band["offers"] for band in histogram)
    if not total:
        return None
    # In units of 1/BAND_WIDTH of an offer, so the share of a band stays a whole number.
    below = 0
    for band in histogram:
        if band["to"] <= salary:
            below += band["offers"] * BAND_WIDTH
        elif band["from"] <= salary:
            below += band["offers"] * (salary - band["from"])
    numerator = 100 * below
    denominator = total * BAND_WIDTH
    return (2 * numerator + denominator) // (2 * denominator)


def salary_param(query) -> int | None:
    """The ``salary`` a visitor or partner asked about: ``None`` when not given (or
    empty), a ``BadQueryParameter`` (a 400 naming it) unless a whole number of dollars
    from 1 to 100000."""
    raw = one_value(query, SALARY_PARAM).strip()
    if not raw:
        return None
    value = whole_number(raw, low=SALARY_MIN, high=SALARY_MAX)
    if value is None:
        raise BadQueryParameter(
            SALARY_PARAM,
            f"salary must be a whole number of US dollars a month from {SALARY_MIN} to "
            f"{SALARY_MAX:,}, such as 6000.",
        )
    return value
