"""Disclosure control as this site is configured: the rules read from the settings, the
names a withheld cell carries, and how pages say why a figure is withheld.

The arithmetic of the rules lives in ``stats.DisclosureRules``; this module gives it the
configured numbers and the words.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from salaries import stats


class Withheld(models.TextChoices):
    """Which rule withheld a cell's money figures (the first that failed)."""

    MIN_OFFERS = stats.MIN_OFFERS, "Too few offers"
    MIN_CANDIDATES = stats.MIN_CANDIDATES, "Too few candidates"
    DOMINANCE = stats.DOMINANCE, "One candidate holds too many of the offers"
    COMPLEMENT = stats.COMPLEMENT, "Too few people outside this group"
    TAILS = stats.TAILS, "Too few candidates for the 10th and 90th percentiles"


def _share() -> Fraction:
    # The decimal as written ("0.5" -> 1/2), not the nearest binary float.
    share = Fraction(str(settings.SALARY_MAX_CANDIDATE_SHARE))
    if not 0 < share <= 1:
        raise ImproperlyConfigured(
            f"SALARY_MAX_CANDIDATE_SHARE must be above 0 and at most 1, got {share}"
        )
    return share


def disclosure_rules(*, min_offers: int | None = None) -> stats.DisclosureRules:
    """The rules as configured (``min_offers`` overrides ``SALARY_MIN_OFFERS``)."""
    return stats.DisclosureRules(
        min_offers=settings.SALARY_MIN_OFFERS if min_offers is None else min_offers,
        min_candidates=settings.SALARY_MIN_CANDIDATES,
        max_candidate_share=_share(),
        min_candidates_tails=settings.SALARY_MIN_CANDIDATES_TAILS,
    )


def share_in_words(share: Fraction) -> str:
    """1/2 -> "half", 1/3 -> "a third", 2/5 -> "40%"."""
    named = {Fraction(1, 2): "half", Fraction(1, 3): "a third", Fraction(1, 4): "a quarter"}
    if share in named:
        return named[share]
    return f"{float(share * 100):g}%"


def disclosure_in_words() -> dict:
    """The configured numbers for the methodology texts (templates read the keys)."""
    rules = disclosure_rules()
    return {
        "min_offers": rules.min_offers,
        "min_candidates": rules.min_candidates,
        "share": share_in_words(rules.max_candidate_share),
        "min_candidates_tails": rules.min_candidates_tails,
    }


def withheld_reason(code: str | None) -> str:
    """Why a cell's figures are withheld, in plain words with the configured numbers;
    empty when nothing is withheld."""
    if not code:
        return ""
    rules = disclosure_rules()
    return {
        stats.MIN_OFFERS: f"fewer than {rules.min_offers} offers",
        stats.MIN_CANDIDATES: f"fewer than {rules.min_candidates} candidates",
        stats.DOMINANCE: (
            f"one candidate holds {share_in_words(rules.max_candidate_share)} or more of the offers"
        ),
        stats.COMPLEMENT: (
            "too few people outside this group (fewer than "
            f"{rules.min_candidates} other candidates)"
        ),
        stats.TAILS: (
            f"fewer than {rules.min_candidates_tails} candidates for the 10th and 90th percentiles"
        ),
    }.get(code, "withheld")
