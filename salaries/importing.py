"""Reading and validating offer rows (CSV or JSON Lines). Pure: nothing here writes.

Every problem is reported with the line a person sees in the file, the field and the
reason, e.g. ``line 17: salary: must be a whole number from 1 to 100000, got "7k"``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import IO, Any

from salaries.models import EnglishLevel, Seniority, slug_problem

REQUIRED_FIELDS = (
    "offer_id",
    "candidate_id",
    "offered_on",
    "specialization",
    "technologies",
    "salary",
)
OPTIONAL_FIELDS = ("experience_years", "seniority", "country", "english_level", "remote")
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
FORMATS = ("csv", "jsonl")
EARLIEST = date(2000, 1, 1)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DIGITS_RE = re.compile(r"^\d+$")
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


class ImportFileError(Exception):
    """The file as a whole cannot be read (not UTF-8, no header, missing columns)."""


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


@dataclass(frozen=True, slots=True)
class OfferRow:
    line: int
    offer_id: str
    candidate_id: str
    offered_on: date
    specialization: str
    technologies: tuple[str, ...]
    salary: int
    experience_years: Decimal | None
    seniority: str
    country: str
    english_level: str
    remote: bool | None


# --- Reading ------------------------------------------------------------------------------


def read_records(stream: IO[bytes], fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, record)`` from a binary stream, one record per offer."""
    if fmt == "csv":
        return _read_csv(stream)
    if fmt == "jsonl":
        return _read_jsonl(stream)
    raise ImportFileError(f'unknown format "{fmt}": use csv or jsonl')


def _decoded_lines(stream: IO[bytes]) -> Iterator[str]:
    """UTF-8 text lines (BOM dropped), with a clear error naming the first bad line."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for number, raw in enumerate(stream, start=1):
        if b"\x00" in raw:
            raise ImportFileError(
                f"line {number}: the file contains NUL bytes; is it a binary file?"
            )
        try:
            yield decoder.decode(raw)
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"line {number}: the file is not UTF-8 text ({error.reason} at byte "
                f"{error.start} of the line); save it as UTF-8 and try again"
            ) from None


def _read_csv(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    lines = _decoded_lines(stream)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("the file is empty: expected a header row") from None
    except csv.Error as error:
        raise ImportFileError(f"line 1: cannot read the header: {error}") from None
    names = [name.strip() for name in header]
    missing = [field for field in REQUIRED_FIELDS if field not in names]
    if missing:
        raise ImportFileError(
            "line 1: the header lacks required columns: "
            + ", ".join(missing)
            + f" (found: {', '.join(n for n in names if n) or 'nothing'})"
        )
    last_line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(f"line {reader.line_num}: {error}") from None
        line, last_line = last_line + 1, reader.line_num
        if not values or all(not v.strip() for v in values):
            continue  # blank line
        record = {name: value for name, value in zip(names, values, strict=False) if name}
        yield line, record


def _read_jsonl(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, text in enumerate(_decoded_lines(stream), start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            yield line, {_BROKEN: f"not valid JSON ({error.msg} at column {error.colno})"}
            continue
        if not isinstance(record, dict):
            kind = JSON_KINDS.get(type(record), "value")
            yield line, {_BROKEN: f"expected a JSON object, got a JSON {kind}"}
            continue
        yield line, record


JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}
JSON_KINDS[type(None)] = "null"
_BROKEN = "\x00broken"  # marks a JSON line that could not be read as an object


def csv_text_stream(text: str) -> IO[bytes]:
    """A binary stream over ``text``, for callers that hold rows in memory (tests, demo)."""
    return io.BytesIO(text.encode("utf-8"))


# --- Validating ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


def _slug(value: str) -> str | None:
    """The slug's problem, or None when it is fine."""
    if problem := slug_problem(value):
        return f'{problem}, got "{value}"'
    return None


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
    if _BROKEN in record:
        raise RowError(line, [("json", record[_BROKEN])])
    problems: list[tuple[str, str]] = []
    value = {field: _text(record.get(field)) for field in FIELDS}

    def problem(field: str, message: str) -> None:
        problems.append((field, message))

    for field in REQUIRED_FIELDS:
        if not value[field]:
            problem(field, "is required")

    for field in ("offer_id", "candidate_id"):
        if len(value[field]) > 64:
            problem(field, f"must be at most 64 characters, got {len(value[field])}")

    offered_on = None
    if value["offered_on"]:
        try:
            if not DATE_RE.match(value["offered_on"]):
                raise ValueError
            offered_on = date.fromisoformat(value["offered_on"])
        except ValueError:
            problem("offered_on", f'must be a date as YYYY-MM-DD, got "{value["offered_on"]}"')
        else:
            if offered_on > today:
                problem("offered_on", f"must not be after today ({today}), got {offered_on}")
            elif offered_on < EARLIEST:
                problem("offered_on", f"must not be before {EARLIEST}, got {offered_on}")

    specialization = value["specialization"].lower()
    if specialization and (reason := _slug(specialization)):
        problem("specialization", reason)

    technologies: list[str] = []
    if value["technologies"]:
        for item in value["technologies"].split(";"):
            slug = item.strip().lower()
            if slug and slug not in technologies:
                if reason := _slug(slug):
                    problem("technologies", reason)
                technologies.append(slug)
        if not technologies:
            problem(
                "technologies", f'must name at least one technology, got "{value["technologies"]}"'
            )

    salary = None
    raw_salary = record.get("salary")
    if value["salary"]:
        is_whole = (isinstance(raw_salary, int) and not isinstance(raw_salary, bool)) or (
            isinstance(raw_salary, str) and DIGITS_RE.match(value["salary"])
        )
        if is_whole and 1 <= int(value["salary"]) <= 100_000:
            salary = int(value["salary"])
        else:
            problem("salary", f'must be a whole number from 1 to 100000, got "{value["salary"]}"')

    experience = None
    if value["experience_years"]:
        try:
            experience = Decimal(value["experience_years"])
            if not experience.is_finite() or not 0 <= experience <= 60:
                raise InvalidOperation
        except InvalidOperation:
            experience = None
            problem(
                "experience_years",
                f'must be a number of years from 0 to 60, got "{value["experience_years"]}"',
            )

    seniority = value["seniority"].lower()
    if seniority and seniority not in SENIORITIES:
        problem("seniority", f'must be one of {", ".join(Seniority.values)}, got "{seniority}"')
    elif not seniority and experience is not None:
        seniority = seniority_from_experience(experience)

    country = value["country"].upper()
    if country and country not in COUNTRIES:
        problem(
            "country", f'must be an ISO 3166-1 alpha-2 code such as UA, got "{value["country"]}"'
        )

    english = value["english_level"].lower()
    if english and english not in ENGLISH_LEVELS:
        problem(
            "english_level",
            f'must be one of {", ".join(EnglishLevel.values)}, got "{value["english_level"]}"',
        )

    remote = None
    if value["remote"]:
        flag = value["remote"].lower()
        if flag in TRUE:
            remote = True
        elif flag in FALSE:
            remote = False
        else:
            problem("remote", f'must be true/false, 1/0 or yes/no, got "{value["remote"]}"')

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
