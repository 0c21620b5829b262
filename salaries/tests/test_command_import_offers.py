"""import_offers as an operator runs it: exit codes, messages, and what is in the database."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command

from salaries.importer import writing
from salaries.models import Offer, Specialization
from salaries.tests.support import GOOD_ROWS, HEADER, run, snapshot, write

pytestmark = pytest.mark.django_db


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
