"""The disclosure rules as configured: exact shares, the order of the rules, the words."""

from fractions import Fraction

import pytest
from django.core.exceptions import ImproperlyConfigured

from salaries.disclosure import disclosure_rules, withheld_reason
from salaries.stats import DisclosureRules


def test_the_share_is_the_decimal_as_written_not_a_float(settings):
    settings.SALARY_MAX_CANDIDATE_SHARE = 0.3
    rules = disclosure_rules()
    assert rules.max_candidate_share == Fraction(3, 10)
    # 0.3 × 10 is 3.0000000000000004 in floats, which would let 3 of 10 through.
    assert rules.withheld(offers=10, candidates=8, top=3) == "dominance"
    assert rules.withheld(offers=11, candidates=9, top=3) is None


@pytest.mark.parametrize("share", [0, -0.5, 1.5])
def test_a_share_outside_zero_to_one_is_refused(settings, share):
    settings.SALARY_MAX_CANDIDATE_SHARE = share
    with pytest.raises(ImproperlyConfigured, match="SALARY_MAX_CANDIDATE_SHARE"):
        disclosure_rules()


def test_rules_are_checked_in_the_contracts_order():
    rules = DisclosureRules()
    assert rules.withheld(offers=4, candidates=1, top=4) == "min_offers"
    assert rules.withheld(offers=5, candidates=1, top=5) == "min_candidates"
    assert rules.withheld(offers=10, candidates=6, top=5) == "dominance"
    assert rules.withheld(offers=11, candidates=7, top=5) is None
    assert rules.complement_publishes(outside_offers=0, outside_candidates=0)
    assert not rules.complement_publishes(outside_offers=9, outside_candidates=4)
    assert rules.complement_publishes(outside_offers=5, outside_candidates=5)


def test_reasons_read_in_plain_words_with_the_configured_numbers(settings):
    settings.SALARY_MIN_CANDIDATES = 7
    settings.SALARY_MAX_CANDIDATE_SHARE = 0.4
    assert withheld_reason("min_offers") == "fewer than 5 offers"
    assert withheld_reason("min_candidates") == "fewer than 7 candidates"
    assert withheld_reason("dominance") == "one candidate holds 40% or more of the offers"
    assert withheld_reason("complement") == (
        "too few people outside this group (fewer than 7 other candidates)"
    )
    assert withheld_reason("tails") == (
        "fewer than 10 candidates for the 10th and 90th percentiles"
    )
    assert withheld_reason(None) == ""
