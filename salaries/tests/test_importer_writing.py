"""The importer's write paths: every field of ``OFFER_FIELDS`` stored, and on PostgreSQL
the COPY path and the ORM path storing the same rows alike."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from salaries.importer.columns import OfferRow
from salaries.importer.service import ImportSummary
from salaries.importer.writing import OfferWriter
from salaries.models import Offer, OfferTechnology

pytestmark = pytest.mark.django_db

FULL = OfferRow(
    line=2,
    offer_id="o1",
    candidate_id="c1",
    offered_on=date(2024, 5, 6),
    specialization="back-end",
    technologies=("python", "flask"),
    salary=7707,
    experience_years=Decimal("4.99"),
    seniority="middle",
    country="UA",
    english_level="upper-intermediate",
    remote=True,
)
BARE = OfferRow(
    line=3,
    offer_id="o2",
    candidate_id="c2",
    offered_on=date(2024, 1, 1),
    specialization="qa",
    technologies=("selenium",),
    salary=1,
    experience_years=None,
    seniority="",
    country="",
    english_level="",
    remote=None,
)


def stored(offer_id: str) -> tuple:
    offer = Offer.objects.select_related("candidate", "specialization").get(offer_id=offer_id)
    return (
        offer.offer_id,
        offer.candidate.external_id,
        offer.offered_on,
        offer.specialization.slug,
        tuple(sorted(offer.technologies.values_list("slug", flat=True))),
        offer.salary,
        offer.experience_years,
        offer.seniority,
        offer.country,
        offer.english_level,
        offer.remote,
    )


def expected(row: OfferRow) -> tuple:
    return (
        row.offer_id, row.candidate_id, row.offered_on, row.specialization,
        tuple(sorted(row.technologies)), row.salary, row.experience_years, row.seniority,
        row.country, row.english_level, row.remote,
    )  # fmt: skip


def test_every_field_is_stored_and_a_rewrite_replaces_the_technologies():
    summary = ImportSummary()
    writer = OfferWriter(summary)
    writer.write([FULL, BARE])
    assert (summary.created, summary.updated) == (2, 0)
    assert summary.new_technologies == ["flask", "python", "selenium"]
    assert stored("o1") == expected(FULL) and stored("o2") == expected(BARE)

    changed = replace(FULL, technologies=("rust",), salary=8000)
    writer.write([changed])
    assert (summary.created, summary.updated) == (2, 1)
    assert stored("o1") == expected(changed)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_copy_path_and_the_orm_path_store_rows_alike():
    writer = OfferWriter(ImportSummary())
    writer.write([FULL, BARE])  # the slugs exist from here on
    now = timezone.now()
    for path, suffix in (("_write_with_orm", "-orm"), ("_write_with_copy", "-copy")):
        rows = [replace(row, offer_id=row.offer_id + suffix) for row in (FULL, BARE)]
        assert getattr(writer, path)(rows, now) == (2, 0)
        assert getattr(writer, path)(rows, now) == (0, 2)
    for row in (FULL, BARE):
        orm, copy = stored(row.offer_id + "-orm"), stored(row.offer_id + "-copy")
        assert orm[1:] == copy[1:] == expected(row)[1:]


def test_a_batch_of_new_and_existing_offers_links_each_to_its_own_technologies_only():
    summary = ImportSummary()
    writer = OfferWriter(summary)
    writer.write([FULL, BARE])
    moved = replace(BARE, technologies=("python", "go"), salary=2)
    fresh = replace(FULL, offer_id="o3", technologies=("selenium",))
    writer.write([fresh, moved])
    assert (summary.created, summary.updated) == (3, 1)
    assert stored("o1") == expected(FULL)  # not in the batch: untouched
    assert stored("o2") == expected(moved) and stored("o3") == expected(fresh)
    assert OfferTechnology.objects.count() == 2 + 2 + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="constraint modes are PostgreSQL's")
def test_the_foreign_keys_are_deferred_again_after_a_batch():
    OfferWriter(ImportSummary()).write([FULL])
    offer = Offer.objects.get(offer_id="o1")
    with connection.cursor() as cursor:  # a dangling link is accepted until commit, as before
        cursor.execute(
            f"INSERT INTO {OfferTechnology._meta.db_table} (offer_id, technology_id) "  # noqa: S608
            "VALUES (%s, -1)",
            [offer.id],
        )
        cursor.execute(f"DELETE FROM {OfferTechnology._meta.db_table} WHERE technology_id = -1")  # noqa: S608
