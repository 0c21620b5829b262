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
        ("salary", True, 'got "true"'),
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
        (
            "offer_id,candidate_id,offered_on,specialization,technologies,salary\nö".encode(
                "latin-1"
            ),
            "line 2: the file is not UTF-8",
        ),
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
