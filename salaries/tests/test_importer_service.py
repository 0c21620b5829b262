"""offers_import: batches, all or nothing, and duplicate offer ids found exactly."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salaries.importer import service
from salaries.importer.service import offers_import
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
