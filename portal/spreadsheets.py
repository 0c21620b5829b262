"""CSV that spreadsheets open as data, never as formulas: every CSV the product writes
(the partner API's ``?format=csv``, the salary page's histogram, the subscriber export)
goes through ``writer`` here.

defusedcsv writes a cell that starts with ``=``, ``+``, ``-``, ``@``, ``|`` or ``%`` with
an apostrophe in front (and ``|`` escaped), as OWASP's advice on CSV injection says, so
Excel, LibreOffice and Google Sheets show the text instead of running it; numbers,
negative ones included, stay numbers. OWASP lists a leading tab and carriage return too,
which defusedcsv lets through: those cells get the same apostrophe here.
"""

from __future__ import annotations

from collections.abc import Iterable

from defusedcsv import csv as defused

LEADING_WHITESPACE_TRIGGERS = ("\t", "\r")


def _inert(value):
    if isinstance(value, str) and value.startswith(LEADING_WHITESPACE_TRIGGERS):
        return "'" + value
    return value


class SpreadsheetSafeWriter:
    """A ``csv.writer`` (from defusedcsv) that also defuses a leading tab or CR."""

    def __init__(self, file, **options):
        self._writer = defused.writer(file, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([_inert(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> SpreadsheetSafeWriter:
    """Like ``csv.writer(file, **options)``; ``writerow`` returns what ``file.write`` did."""
    return SpreadsheetSafeWriter(file, **options)


class LineEcho:
    """A file whose ``write`` hands the line back, encoded, for a streaming response."""

    def write(self, line: str) -> bytes:
        return line.encode("utf-8")
