"""The facets every offer carries (seniority, English level, remote, country): their
values as URLs and the API spell them, the small integer codes the engine groups by, and
how a query string sets them.

One home for the value rules, so the engine, the API, the explorer and the salary page
read a facet the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from django_countries import countries

from portal.query import BadQueryParameter, one_value
from salaries.models import EnglishLevel, Seniority

FACETS = ("seniority", "english_level", "remote", "country")
# The column of the facts table that holds each facet's code (0: the offer left it empty).
COLUMN = {"seniority": "l", "english_level": "e", "remote": "r", "country": "k"}
BREAKDOWN = {facet: f"by_{facet}" for facet in FACETS}
LABEL = {
    "seniority": "Seniority",
    "english_level": "English level",
    "remote": "Remote or office",
    "country": "Country",
}

CODES = {
    "seniority": {value: code for code, value in enumerate(Seniority.values, start=1)},
    "english_level": {value: code for code, value in enumerate(EnglishLevel.values, start=1)},
    "remote": {"true": 1, "false": 2},
}
_VALUES = {facet: {code: value for value, code in codes.items()} for facet, codes in CODES.items()}
REMOTE_WORDS = {"true": "true", "1": "true", "yes": "true", "false": "false", "0": "false",
                "no": "false"}  # fmt: skip
VALUE_LABELS = {
    "seniority": dict(Seniority.choices),
    "english_level": dict(EnglishLevel.choices),
    "remote": {"true": "Remote", "false": "Office"},
}


# What OpenAPI says each facet takes (besides empty, which means "not set").
OPENAPI = {
    "seniority": {"enum": list(CODES["seniority"])},
    "english_level": {"enum": list(CODES["english_level"])},
    "remote": {"enum": list(REMOTE_WORDS)},
    "country": {"pattern": "^[A-Za-z]{2}$"},
}


def country_code(country: str) -> int:
    """A two-letter country as one small integer (``AA`` 33 … ``ZZ`` 858)."""
    first, second = country.upper()
    return (ord(first) - 64) * 32 + (ord(second) - 64)


def country_of(code: int) -> str:
    return chr(64 + code // 32) + chr(64 + code % 32)


def code_of(facet: str, value: str) -> int:
    """The engine's code for a facet's value as ``facet_parse`` gives it."""
    if facet == "country":
        return country_code(value)
    return CODES[facet][value]


def value_of(facet: str, code: int) -> str:
    """The breakdown key of a code: ``"senior"``, ``"true"``, ``"UA"``."""
    if facet == "country":
        return country_of(code)
    return _VALUES[facet][code]


def value_label(facet: str, value: str) -> str:
    """How a value reads on pages: "Senior", "Remote", "Ukraine" (a code ISO 3166 does
    not name reads as itself)."""
    if facet == "country":
        return str(countries.name(value)) or value
    return VALUE_LABELS.get(facet, {}).get(value, value)


def valid_values(facet: str) -> str:
    if facet == "country":
        return "a two-letter ISO 3166-1 country code such as UA or PL"
    if facet == "remote":
        return "true or false (also 1/0, yes/no)"
    return ", ".join(CODES[facet])


def facet_parse(facet: str, raw: str) -> str | None:
    """The canonical value of a facet as typed (``None`` when empty: the facet is not
    set); ``ValueError`` with the valid values when it is not one of them."""
    raw = raw.strip()
    if not raw:
        return None
    lowered = raw.lower()
    if facet == "remote":
        value = REMOTE_WORDS.get(lowered)
    elif facet == "country":
        value = raw.upper() if len(raw) == 2 and raw.isascii() and raw.isalpha() else None
    else:
        value = lowered if lowered in CODES[facet] else None
    if value is None:
        shown = raw if len(raw) <= 30 else f"{raw[:30]}…"
        raise ValueError(f'"{shown}" is not a valid {facet}; use {valid_values(facet)}.')
    return value


def facets_from_query(query: Mapping) -> dict[str, str]:
    """The facets a query string sets, canonical, in the order of ``FACETS``; a bad value
    or a facet given twice is a ``BadQueryParameter`` naming it and the valid values."""
    found = {}
    for facet in FACETS:
        value = one_value(query, facet)
        try:
            parsed = facet_parse(facet, value)
        except ValueError as error:
            raise BadQueryParameter(facet, str(error)) from None
        if parsed is not None:
            found[facet] = parsed
    return found


def filters_json(facets: Mapping[str, str]) -> dict:
    """The ``filters`` of an answer: ``{"seniority": "senior", "remote": true}``."""
    return {
        facet: (value == "true") if facet == "remote" else value for facet, value in facets.items()
    }


def facets_in_words(facets: Mapping[str, str]) -> str:
    """ "Senior, Remote, Ukraine" for titles and headings."""
    return ", ".join(value_label(facet, value) for facet, value in facets.items())
