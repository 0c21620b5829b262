"""Validating records against the import format, without the database."""

from datetime import date
from decimal import Decimal

import pytest

from salaries.importer import validation
from salaries.importer.validation import RowError, validate_record

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


# --- Hostile input: every problem is a row error naming line, field and reason ---


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
        ("offer_id", "é\x001", "must not contain NUL characters"),  # beyond ASCII as well
        ("country", "\x00", "must not contain NUL characters"),
        ("candidate_id", "\ufeffc1", "byte order mark"),
        ("offer_id", "o\ud8001", "not valid Unicode"),
        ("technologies", "python;\u212aotlin", "lower-case letters"),  # Kelvin sign, not k
    ],
)
def test_text_the_database_cannot_store_or_a_person_cannot_see(field, value, reason):
    message = problems(**{field: value})
    assert message.startswith(f"line 17: {field}: ") and reason in message


def test_slugs_seen_before_are_judged_the_same_way_every_time(monkeypatch):
    monkeypatch.setattr(validation, "_GOOD_SLUGS", set())
    monkeypatch.setattr(validation, "_GOOD_SLUGS_KEPT", 2)
    for _ in range(3):  # valid slugs are remembered, at most two of them; bad ones never
        assert check(technologies="python;flask;django").technologies == (
            "python",
            "flask",
            "django",
        )
        assert problems(technologies="python;all;Déjà") == (
            'line 17: technologies: "all" is reserved for the roll-up across every value, '
            'got "all"; '
            "line 17: technologies: must be lower-case letters, digits and hyphens, starting "
            'with a letter or a digit, at most 50 characters, got "Déjà"'
        )
    assert sorted(validation._GOOD_SLUGS) == ["back-end", "python"]
