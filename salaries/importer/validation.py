"""Validating offer records against the import format. Pure: nothing here writes.

Every problem is reported with the line a person sees in the file, the field and the
reason, e.g. ``line 17: salary: must be a whole number from 1 to 100000, got "7k"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from salaries.importer.columns import FIELDS, REQUIRED_FIELDS, OfferRow
from salaries.importer.reading import BROKEN_LINE, json_kind
from salaries.models import EnglishLevel, Seniority
from salaries.slugs import slug_problem
from salaries.stats import MAX_SALARY

EARLIEST = date(2000, 1, 1)
# ASCII digits only: Python's int() and Decimal() also read other scripts' digits ("١٢٣").
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DIGITS_RE = re.compile(r"[0-9]+")
DECIMAL_RE = re.compile(r"[0-9]*(?:[0-9]\.?|\.[0-9])[0-9]*(?:[eE][+-]?[0-9]{1,3})?")
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}
SENIORITIES = frozenset(Seniority.values)
ENGLISH_LEVELS = frozenset(EnglishLevel.values)

# ISO 3166-1 alpha-2, officially assigned codes.
COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905 - a table is easier to check than 249 strings
)


class RowError(Exception):
    """One row is invalid; ``problems`` lists (field, reason) pairs."""

    def __init__(self, line: int, problems: list[tuple[str, str]]):
        self.line = line
        self.problems = problems
        super().__init__(str(self))

    @property
    def reason(self) -> str:
        return "; ".join(f"{field}: {message}" for field, message in self.problems)

    def __str__(self) -> str:
        return "; ".join(
            f"line {self.line}: {field}: {message}" for field, message in self.problems
        )


# --- Validating ---------------------------------------------------------------------------


class _BadValue(Exception):
    """A field's value is of a kind the format does not allow; the message says why."""


def _text(field: str, value: Any) -> str:
    """The field's value as trimmed text; ``_BadValue`` for what no field may hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, bool):
        if field != "remote":
            raise _BadValue("must be a string or a number, got a JSON boolean")
        text = "true" if value else "false"
    elif isinstance(value, int):
        if value.bit_length() > 64:
            raise _BadValue(f"is a number far too large ({value.bit_length():,} bits)")
        text = str(value)
    elif isinstance(value, float | Decimal):
        if not math.isfinite(value):
            raise _BadValue(f"must be a finite number, got {value}")
        text = str(value)
    else:
        raise _BadValue(f"must be a string or a number, got a JSON {json_kind(value)}")
    if "\x00" in text:
        raise _BadValue("must not contain NUL characters")
    if text.isascii():
        return text
    if "\ufeff" in text:
        raise _BadValue(
            "must not contain a byte order mark (U+FEFF), which files joined together leave "
            "in the middle"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadValue("is not valid Unicode text (it holds a lone surrogate)") from None
    return text


def _shown(text: str) -> str:
    """A value quoted for a message, cut short when it is long."""
    if len(text) <= 60:
        return f'"{text}"'
    return f'"{text[:60]}…" ({len(text):,} characters)'


def _slug(value: str) -> str | None:
    """The slug's problem, or None when it is fine."""
    if value in _GOOD_SLUGS:
        return None
    if problem := slug_problem(value):
        return f"{problem}, got {_shown(value)}"
    if len(_GOOD_SLUGS) < _GOOD_SLUGS_KEPT:
        _GOOD_SLUGS.add(value)
    return None


# Slugs already found valid: a file names the same few dozen over and over. Bounded, so a
# file of a million different slugs costs no more memory than this.
_GOOD_SLUGS: set[str] = set()
_GOOD_SLUGS_KEPT = 10_000


def _lower_ascii(value: str) -> str:
    """Slugs are lower-cased ASCII; other text is left for the slug rule to refuse (a
    Kelvin sign would otherwise lower-case to a "k")."""
    return value.lower() if value.isascii() else value


def seniority_from_experience(years: Decimal) -> str:
    if years < 2:
        return Seniority.JUNIOR
    if years < 5:
        return Seniority.MIDDLE
    if years < 8:
        return Seniority.SENIOR
    return Seniority.EXPERT


def validate_record(line: int, record: Mapping[str, Any], *, today: date) -> OfferRow:
    """Check one record against the import format; raise ``RowError`` naming each problem."""
    if BROKEN_LINE in record:
        raise RowError(line, [record[BROKEN_LINE]])
    problems: list[tuple[str, str]] = []

    def problem(field: str, message: str) -> None:
        problems.append((field, message))

    value: dict[str, str] = {}
    bad_kind: set[str] = set()
    get = record.get
    for field in FIELDS:
        raw = get(field)
        # The common case first: plain ASCII text (every CSV value), as ``_text`` reads it.
        if type(raw) is str and raw.isascii() and "\x00" not in raw:
            value[field] = raw.strip()
            continue
        try:
            value[field] = _text(field, raw)
        except _BadValue as error:
            problem(field, str(error))
            value[field] = ""
            bad_kind.add(field)

    for field in REQUIRED_FIELDS:
        if not value[field] and field not in bad_kind:
            problem(field, "is required")

    for field in ("offer_id", "candidate_id"):
        if len(value[field]) > 64:
            problem(field, f"must be at most 64 characters, got {len(value[field])}")

    offered_on = None
    if value["offered_on"]:
        try:
            if not DATE_RE.fullmatch(value["offered_on"]):
                raise ValueError
            offered_on = date.fromisoformat(value["offered_on"])
        except ValueError:
            problem(
                "offered_on", f"must be a date as YYYY-MM-DD, got {_shown(value['offered_on'])}"
            )
        else:
            if offered_on > today:
                problem("offered_on", f"must not be after today ({today}), got {offered_on}")
            elif offered_on < EARLIEST:
                problem("offered_on", f"must not be before {EARLIEST}, got {offered_on}")

    specialization = _lower_ascii(value["specialization"])
    if specialization and (reason := _slug(specialization)):
        problem("specialization", reason)

    technologies: list[str] = []
    if value["technologies"]:
        for item in value["technologies"].split(";"):
            slug = _lower_ascii(item.strip())
            if slug and slug not in technologies:
                if reason := _slug(slug):
                    problem("technologies", reason)
                technologies.append(slug)
        if not technologies:
            problem(
                "technologies",
                f"must name at least one technology, got {_shown(value['technologies'])}",
            )

    salary = None
    if value["salary"]:
        text = value["salary"]
        digits = text.lstrip("0")  # read as a number only once it is short enough to be one
        if (
            DIGITS_RE.fullmatch(text)
            and 0 < len(digits) <= len(str(MAX_SALARY))
            and int(digits) <= MAX_SALARY
        ):
            salary = int(digits)
        else:
            problem("salary", f"must be a whole number from 1 to {MAX_SALARY}, got {_shown(text)}")

    experience = None
    if value["experience_years"]:
        try:
            if not DECIMAL_RE.fullmatch(value["experience_years"]):
                raise InvalidOperation
            experience = Decimal(value["experience_years"])
            if not 0 <= experience <= 60:
                raise InvalidOperation
        except InvalidOperation:
            experience = None
            problem(
                "experience_years",
                f"must be a number of years from 0 to 60, got {_shown(value['experience_years'])}",
            )

    seniority = value["seniority"].lower()
    if seniority and seniority not in SENIORITIES:
        problem(
            "seniority", f"must be one of {', '.join(Seniority.values)}, got {_shown(seniority)}"
        )
    elif not seniority and experience is not None:
        seniority = seniority_from_experience(experience)

    country = value["country"].upper()
    if country and country not in COUNTRIES:
        problem(
            "country",
            f"must be an ISO 3166-1 alpha-2 code such as UA, got {_shown(value['country'])}",
        )

    english = value["english_level"].lower()
    if english and english not in ENGLISH_LEVELS:
        problem(
            "english_level",
            f"must be one of {', '.join(EnglishLevel.values)}, "
            f"got {_shown(value['english_level'])}",
        )

    remote = None
    if value["remote"]:
        flag = value["remote"].lower()
        if flag in TRUE:
            remote = True
        elif flag in FALSE:
            remote = False
        else:
            problem("remote", f"must be true/false, 1/0 or yes/no, got {_shown(value['remote'])}")

    if problems:
        raise RowError(line, problems)
    return OfferRow(
        line=line,
        offer_id=value["offer_id"],
        candidate_id=value["candidate_id"],
        offered_on=offered_on,
        specialization=specialization,
        technologies=tuple(technologies),
        salary=salary,
        # Stored to two places, cut toward zero, so the stored value implies the same
        # seniority as the exact one (4.999 stays middle).
        experience_years=(
            experience.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            if experience is not None
            else None
        ),
        seniority=seniority,
        country=country,
        english_level=english,
        remote=remote,
    )
