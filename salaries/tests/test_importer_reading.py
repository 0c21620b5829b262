"""Reading CSV and JSON Lines files into records, without the database. The validator
names what is wrong with a line that could not be read."""

import io
from datetime import date
from decimal import Decimal

import pytest

from salaries.importer.reading import ImportFileError, read_records
from salaries.importer.validation import RowError, validate_record

TODAY = date(2026, 6, 30)


def read(data: bytes, fmt: str):
    return list(read_records(io.BytesIO(data), fmt))


def test_csv_with_bom_crlf_unknown_columns_and_any_order():
    data = (
        "\ufeffsalary,extra,offer_id,candidate_id,offered_on,specialization,technologies\r\n"
        "7000,x,o1,c1,2024-01-01,qa,selenium\r\n\r\n"
        "7100,y,o2,c1,2024-01-01,qa,selenium\r\n"
    ).encode()
    rows = read(data, "csv")
    assert [line for line, _ in rows] == [2, 4]
    assert rows[0][1]["salary"] == "7000" and rows[0][1]["offer_id"] == "o1"


def test_csv_line_numbers_follow_multi_line_fields():
    data = (
        b"offer_id,candidate_id,offered_on,specialization,technologies,salary\n"
        b'o1,"c\n1",2024-01-01,qa,x,1\n'
        b"o2,c2,2024-01-01,qa,x,1\n"
    )
    assert [line for line, _ in read(data, "csv")] == [2, 4]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"offer_id,salary\n1,2\n", "lacks required columns: candidate_id, offered_on"),
        (b"\x00\x01\x02binary", "NUL bytes"),
        (b"\xff\xfeo\x00f\x00", "line 1: cannot read the header: not UTF-8 text"),
    ],
)
def test_unreadable_csv_files_give_one_clear_error(data, message):
    with pytest.raises(ImportFileError, match=message):
        read(data, "csv")


def test_jsonl_bad_lines_become_row_errors_with_their_line():
    data = b'{"offer_id": "a"}\n\n[1]\n{broken\n"text"\n'
    rows = read(data, "jsonl")
    assert [line for line, _ in rows] == [1, 3, 4, 5]
    messages = []
    for line, record in rows[1:]:
        with pytest.raises(RowError) as raised:
            validate_record(line, record, today=TODAY)
        messages.append(str(raised.value))
    assert messages == [
        "line 3: json: expected a JSON object, got a JSON array",
        "line 4: json: not valid JSON (Expecting property name enclosed in double quotes "
        "at column 2)",
        "line 5: json: expected a JSON object, got a JSON string",
    ]


def reason_of(line: int, record) -> str:
    with pytest.raises(RowError) as raised:
        validate_record(line, record, today=TODAY)
    return str(raised.value)


def test_json_numbers_are_read_as_written():
    data = (
        b'{"offer_id": 7, "candidate_id": "c", "offered_on": "2024-01-01", "specialization":'
        b' "qa", "technologies": "x", "salary": 5000, "experience_years": 3.50}\n'
    )
    [(line, record)] = read(data, "jsonl")
    row = validate_record(line, record, today=TODAY)
    assert (row.offer_id, row.salary, row.experience_years) == ("7", 5000, Decimal("3.50"))


JSONL_ATTACKS = [
    (b"[" * 20_000 + b"]" * 20_000, "json: not valid here (arrays or objects nested too deeply)"),
    (b'{"offer_id": ' + b'{"a":' * 10_000 + b"}" * 10_000 + b"}", "json: not valid here"),
    (b'{"salary": 1' + b"0" * 5000 + b"}", "salary: must be a whole number from 1 to 100000"),
    (b'{"offer_id": 1' + b"0" * 5000 + b"}", "offer_id: must be at most 64 characters"),
    (b'{"experience_years": 1e400}', 'experience_years: must be a number of years from 0 to 60, '
                                     'got "1e400"'),
    (b'{"experience_years": NaN}', "json: not valid JSON (NaN is not a JSON number)"),
    (b'{"salary": -Infinity}', "json: not valid JSON (-Infinity is not a JSON number)"),
    (b'{"salary": 5000, "salary": 6000}', 'json: not valid JSON (the key "salary" appears twice)'),
    (b'{"offer_id": "a\\u0000b"}', "offer_id: must not contain NUL characters"),
    (b'{"offer_id": "a\x00b"}', "json: not valid JSON (Invalid control character"),
    (b'\xef\xbb\xbf{"offer_id": "x"}', "json: not valid JSON (Unexpected UTF-8 BOM"),
    (b'{"offer_id": "caf\xe9"}', "encoding: not UTF-8 text (invalid continuation byte at byte"),
    (b'{"offer_id": {"nested": 1}}', "offer_id: must be a string or a number, got a JSON object"),
    (b'{"remote": true, "country": true}',
     "country: must be a string or a number, got a JSON boolean"),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "message"), JSONL_ATTACKS)
def test_hostile_json_lines_are_row_errors_and_the_file_reads_on(bad, message):
    good = b'{"offer_id": "o1"}'
    rows = read(b"\n".join([good, bad, good]) + b"\n", "jsonl")
    assert [line for line, _ in rows] == [1, 2, 3]
    assert rows[2][1] == {"offer_id": "o1"}
    assert message in reason_of(*rows[1])


HEADER = b"offer_id,candidate_id,offered_on,specialization,technologies,salary\n"
ROW = b"o1,c1,2024-01-01,qa,x,1\n"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"o2,c\x002,2024-01-01,qa,x,1\n", "candidate_id: must not contain NUL characters"),
        (b"o2,caf\xe9,2024-01-01,qa,x,1\n", "encoding: not UTF-8 text"),
        (b"\xef\xbb\xbfo2,c2,2024-01-01,qa,x,1\n", "offer_id: must not contain a byte order mark"),
        (b"o2,c2,2024-01-01,qa,x,\xd9\xa1\xd9\xa2\xd9\xa3\n", "salary: must be a whole number"),
        (b"o2,c2,2024-01-01,qa,x," + b"9" * 5000 + b"\n", "salary: must be a whole number"),
    ],
)
def test_hostile_csv_lines_are_row_errors_and_the_file_reads_on(bad, message):
    rows = read(HEADER + ROW + bad + ROW.replace(b"o1", b"o3"), "csv")
    assert [line for line, _ in rows] == [2, 3, 4]
    assert rows[2][1]["offer_id"] == "o3"
    assert message in reason_of(*rows[1])


def test_a_bad_line_inside_a_quoted_field_costs_its_record_only():
    data = HEADER + b'o2,"c\nd\xff",2024-01-01,qa,x,1\n' + ROW
    rows = read(data, "csv")
    assert [line for line, _ in rows] == [2, 4]
    assert reason_of(*rows[0]) == (
        "line 2: encoding: line 3: not UTF-8 text (invalid start byte at byte 2 of the line); "
        "save the file as UTF-8"
    )
    assert rows[1][1]["offer_id"] == "o1"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_line_over_the_limit_is_a_row_error_and_the_next_line_is_read(fmt):
    good = ROW if fmt == "csv" else b'{"offer_id": "o1"}\n'
    head = HEADER if fmt == "csv" else b""
    long_line = b"o2," + b"x" * 1000 + b"\n"
    records = read_records(io.BytesIO(head + long_line + good), fmt, max_line_bytes=100)
    rows = list(records)
    first = 2 if fmt == "csv" else 1
    assert [line for line, _ in rows] == [first, first + 1]
    assert reason_of(*rows[0]) == (
        f"line {first}: length: the line is longer than 100 bytes, the most a row may take; "
        "skipped unread"
    )
    assert rows[1][1]["offer_id"] == "o1"


def test_a_line_of_exactly_the_limit_is_read():
    line = b"o1,c1,2024-01-01,qa,x," + b"1" * 60 + b"\n"
    records = read_records(io.BytesIO(HEADER + line), "csv", max_line_bytes=len(line) - 1)
    assert list(records)[0][1]["salary"] == "1" * 60


def test_a_repeated_column_names_the_column_and_where():
    with pytest.raises(ImportFileError) as raised:
        read(HEADER.replace(b"salary", b"salary,salary"), "csv")
    assert str(raised.value) == (
        'line 1: the header names "salary" 2 times (columns 6, 7); which one holds the value '
        "is not clear"
    )


def test_a_repeated_unknown_column_is_ignored_like_any_unknown_column():
    records = read_records(io.BytesIO(HEADER.replace(b"\n", b",note,note\n") + ROW), "csv")
    assert records.columns[-1] == "note" and records.columns.count("note") == 1
    assert len(list(records)) == 1


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_carriage_return_line_endings_are_a_clear_error(fmt):
    data = (HEADER + ROW) if fmt == "csv" else b'{"offer_id": "a"}\n{"offer_id": "b"}\n'
    with pytest.raises(ImportFileError, match="end in a carriage return alone"):
        read(data.replace(b"\n", b"\r"), fmt)


def test_a_stray_carriage_return_in_a_line_ending_in_lf_is_a_row_error_only():
    rows = read(b'{"offer_id": "a"}\r{"offer_id": "b"}\n{"offer_id": "c"}\n', "jsonl")
    assert "line 1: json: not valid JSON (Extra data" in reason_of(*rows[0])
    assert rows[1] == (2, {"offer_id": "c"})


def test_the_columns_of_the_rejects_file_come_from_the_header_not_the_first_row():
    records = read_records(io.BytesIO(HEADER.replace(b"\n", b",extra\n") + b"o1\n"), "csv")
    assert records.columns == [
        "offer_id", "candidate_id", "offered_on", "specialization", "technologies", "salary",
        "extra",
    ]  # fmt: skip
