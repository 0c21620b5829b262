"""offers_import: batches, all or nothing, and duplicate offer ids found exactly."""

import threading
import time
from datetime import date

import pytest
from django.db import DatabaseError, connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salaries.importer import service
from salaries.importer.reading import ImportFileError
from salaries.importer.service import offers_import
from salaries.importer.writing import OfferWriter
from salaries.models import Offer
from salaries.tests.support import snapshot

pytestmark = pytest.mark.django_db


good_record = st.fixed_dictionaries(
    {
        "offer_id": st.uuids().map(str),
        "candidate_id": st.sampled_from(["c1", "c2", "c3"]),
        "offered_on": st.dates(min_value=date(2000, 1, 1), max_value=date(2025, 12, 31)).map(str),
        "specialization": st.sampled_from(["back-end", "qa"]),
        "technologies": st.sampled_from(["python", "python;flask", "react"]),
        "salary": st.integers(1, 100_000),
    }
)  # fmt: skip
bad_change = st.sampled_from(
    [
        {"salary": "7k"},
        {"salary": 0},
        {"offered_on": "2024-13-01"},
        {"specialization": "all"},
        {"technologies": ""},
        {"country": "ZZ"},
        {"remote": "perhaps"},
    ]
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    good=st.lists(good_record, min_size=0, max_size=12, unique_by=lambda r: r["offer_id"]),
    bad=st.lists(bad_change, min_size=1, max_size=3),
    where=st.randoms(),
)
def test_property_bad_rows_never_write_anything(good, bad, where):
    records = [dict(r) for r in good]
    for change in bad:
        victim = dict(good[0]) if good else {"offer_id": "x"}
        victim.update(change, offer_id=f"bad-{len(records)}")
        records.insert(where.randint(0, len(records)), victim)
    before = snapshot()
    summary = offers_import(records=enumerate(records, start=2), batch_size=where.randint(1, 5))
    assert summary.error_count >= len(bad)
    assert not summary.written
    assert snapshot() == before


# --- Duplicate offer ids, exactly ---


def record(offer_id: str) -> dict:
    return {
        "offer_id": offer_id,
        "candidate_id": "c1",
        "offered_on": "2024-05-06",
        "specialization": "qa",
        "technologies": "python",
        "salary": "5000",
    }


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_offer_ids_whose_hashes_clash_are_told_apart(monkeypatch, skip_invalid):
    monkeypatch.setattr(service, "offer_id_hash", lambda offer_id: 42)  # every id clashes
    ids = ["o1", "o10", "ö1", "o2", "O1", "o3"]  # near misses of each other
    summary = offers_import(
        records=enumerate(map(record, ids), start=2), skip_invalid=skip_invalid, batch_size=2
    )
    assert (summary.created, summary.error_count, summary.written) == (6, 0, True)
    assert sorted(Offer.objects.values_list("offer_id", flat=True)) == sorted(ids)


def test_a_real_duplicate_among_clashing_hashes_names_its_first_line(monkeypatch):
    monkeypatch.setattr(service, "offer_id_hash", lambda offer_id: 42)
    ids = ["o1", "o10", "ö1", "o2", " ö1 ", "o3"]  # " ö1 " is trimmed to line 4's id
    summary = offers_import(
        records=enumerate(map(record, ids), start=2), skip_invalid=True, batch_size=2
    )
    assert summary.created == 5
    assert summary.errors == ['line 6: offer_id: "ö1" already appears on line 4']


# --- Validating ahead of the writer ---


def records_of(count: int, *, bad_at: int | None = None):
    """``count`` valid records numbered from line 2; the one at ``bad_at`` has no salary."""
    for line in range(2, count + 2):
        row = record(f"o{line}")
        if line == bad_at:
            row["salary"] = ""
        yield line, row


def validating_threads() -> list[threading.Thread]:
    """The reading threads still running, once each has had time to see it should stop."""
    for thread in threading.enumerate():
        if thread.name == "validate-offers":
            thread.join(timeout=5)
    return [t for t in threading.enumerate() if t.name == "validate-offers" and t.is_alive()]


def test_a_writer_failing_half_way_rolls_back_every_batch_and_stops_the_reading(monkeypatch):
    real_write, calls = OfferWriter.write, []

    def failing_write(self, rows):
        calls.append(len(rows))
        if len(calls) == 3:
            raise DatabaseError("the server went away")
        real_write(self, rows)

    monkeypatch.setattr(OfferWriter, "write", failing_write)
    before = snapshot()
    with pytest.raises(DatabaseError, match="went away"):
        offers_import(records=records_of(2000), batch_size=10)
    assert calls == [10, 10, 10]  # two batches written, then the failure; nothing more
    assert snapshot() == before
    assert not validating_threads()


def test_an_invalid_row_in_a_later_batch_undoes_the_batches_already_written(monkeypatch):
    written = []
    real_write = OfferWriter.write

    def slow_write(self, rows):  # the reading thread runs ahead while a batch is written
        time.sleep(0.01)
        real_write(self, rows)
        written.append(Offer.objects.count())

    monkeypatch.setattr(OfferWriter, "write", slow_write)
    before = snapshot()
    summary = offers_import(records=records_of(60, bad_at=55), batch_size=10)
    assert written and written[0] == 10  # batches had gone in before the bad row was read
    assert summary.errors == ["line 55: salary: is required"]
    assert (summary.read, summary.rejected, summary.written) == (60, 1, False)
    assert snapshot() == before


def test_with_skip_invalid_every_valid_row_around_an_invalid_one_is_committed_once():
    rejected = []
    summary = offers_import(
        records=records_of(45, bad_at=30),
        skip_invalid=True,
        batch_size=10,
        on_reject=lambda line, reason, rec: rejected.append(line),
    )
    assert (summary.created, summary.rejected, summary.committed_batches) == (44, 1, 5)
    assert (summary.committed_rows, summary.committed_through_line) == (44, 46)
    assert rejected == [30]
    ids = sorted(Offer.objects.values_list("offer_id", flat=True))
    assert ids == sorted(f"o{line}" for line in range(2, 47) if line != 30)


def test_an_unexpected_error_while_reading_is_raised_and_nothing_stays():
    def records():
        yield from records_of(25)
        raise RuntimeError("the disk is on fire")

    before = snapshot()
    with pytest.raises(RuntimeError, match="on fire"):
        offers_import(records=records(), batch_size=10)
    assert snapshot() == before
    assert not validating_threads()


def test_a_stop_in_reading_keeps_the_batches_committed_before_it_and_only_those():
    def records():
        yield from records_of(25)
        raise ImportFileError("line 27: cannot read the file (I/O error)")

    summary = offers_import(records=records(), skip_invalid=True, batch_size=10)
    assert summary.stopped == "line 27: cannot read the file (I/O error)"
    assert (summary.committed_batches, summary.committed_rows) == (2, 20)
    assert summary.committed_through_line == 21
    assert Offer.objects.count() == 20  # the open batch of 5 was not written


def _planner_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
@pytest.mark.parametrize("offers, threshold", [(40, 40), (43, 44)])
def test_a_large_import_leaves_the_planner_knowing_how_many_offers_there_are(
    monkeypatch, offers, threshold
):
    # The statistics run that follows an import plans its reads by these counts: left
    # unknown, it read a year's technologies through a plan made for a thousand offers.
    # (ANALYZE writes them in place: a rolled-back test leaves them behind, hence two
    # different counts.)
    monkeypatch.setattr(service, "ANALYZE_AFTER", threshold)
    summary = offers_import(records=records_of(offers))
    assert summary.created == offers
    assert (_planner_rows("salaries_offer") == offers) is (offers >= threshold)
