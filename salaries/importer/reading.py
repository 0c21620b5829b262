"""Reading offer records from a file (CSV or JSON Lines). Pure: nothing here writes.

A line that cannot be read becomes a record the validator reports as a row error naming
its line; only a file that is unusable as a whole stops the import (``ImportFileError``).
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from salaries.importer.columns import FIELDS, REQUIRED_FIELDS

FORMATS = ("csv", "jsonl")


class ImportFileError(Exception):
    """The import cannot go on: the file as a whole is unusable (no header, missing or
    repeated columns, not a text file), or reading it failed half-way (an I/O error)."""


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
            yield start, {BROKEN_LINE: (bad.field, where + bad.reason)}
        except csv.Error as error:
            yield start, {BROKEN_LINE: ("csv", str(error))}
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
            yield bad.number, {BROKEN_LINE: (bad.field, bad.reason)}
            continue
        if not text.strip():
            continue
        record = _parse_json_line(text)
        if isinstance(record, str):
            yield lines.number, {BROKEN_LINE: ("json", record)}
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
BROKEN_LINE = object()
