"""The one CSV writer: what a spreadsheet would run comes out as text, data stays data."""

import csv
import io

import pytest

from portal import spreadsheets

# What OWASP lists as the start of a formula (or of DDE), as an editor or a subscriber
# could type it.
HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "%0A=1+1",
    "|calc",
]


def written(row) -> list[str]:
    out = io.StringIO()
    spreadsheets.writer(out).writerow(row)
    return next(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("value", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_starts_with_an_apostrophe(value):
    (cell,) = written([value])
    assert cell.startswith("'"), cell
    assert cell.lstrip("'").replace("\\|", "|") == value


@pytest.mark.parametrize("value", [7707, -5, 0, 12.5, "-5", "1,234", "flask", "back-end", ""])
def test_numbers_and_plain_text_are_written_as_they_are(value):
    assert written([value]) == [str(value)]


def test_writerow_returns_what_the_file_returned_for_streaming():
    line = spreadsheets.writer(spreadsheets.LineEcho()).writerow(["=1", 2])
    assert line == b"'=1,2\r\n"
