"""Row validation and file reading, without the database."""

import io
from datetime import date
from decimal import Decimal

import pytest

from salaries.importing import ImportFileError, RowError, read_records, validate_record

TODAY = date(2026, 6, 30)
GOOD = {
    "offer_id": "o-1",
    "candidate_id": "c-1",
    "offered_on": "2024-05-06",
    "specialization": "back-end",
    "technologies": "python;flask",
    "salary": "7707",
}


def check(**changes):
    return validate_record(17, {**GOOD, **changes}, today=TODAY)


def problems(**changes) -> str:
    with pytest.raises(RowError) as raised:
        check(**changes)
    return str(raised.value)


def test_a_good_row():
    row = check()
    assert (row.offer_id, row.salary, row.technologies) == ("o-1", 7707, ("python", "flask"))
    assert row.seniority == "" and row.remote is None and row.experience_years is None


def test_the_contracts_example_message():
    assert problems(salary="7k") == (
        'line 17: salary: must be a whole number from 1 to 100000, got "7k"'
    )


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("offer_id", "", "is required"),
        ("offer_id", "x" * 65, "at most 64 characters"),
        ("candidate_id", None, "is required"),
        ("candidate_id", "c" * 65, "at most 64 characters"),
        ("offered_on", "", "is required"),
        ("offered_on", "2024-02-30", "must be a date as YYYY-MM-DD"),
        ("offered_on", "06/05/2024", "must be a date as YYYY-MM-DD"),
        ("offered_on", "2026-07-01", "must not be after today"),
        ("offered_on", "1999-12-31", "must not be before 2000-01-01"),
        ("specialization", "", "is required"),
        ("specialization", "all", '"all" is reserved'),
        ("specialization", "back_end", "lower-case letters, digits and hyphens"),
        ("specialization", "back end", "lower-case letters, digits and hyphens"),
        ("specialization", "b" * 51, "at most 50 characters"),
        ("specialization", "---", "lower-case letters, digits and hyphens"),
        ("specialization", "-2-3", "starting with a letter or a digit"),
        ("specialization", "-back-end", "starting with a letter or a digit"),
        ("technologies", "python;-1", "starting with a letter or a digit"),
        ("technologies", "python;+1", "starting with a letter or a digit"),
        ("technologies", "", "is required"),
        ("technologies", ";;", "at least one technology"),
        ("technologies", "python;ALL", '"all" is reserved'),
        ("technologies", "c++", "lower-case letters, digits and hyphens"),
        ("salary", "", "is required"),
        ("salary", "5000.0", 'got "5000.0"'),
        ("salary", "5k", 'got "5k"'),
        ("salary", "-1", 'got "-1"'),
        ("salary", "0", 'got "0"'),
        ("salary", "100001", 'got "100001"'),
        ("salary", 5000.0, 'got "5000.0"'),
        ("salary", True, "must be a string or a number, got a JSON boolean"),
        ("experience_years", "61", "from 0 to 60"),
        ("experience_years", "-1", "from 0 to 60"),
        ("experience_years", "abc", "from 0 to 60"),
        ("experience_years", "NaN", "from 0 to 60"),
        ("seniority", "lead", "must be one of junior, middle, senior, expert"),
        ("country", "XX", "ISO 3166-1 alpha-2"),
        ("country", "usa", "ISO 3166-1 alpha-2"),
        ("english_level", "native", "must be one of basic"),
        ("remote", "maybe", "true/false, 1/0 or yes/no"),
    ],
)
def test_bad_values_name_line_field_and_reason(field, value, reason):
    message = problems(**{field: value})
    assert message.startswith(f"line 17: {field}: ")
    assert reason in message


def test_every_problem_of_a_row_is_reported():
    message = problems(salary="7k", country="XX")
    assert "line 17: salary:" in message and "line 17: country:" in message


def test_slugs_may_end_with_a_hyphen_as_the_contract_allows():
    row = check(specialization="2d-", technologies="c--;3d-max")
    assert (row.specialization, row.technologies) == ("2d-", ("c--", "3d-max"))


def test_values_are_trimmed_and_slugs_lower_cased():
    row = check(
        offer_id="  o-1 ",
        specialization=" Back-End ",
        technologies=" Python ; FLASK;;flask; ",
        country=" ua ",
        english_level="Upper-Intermediate",
        seniority="Senior",
        remote=" YES ",
    )
    assert row.offer_id == "o-1"
    assert row.specialization == "back-end"
    assert row.technologies == ("python", "flask")
    assert (row.country, row.english_level, row.seniority, row.remote) == (
        "UA",
        "upper-intermediate",
        "senior",
        True,
    )


def test_json_numbers_and_booleans_are_accepted():
    row = check(offer_id=42, salary=5000, experience_years=3.5, remote=False)
    assert (row.offer_id, row.salary, row.experience_years, row.remote) == (
        "42",
        5000,
        Decimal("3.50"),
        False,
    )


@pytest.mark.parametrize(
    ("years", "level"),
    [
        ("0", "junior"),
        ("1.99", "junior"),
        ("2", "middle"),
        ("4.99", "middle"),
        ("4.999", "middle"),
        ("5", "senior"),
        ("7.99", "senior"),
        ("8", "expert"),
        ("60", "expert"),
    ],
)
def test_seniority_is_derived_from_the_exact_experience(years, level):
    row = check(experience_years=years)
    assert row.seniority == level


def test_given_seniority_wins_over_experience():
    assert check(experience_years="1", seniority="expert").seniority == "expert"


def test_no_seniority_without_experience():
    assert check().seniority == ""


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


# --- Hostile input: every problem is a row error naming line, field and reason ---


def reason_of(line: int, record) -> str:
    with pytest.raises(RowError) as raised:
        validate_record(line, record, today=TODAY)
    return str(raised.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("salary", "١٢٣"),  # Arabic-Indic digits, which int() reads as 123
        ("salary", "５０００"),  # full-width digits
        ("experience_years", "١٢"),
        ("experience_years", "3.٥"),
        ("offered_on", "٢٠٢٤-٠١-٠١"),
    ],
)
def test_digits_must_be_ascii(field, value):
    assert problems(**{field: value}).startswith(f"line 17: {field}: must be")


def test_leading_zeros_do_not_make_a_number_too_long():
    assert check(salary="0" * 5000 + "7000").salary == 7000


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("salary", "1" * 5000, 'got "111111'),
        ("salary", "7" * 5000, "(5,000 characters)"),
        pytest.param("salary", 10**5000, "far too large", id="salary-huge-int"),
        pytest.param("offer_id", 10**5000, "far too large", id="offer_id-huge-int"),
        ("experience_years", "9" * 5000, "from 0 to 60"),
        ("experience_years", "1e400", 'got "1e400"'),
        ("experience_years", "1e999999999999", "from 0 to 60"),
        ("experience_years", 1e308, "from 0 to 60"),
        ("experience_years", float("nan"), "must be a finite number"),
        ("experience_years", float("inf"), "must be a finite number"),
        ("experience_years", "Infinity", "from 0 to 60"),
        ("experience_years", "1_0", "from 0 to 60"),  # Decimal() would read 10
        ("offer_id", float("nan"), "must be a finite number"),
    ],
)
def test_huge_and_special_numbers_are_row_errors(field, value, reason):
    message = problems(**{field: value})
    assert message.startswith(f"line 17: {field}: ")
    assert reason in message
    assert len(message) < 300  # a long value is quoted cut short


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("offer_id", {"$ne": None}, "object"),
        ("candidate_id", ["c1", "c2"], "array"),
        ("specialization", True, "boolean"),
        ("technologies", {"a": [1]}, "object"),
        ("country", False, "boolean"),
        ("experience_years", [3], "array"),
    ],
)
def test_values_of_the_wrong_json_kind_are_row_errors(field, value, kind):
    message = problems(**{field: value})
    assert message == f"line 17: {field}: must be a string or a number, got a JSON {kind}"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("offer_id", "o\x001", "must not contain NUL characters"),
        ("candidate_id", "\ufeffc1", "byte order mark"),
        ("offer_id", "o\ud8001", "not valid Unicode"),
        ("technologies", "python;\u212aotlin", "lower-case letters"),  # Kelvin sign, not k
    ],
)
def test_text_the_database_cannot_store_or_a_person_cannot_see(field, value, reason):
    message = problems(**{field: value})
    assert message.startswith(f"line 17: {field}: ") and reason in message


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
