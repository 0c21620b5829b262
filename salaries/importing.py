"""Reading and validating offer rows (CSV or JSON Lines). Pure: nothing here writes.

Every problem is reported with the line a person sees in the file, the field and the
reason, e.g. ``line 17: salary: must be a whole number from 1 to 100000, got "7k"``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
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


class ImportFileError(Exception):
    """The import cannot go on: the file as a whole is unusable (no header, missing or
    repeated columns, not a text file), or reading it failed half-way (an I/O error)."""


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


# --- Reading ---------------------------------------------------------------------------

# The longest line read, in bytes before its line feed. Rows are a few hundred bytes; a
# longer line is reported as a row error and skipped without ever being held whole, so
# memory stays flat whatever the file holds.
MAX_LINE_BYTES = 64 * 1024
_SKIP_CHUNK = 64 * 1024


class _BadLine(Exception):
    """One physical line cannot be read (too long, not UTF-8); the next one can."""

    def __init__(self, number: int, field: str, reason: str):
        self.number, self.field, self.reason = number, field, reason
        super().__init__(f"line {number}: {reason}")


class _Lines:
    """The text lines of a binary stream, numbered as a person sees them. A line that
    cannot be read raises ``_BadLine`` and the next call goes on with the following line,
    so one bad line costs one row, never the file. (An iterator class rather than a
    generator, because a generator that raises is finished.)"""

    def __init__(self, stream: IO[bytes], max_bytes: int):
        self.stream, self.max_bytes, self.number = stream, max_bytes, 0

    def __iter__(self) -> _Lines:
        return self

    def _read(self, size: int) -> bytes:
        try:
            return self.stream.readline(size)
        except OSError as error:
            raise ImportFileError(
                f"line {self.number + 1}: cannot read the file ({error.strerror or error})"
            ) from None

    def __next__(self) -> str:
        raw = self._read(self.max_bytes + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        if self.number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.endswith(b"\n") and b"\r" in raw.rstrip(b"\r"):  # no LF at all
                raise ImportFileError(
                    "line 1: the lines end in a carriage return alone; save the file with "
                    "LF or CRLF line endings"
                )
        if len(raw) > self.max_bytes and not raw.endswith(b"\n"):
            while (rest := self._read(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            raise _BadLine(
                self.number,
                "length",
                f"the line is longer than {self.max_bytes:,} bytes, the most a row may take; "
                "skipped unread",
            )
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _BadLine(
                self.number,
                "encoding",
                f"not UTF-8 text ({error.reason} at byte {error.start + 1} of the line); "
                "save the file as UTF-8",
            ) from None


class Records:
    """``(line number, record)`` pairs of one file, read as they are iterated.

    ``columns`` are the input's own columns, which the rejects file repeats: the CSV
    header as read, or the contract's fields for JSON Lines."""

    def __init__(self, rows: Iterator[tuple[int, dict[str, Any]]], columns: list[str]):
        self._rows, self.columns = rows, columns

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return self._rows


def read_records(stream: IO[bytes], fmt: str, *, max_line_bytes: int = MAX_LINE_BYTES) -> Records:
    """The records of a binary stream. A CSV header is read at once, so a file that
    cannot be imported at all raises ``ImportFileError`` before anything is written."""
    lines = _Lines(stream, max_line_bytes)
    if fmt == "csv":
        return _read_csv(lines)
    if fmt == "jsonl":
        return Records(_read_jsonl(lines), list(FIELDS))
    raise ImportFileError(f'unknown format "{fmt}": use csv or jsonl')


def _read_csv(lines: _Lines) -> Records:
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("the file is empty: expected a header row") from None
    except _BadLine as bad:
        raise ImportFileError(f"line 1: cannot read the header: {bad.reason}") from None
    except csv.Error as error:
        raise ImportFileError(f"line 1: cannot read the header: {error}") from None
    names = [name.strip() for name in header]
    if any("\x00" in name for name in names):
        raise ImportFileError("line 1: the file contains NUL bytes; is it a binary file?")
    repeated = [f for f in FIELDS if names.count(f) > 1]
    if repeated:
        raise ImportFileError(
            "line 1: the header names "
            + ", ".join(
                f'"{f}" {names.count(f)} times (columns '
                + ", ".join(str(i) for i, n in enumerate(names, start=1) if n == f)
                + ")"
                for f in repeated
            )
            + "; which one holds the value is not clear"
        )
    missing = [field for field in REQUIRED_FIELDS if field not in names]
    if missing:
        raise ImportFileError(
            "line 1: the header lacks required columns: "
            + ", ".join(missing)
            + f" (found: {', '.join(n for n in names if n) or 'nothing'})"
        )
    columns = list(dict.fromkeys(name for name in names if name))
    return Records(_csv_rows(reader, lines, names), columns)


def _csv_rows(reader, lines: _Lines, names: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    start = lines.number + 1  # where the next record begins
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except _BadLine as bad:
            where = "" if bad.number == start else f"line {bad.number}: "
            yield start, {_BROKEN: (bad.field, where + bad.reason)}
        except csv.Error as error:
            yield start, {_BROKEN: ("csv", str(error))}
        else:
            if values and any(v.strip() for v in values):  # else a blank line
                record: dict[str, Any] = {}
                for name, value in zip(names, values, strict=False):
                    if name and name not in record:
                        record[name] = value
                yield start, record
        start = lines.number + 1


class _NotARecord(ValueError):
    """A JSON line that parses but is not one flat object of the import's fields."""


def _refuse_constant(name: str) -> None:
    raise _NotARecord(f"{name} is not a JSON number")


def _object_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise _NotARecord(f'the key "{key[:50]}" appears twice')
        record[key] = value
    return record


def _parse_json_line(text: str) -> dict[str, Any] | str:
    """The line's object, or why it is not one. Numbers stay the text they were written
    as, so no number is too long or too large to read, and the validator decides."""
    try:
        record = json.loads(
            text,
            parse_int=str,
            parse_float=str,
            parse_constant=_refuse_constant,
            object_pairs_hook=_object_once,
        )
    except json.JSONDecodeError as error:
        return f"not valid JSON ({error.msg} at column {error.colno})"
    except _NotARecord as error:
        return f"not valid JSON ({error})"
    except RecursionError:
        return "not valid here (arrays or objects nested too deeply)"
    if not isinstance(record, dict):
        return f"expected a JSON object, got a JSON {json_kind(record)}"
    return record


def _read_jsonl(lines: _Lines) -> Iterator[tuple[int, dict[str, Any]]]:
    while True:
        try:
            text = next(lines)
        except StopIteration:
            return
        except _BadLine as bad:
            yield bad.number, {_BROKEN: (bad.field, bad.reason)}
            continue
        if not text.strip():
            continue
        record = _parse_json_line(text)
        if isinstance(record, str):
            yield lines.number, {_BROKEN: ("json", record)}
        else:
            yield lines.number, record


def json_kind(value: Any) -> str:
    """How JSON calls the type of a parsed value (number, string, array...)."""
    if isinstance(value, bool):
        return "boolean"
    return JSON_KINDS.get(type(value), "value")


JSON_KINDS = {list: "array", dict: "object", str: "string", int: "number", float: "number"}
JSON_KINDS[type(None)] = "null"
# The key of a record whose line could not be read; its value is (field, reason). No
# parsed file can produce this key, so a JSON object cannot pose as a broken line.
_BROKEN = object()


def csv_text_stream(text: str) -> IO[bytes]:
    """A binary stream over ``text``, for callers that hold rows in memory (tests, demo)."""
    return io.BytesIO(text.encode("utf-8"))


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
    if text.isascii():
        if "\x00" in text:
            raise _BadValue("must not contain NUL characters")
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
    if problem := slug_problem(value):
        return f"{problem}, got {_shown(value)}"
    return None


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
    if _BROKEN in record:
        raise RowError(line, [record[_BROKEN]])
    problems: list[tuple[str, str]] = []

    def problem(field: str, message: str) -> None:
        problems.append((field, message))

    value: dict[str, str] = {}
    bad_kind: set[str] = set()
    for field in FIELDS:
        try:
            value[field] = _text(field, record.get(field))
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
        if DIGITS_RE.fullmatch(text) and 0 < len(digits) <= 6 and int(digits) <= 100_000:
            salary = int(digits)
        else:
            problem("salary", f"must be a whole number from 1 to 100000, got {_shown(text)}")

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
