"""The importer's two write paths: PostgreSQL's COPY and set-based SQL, and the ORM
elsewhere. Both store every field of ``OFFER_FIELDS`` the same way, with a handful of
queries per batch.

The SQL below is assembled from the model's table and column names and the field names
of ``OFFER_FIELDS``, each quoted with ``connection.ops.quote_name``; every value travels
as a COPY row or a query parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from salaries.importer.columns import FIELDS, MODEL_FIELDS, OFFER_FIELDS, OfferRow
from salaries.models import Candidate, Offer, OfferTechnology, Specialization, Technology

if TYPE_CHECKING:
    from salaries.importer.service import ImportSummary

_STAGE = "offer_stage"  # a temporary table, one per database session
_row_values = attrgetter(*FIELDS)
_SPECIALIZATION = FIELDS.index("specialization")
_TECHNOLOGIES = FIELDS.index("technologies")
_CANDIDATE = FIELDS.index("candidate_id")


def _readable_name(slug: str) -> str:
    """``back-end`` -> ``Back End``: a starting point that editors rename in the admin."""
    return " ".join(part.capitalize() for part in slug.split("-") if part)


def _attname(model_field: str) -> str:
    """The attribute (and column) an Offer field is set through: ``candidate_id``."""
    return Offer._meta.get_field(model_field).attname


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


class OfferWriter:
    """Writes validated rows in batches; creates the specializations and technologies
    they name on first sight and lists them in the summary."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.specializations = dict(Specialization.objects.values_list("slug", "id"))
        self.technologies = dict(Technology.objects.values_list("slug", "id"))

    def _ensure(self, model, known: dict[str, int], slugs: set[str], created: list[str]):
        missing = sorted(slugs - known.keys())
        if missing:
            model.objects.bulk_create(
                [model(slug=slug, name=_readable_name(slug)) for slug in missing],
                ignore_conflicts=True,
            )
            known.update(model.objects.filter(slug__in=missing).values_list("slug", "id"))
            created.extend(slug for slug in missing if slug not in created)

    def write(self, rows: list[OfferRow]) -> None:
        now = timezone.now()
        self._ensure(
            Specialization,
            self.specializations,
            {row.specialization for row in rows},
            self.summary.new_specializations,
        )
        self._ensure(
            Technology,
            self.technologies,
            {slug for row in rows for slug in row.technologies},
            self.summary.new_technologies,
        )
        if connection.vendor == "postgresql":
            # The foreign keys are checked as each statement ends rather than all at
            # commit: cheaper in total (measured), and the checking then overlaps with the
            # validation of the next batch instead of running alone at the end. Django
            # declares them all deferred, so that is what they go back to.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            created, updated = self._write_with_copy(rows, now)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            created, updated = self._write_with_orm(rows, now)
        self.summary.created += created
        self.summary.updated += updated

    def _values(self, row: OfferRow) -> list:
        """The row's values in ``FIELDS`` order, the specialization and technologies as
        ids; the candidate stays its external id."""
        values = list(_row_values(row))
        values[_SPECIALIZATION] = self.specializations[row.specialization]
        values[_TECHNOLOGIES] = [self.technologies[slug] for slug in row.technologies]
        return values

    def _write_with_orm(self, rows: list[OfferRow], now) -> tuple[int, int]:
        people = {row.candidate_id for row in rows}
        candidates = dict(
            Candidate.objects.filter(external_id__in=people).values_list("external_id", "id")
        )
        if len(candidates) < len(people):
            Candidate.objects.bulk_create(
                [Candidate(external_id=c) for c in people - candidates.keys()],
                ignore_conflicts=True,
            )
            candidates = dict(
                Candidate.objects.filter(external_id__in=people).values_list("external_id", "id")
            )
        offer_ids = [row.offer_id for row in rows]
        existing = dict(Offer.objects.filter(offer_id__in=offer_ids).values_list("offer_id", "id"))
        stored = [
            (field, _attname(field.model_field)) for field in OFFER_FIELDS if field.model_field
        ]
        offers = []
        for row in rows:
            values = self._values(row)
            values[_CANDIDATE] = candidates[row.candidate_id]
            by_name = dict(zip(FIELDS, values, strict=True))
            offers.append(
                Offer(
                    **{attname: by_name[field.name] for field, attname in stored},
                    imported_at=now,
                    updated_at=now,
                )
            )
        Offer.objects.bulk_create(
            offers,
            update_conflicts=True,
            unique_fields=["offer_id"],
            update_fields=[name for name in MODEL_FIELDS if name != "offer_id"] + ["updated_at"],
        )
        ids = dict(Offer.objects.filter(offer_id__in=offer_ids).values_list("offer_id", "id"))
        if existing:
            OfferTechnology.objects.filter(offer_id__in=existing.values()).delete()
        OfferTechnology.objects.bulk_create(
            [
                OfferTechnology(offer_id=ids[row.offer_id], technology_id=self.technologies[slug])
                for row in rows
                for slug in row.technologies
            ],
            batch_size=10_000,
        )
        return len(rows) - len(existing), len(existing)

    def _write_with_copy(self, rows: list[OfferRow], now) -> tuple[int, int]:
        """PostgreSQL: COPY the batch into a session's staging table, then set-based
        statements. Same result as the ORM path, several times faster."""
        q = connection.ops.quote_name
        stage = q(_STAGE)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ("
                + ", ".join(f"{q(f.name)} {f.stage_type}" for f in OFFER_FIELDS)
                + ")"
            )
            cursor.execute(f"TRUNCATE {stage}")
            columns = ", ".join(q(name) for name in FIELDS)
            with cursor.cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(self._copy_values(row))
            sql = _stage_sql()
            cursor.execute(sql.new_candidates)
            cursor.execute(sql.upsert, [now, now])
            created, updated, updated_ids = cursor.fetchone()
            if updated:
                cursor.execute(sql.old_links_delete, [updated_ids])
                cursor.execute(sql.updated_links_insert, [updated_ids])
        return created, updated

    def _copy_values(self, row: OfferRow) -> list:
        """``_values`` for the COPY: the technologies as the text of an array literal,
        which PostgreSQL reads at once (psycopg's array dumper costs more per row)."""
        values = list(_row_values(row))
        values[_SPECIALIZATION] = self.specializations[row.specialization]
        technologies = self.technologies
        values[_TECHNOLOGIES] = "{" + ",".join(str(technologies[s]) for s in row.technologies) + "}"
        return values


@dataclass(frozen=True)
class _StageSQL:
    """What runs after the COPY, in this order: the new candidates; the upsert (two
    parameters, the time twice), which also links the offers it inserted to their
    technologies and returns how many offers it inserted, how many it updated and the
    ids of the updated ones; then, only when some were updated, their old technology
    links deleted and their new ones inserted (one parameter each, those ids)."""

    new_candidates: str
    upsert: str
    old_links_delete: str
    updated_links_insert: str


@cache
def _stage_sql() -> _StageSQL:
    q = connection.ops.quote_name
    stage = q(_STAGE)
    offer, link, candidate = (
        q(model._meta.db_table) for model in (Offer, OfferTechnology, Candidate)
    )
    offer_key, offer_pk = _column(Offer, "offer_id"), _column(Offer, "id")
    external_id, candidate_pk = _column(Candidate, "external_id"), _column(Candidate, "id")
    link_offer = _column(OfferTechnology, "offer")
    link_technology = _column(OfferTechnology, "technology")
    stored = [f for f in OFFER_FIELDS if f.model_field]
    targets = [_column(Offer, f.model_field) for f in stored]
    sources = [
        f"c.{candidate_pk}" if f.name == "candidate_id" else f"s.{q(f.name)}" for f in stored
    ]
    imported_at, updated_at = _column(Offer, "imported_at"), _column(Offer, "updated_at")
    updates = [column for column in targets if column != offer_key] + [updated_at]
    technologies = q("technologies")
    return _StageSQL(
        new_candidates=(
            f"INSERT INTO {candidate} ({external_id}) "  # noqa: S608
            f"SELECT DISTINCT {q('candidate_id')} FROM {stage} "
            f"ON CONFLICT ({external_id}) DO NOTHING"
        ),
        # An inserted offer has no links yet, so its links go in with it, joined on the
        # ids the insert returns rather than looked up again by offer_id.
        upsert=(
            f"WITH written AS (INSERT INTO {offer} ("  # noqa: S608
            + ", ".join([*targets, imported_at, updated_at])
            + ") SELECT "
            + ", ".join([*sources, "%s", "%s"])
            + f" FROM {stage} s JOIN {candidate} c ON c.{external_id} = s.{q('candidate_id')} "
            f"ON CONFLICT ({offer_key}) DO UPDATE SET "
            + ", ".join(f"{column} = EXCLUDED.{column}" for column in updates)
            + f" RETURNING {offer_pk} AS id, {offer_key} AS key, xmax = 0 AS inserted), "  # noqa: S608
            f"linked AS (INSERT INTO {link} ({link_offer}, {link_technology}) "
            f"SELECT w.id, t.id FROM written w JOIN {stage} s ON s.{q('offer_id')} = w.key "
            f"CROSS JOIN LATERAL unnest(s.{technologies}) AS t(id) WHERE w.inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted), "
            "coalesce(array_agg(id) FILTER (WHERE NOT inserted), '{}') FROM written"
        ),
        old_links_delete=(
            f"DELETE FROM {link} WHERE {link_offer} = ANY(%s)"  # noqa: S608
        ),
        updated_links_insert=(
            f"INSERT INTO {link} ({link_offer}, {link_technology}) "  # noqa: S608
            f"SELECT o.{offer_pk}, t.id FROM {offer} o "
            f"JOIN {stage} s ON s.{q('offer_id')} = o.{offer_key} "
            f"CROSS JOIN LATERAL unnest(s.{technologies}) AS t(id) "
            f"WHERE o.{offer_pk} = ANY(%s)"
        ),
    )
