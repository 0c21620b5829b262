"""Writes: importing offers, publishing statistics, making partner keys.

Commands, the demo loader and tests call these functions; nothing else writes offers or
statistics.
"""

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from salaries.disclosure import disclosure_rules
from salaries.generation import stats_generation_publish
from salaries.importing import ImportFileError, OfferRow, RowError, validate_record
from salaries.models import (
    Candidate,
    Offer,
    OfferTechnology,
    Partner,
    PartnerAPIKey,
    SalaryStat,
    Seniority,
    Specialization,
    StatsRun,
    Technology,
    rate_parse,
)
from salaries.stats import (
    COMPLEMENT,
    SENIORITY_PERCENTILES,
    TAILS,
    DisclosureRules,
    grouped_figures,
)

# --- Import ---


@dataclass
class ImportSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    new_specializations: list[str] = field(default_factory=list)
    new_technologies: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    written: bool = False
    seconds: float = 0.0
    # Why reading stopped half-way (an ImportFileError), or "" when the whole input was read.
    stopped: str = ""
    # With skip_invalid, what was committed: whole batches, every valid row up to a line.
    committed_batches: int = 0
    committed_rows: int = 0
    committed_through_line: int = 0

    MAX_ERRORS = 1000  # kept for the report; the count goes on

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < self.MAX_ERRORS:
            self.errors.append(str(error))


class _SeenOfferIds:
    """Which offer_id came on which line, compactly: 64-bit hashes in sorted numpy arrays
    (16 bytes an id), merged once per batch. A clash of two different ids on 64 bits is
    about one in 10^7 for a million rows and would be reported as a duplicate."""

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.int64)
        self.lines = np.empty(0, dtype=np.int64)

    def first_line(self, offer_id: str) -> int | None:
        key = hash(offer_id)
        i = int(np.searchsorted(self.hashes, key))
        if i < len(self.hashes) and self.hashes[i] == key:
            return int(self.lines[i])
        return None

    def add(self, batch: dict[str, int]) -> None:
        if not batch:
            return
        hashes = np.fromiter((hash(k) for k in batch), dtype=np.int64, count=len(batch))
        lines = np.fromiter(batch.values(), dtype=np.int64, count=len(batch))
        hashes, lines = np.concatenate([self.hashes, hashes]), np.concatenate([self.lines, lines])
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.lines = hashes[order], lines[order]


def _readable_name(slug: str) -> str:
    """``back-end`` -> ``Back End``: a starting point that editors rename in the admin."""
    return " ".join(part.capitalize() for part in slug.split("-") if part)


class _OfferWriter:
    """Writes validated rows in batches with a handful of queries per batch."""

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
            created, updated = self._write_with_copy(rows, now)
        else:
            created, updated = self._write_with_orm(rows, now)
        self.summary.created += created
        self.summary.updated += updated

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
        Offer.objects.bulk_create(
            [
                Offer(
                    offer_id=row.offer_id,
                    candidate_id=candidates[row.candidate_id],
                    specialization_id=self.specializations[row.specialization],
                    salary=row.salary,
                    offered_on=row.offered_on,
                    seniority=row.seniority,
                    experience_years=row.experience_years,
                    country=row.country,
                    english_level=row.english_level,
                    remote=row.remote,
                    imported_at=now,
                    updated_at=now,
                )
                for row in rows
            ],
            update_conflicts=True,
            unique_fields=["offer_id"],
            update_fields=[
                "candidate",
                "specialization",
                "salary",
                "offered_on",
                "seniority",
                "experience_years",
                "country",
                "english_level",
                "remote",
                "updated_at",
            ],
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
        """PostgreSQL: COPY the batch into a session's staging table, then three set-based
        statements. Same result as the ORM path, several times faster."""
        offer, link = Offer._meta.db_table, OfferTechnology._meta.db_table
        candidate = Candidate._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS offer_stage (offer_id text, candidate text, "
                "specialization_id bigint, salary integer, offered_on date, seniority text, "
                "experience_years numeric(5, 2), country text, english_level text, "
                "remote boolean, technology_ids bigint[])"
            )
            cursor.execute("TRUNCATE offer_stage")
            with cursor.cursor.copy(
                "COPY offer_stage (offer_id, candidate, specialization_id, salary, offered_on, "
                "seniority, experience_years, country, english_level, remote, technology_ids) "
                "FROM STDIN"
            ) as copy:
                specs, techs = self.specializations, self.technologies
                for row in rows:
                    copy.write_row(
                        (
                            row.offer_id,
                            row.candidate_id,
                            specs[row.specialization],
                            row.salary,
                            row.offered_on,
                            row.seniority,
                            row.experience_years,
                            row.country,
                            row.english_level,
                            row.remote,
                            [techs[slug] for slug in row.technologies],
                        )
                    )
            cursor.execute(
                f"INSERT INTO {candidate} (external_id) SELECT DISTINCT candidate "  # noqa: S608
                "FROM offer_stage ON CONFLICT (external_id) DO NOTHING"
            )
            cursor.execute(
                f"DELETE FROM {link} ot USING {offer} o, offer_stage s "  # noqa: S608
                "WHERE ot.offer_id = o.id AND o.offer_id = s.offer_id"
            )
            cursor.execute(
                f"WITH written AS (INSERT INTO {offer} (offer_id, candidate_id, "  # noqa: S608
                "specialization_id, salary, offered_on, seniority, experience_years, country, "
                "english_level, remote, imported_at, updated_at) "
                "SELECT s.offer_id, c.id, s.specialization_id, s.salary, s.offered_on, "
                "s.seniority, s.experience_years, s.country, s.english_level, s.remote, %s, %s "
                f"FROM offer_stage s JOIN {candidate} c ON c.external_id = s.candidate "
                "ON CONFLICT (offer_id) DO UPDATE SET candidate_id = EXCLUDED.candidate_id, "
                "specialization_id = EXCLUDED.specialization_id, salary = EXCLUDED.salary, "
                "offered_on = EXCLUDED.offered_on, seniority = EXCLUDED.seniority, "
                "experience_years = EXCLUDED.experience_years, country = EXCLUDED.country, "
                "english_level = EXCLUDED.english_level, remote = EXCLUDED.remote, "
                "updated_at = EXCLUDED.updated_at "
                "RETURNING xmax = 0 AS inserted) "
                "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
                "FROM written",
                [now, now],
            )
            created, updated = cursor.fetchone()
            cursor.execute(
                f"INSERT INTO {link} (offer_id, technology_id) "  # noqa: S608
                f"SELECT o.id, t.id FROM offer_stage s JOIN {offer} o ON o.offer_id = s.offer_id "
                "CROSS JOIN LATERAL unnest(s.technology_ids) AS t(id)"
            )
        return created, updated


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (invalid rows, or a dry run)."""


def offers_import(
    *,
    records: Iterable[tuple[int, Mapping[str, Any]]],
    skip_invalid: bool = False,
    dry_run: bool = False,
    on_reject: Callable[[int, str, Mapping[str, Any]], None] | None = None,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
) -> ImportSummary:
    """Validate and write offers in one streaming pass.

    Default: all or nothing. Everything runs in one transaction; after the first invalid
    row nothing more is written, every row is still validated so all errors are
    reported, and the transaction is rolled back. With ``skip_invalid`` each batch
    commits on its own and invalid rows go to ``on_reject``. ``dry_run`` does the whole
    import (so its counts are exact) and rolls it back. A crash or Ctrl-C rolls back the
    open transaction. Re-importing an ``offer_id`` updates that offer.

    An ``ImportFileError`` from reading the records or from ``on_reject`` stops the
    import: the summary says why in ``stopped`` and, with ``skip_invalid``, which batches
    were committed before the stop; the open batch is not written.
    """
    clock = time.perf_counter()
    today = today or timezone.now().date()
    summary = ImportSummary(dry_run=dry_run)
    seen = _SeenOfferIds()
    writer: _OfferWriter | None = None
    batch: list[OfferRow] = []
    batch_lines: dict[str, int] = {}
    last_line = 0

    def flush() -> None:
        nonlocal writer
        if batch:
            if writer is None:
                writer = _OfferWriter(summary)
            if skip_invalid and not dry_run:
                with transaction.atomic():
                    writer.write(batch)
                summary.committed_batches += 1
                summary.committed_rows += len(batch)
                summary.committed_through_line = last_line
            elif skip_invalid or not summary.error_count:
                writer.write(batch)
        seen.add(batch_lines)
        batch.clear()
        batch_lines.clear()

    def run() -> None:
        try:
            read_all()
        except ImportFileError as error:
            summary.stopped = str(error)

    def read_all() -> None:
        nonlocal last_line
        for line, record in records:
            last_line = line
            summary.read += 1
            if progress is not None:
                progress(1)
            try:
                row = validate_record(line, record, today=today)
                first = batch_lines.get(row.offer_id) or seen.first_line(row.offer_id)
                if first is not None:
                    raise RowError(
                        line, [("offer_id", f'"{row.offer_id}" already appears on line {first}')]
                    )
            except RowError as error:
                summary.rejected += 1
                summary.add_error(error)
                if on_reject is not None:
                    on_reject(line, error.reason, record)
                continue
            batch.append(row)
            batch_lines[row.offer_id] = line
            if len(batch) >= batch_size:
                flush()
        flush()

    if skip_invalid and not dry_run:
        run()
        summary.written = summary.created + summary.updated > 0
    else:
        try:
            with transaction.atomic():
                run()
                if summary.error_count or summary.stopped or dry_run:
                    raise _Rollback
        except _Rollback:
            pass  # nothing stays; the counts say what would have happened
        summary.written = not (summary.error_count or summary.stopped or dry_run)
    summary.seconds = time.perf_counter() - clock
    return summary


# --- Statistics ---


@dataclass
class RefreshSummary:
    run: StatsRun
    years: list[int]
    slices: int
    offers: int
    seconds: float


# Seniority levels as small integers inside the aggregation; 0 is "no seniority".
LEVEL_CODES = {level: code for code, level in enumerate(Seniority.values, start=1)}
LEVEL_NAMES = {code: level for level, code in LEVEL_CODES.items()}
WHOLE_SLICE = 7  # the level code that stands for "every offer of the slice"
YEAR_SQL = {
    "postgresql": "EXTRACT(YEAR FROM o.offered_on)",
    "sqlite": "strftime('%Y', o.offered_on)",
}


def _encode(spec, tech, year, level):
    """One int64 per (specialization, technology, year, level); 0 stands for "all"."""
    return (
        (spec.astype(np.int64) << 35)
        | (tech.astype(np.int64) << 15)
        | (year.astype(np.int64) << 3)
        | level.astype(np.int64)
    )


def _decode(key: int) -> tuple[int | None, int | None, int, int]:
    spec, tech = key >> 35, (key >> 15) & 0xFFFFF
    return spec or None, tech or None, (key >> 3) & 0xFFF, key & 0x7


class _Aggregation:
    """The grouped reads of one refresh. The database groups and counts (hash
    aggregation, cheap); only grouped integer rows come out, never offers.

    The SQL is assembled from model table names, fixed column names and an integer
    year: nothing a user typed reaches it.
    """

    def __init__(self, cursor, year: int | None):
        self.cursor = cursor
        self.vendor = connection.vendor
        offer = Offer._meta.db_table
        link = OfferTechnology._meta.db_table
        year_sql = YEAR_SQL[self.vendor]
        level_sql = (
            "CASE o.seniority "
            + " ".join(f"WHEN '{level}' THEN {code}" for level, code in LEVEL_CODES.items())
            + " ELSE 0 END"
        )
        where = ""
        if year is not None:  # an int, so safe to inline
            where = (
                f"WHERE o.offered_on >= '{int(year):04d}-01-01' "
                f"AND o.offered_on < '{int(year) + 1:04d}-01-01'"
            )
        self.offers_sql = (
            f"SELECT o.specialization_id AS s, CAST({year_sql} AS integer) AS y, "  # noqa: S608
            f"{level_sql} AS l, o.salary AS p, o.candidate_id AS c FROM {offer} o {where}"
        )
        # Every (offer, technology) pair with what the aggregation needs, joined once.
        self.cursor.execute("DROP TABLE IF EXISTS salary_facts")
        self.cursor.execute(
            "CREATE TEMPORARY TABLE salary_facts AS "  # noqa: S608 - constants only
            f"SELECT o.specialization_id AS s, ot.technology_id AS t, "
            f"CAST({year_sql} AS integer) AS y, {level_sql} AS l, o.salary AS p, "
            f"o.candidate_id AS c FROM {link} ot JOIN {offer} o ON o.id = ot.offer_id {where}"
        )
        if self.vendor == "postgresql":
            # Temporary tables have no statistics until analysed; the planner needs the
            # row count to choose hash aggregation.
            self.cursor.execute("ANALYZE salary_facts")

    def close(self) -> None:
        self.cursor.execute("DROP TABLE IF EXISTS salary_facts")

    def _table(self, source: str) -> str:
        return "salary_facts" if source == "facts" else f"({self.offers_sql}) offers"

    def grouped(self, source: str, columns: str) -> np.ndarray:
        """``columns, salary, offers`` rows as an (n, k) int64 array.

        The database groups by ``columns`` and salary and packs each group's
        ``(salary, offers)`` pairs into one text list (salary × 2³² + offers), so a few
        thousand rows cross the wire instead of millions, and numpy parses them in C.
        """
        names = [c.strip() for c in columns.split(",")]
        packed = "p * 4294967296 + n"
        concat = {
            "postgresql": f"string_agg(CAST({packed} AS text), ',')",
            "sqlite": f"group_concat({packed}, ',')",
        }[self.vendor]
        self.cursor.execute(
            f"SELECT {columns}, {concat} FROM ("  # noqa: S608 - constants only
            f"SELECT {columns}, p, COUNT(*) AS n FROM {self._table(source)} "
            f"GROUP BY {columns}, p) grouped GROUP BY {columns}"
        )
        keys, chunks = [], []
        for *key, values in self.cursor.fetchall():
            pairs = np.array(values.split(","), dtype=np.int64)
            keys.append(np.broadcast_to(np.array(key, dtype=np.int64), (len(pairs), len(key))))
            chunks.append(np.stack([pairs >> 32, pairs & 0xFFFFFFFF], axis=1))
        if not chunks:
            return np.empty((0, len(names) + 2), dtype=np.int64)
        return np.concatenate([np.concatenate(keys), np.concatenate(chunks)], axis=1)

    def people(self, source: str, columns: str) -> dict[int, tuple[int, ...]]:
        """What the disclosure rules need about the people of each group of ``columns``
        (a subset of s, t, y, l), counted by the database from one row per (group,
        candidate): distinct candidates and the most offers one candidate holds; for
        whole slices (no ``l``) also, per level, how many candidates have every offer of
        the slice at that level (everyone else has offers outside it)."""
        names = [c.strip() for c in columns.split(",")]
        whole = "l" not in names
        only = "".join(
            f", SUM(CASE WHEN lo = {code} AND hi = {code} THEN 1 ELSE 0 END)"
            for code in LEVEL_NAMES
        )
        self.cursor.execute(
            f"SELECT {columns}, COUNT(*), MAX(n){only if whole else ''} FROM ("  # noqa: S608
            f"SELECT {columns}, c, COUNT(*) AS n, MIN(l) AS lo, MAX(l) AS hi "
            f"FROM {self._table(source)} GROUP BY {columns}, c) people GROUP BY {columns}"
        )
        width = len(names) + 2 + (len(LEVEL_NAMES) if whole else 0)
        rows = np.array(self.cursor.fetchall(), dtype=np.int64).reshape(-1, width)
        get = dict(zip(names, rows.T, strict=False))
        zero = np.zeros(len(rows), dtype=np.int64)
        keys = _encode(
            get.get("s", zero),
            get.get("t", zero),
            get["y"],
            get.get("l", np.full(len(rows), WHOLE_SLICE)),
        )
        figures = rows[:, len(names) :].tolist()
        return dict(zip(keys.tolist(), map(tuple, figures), strict=True))


def _slice_rows(
    agg: _Aggregation, *, run: StatsRun, rules: DisclosureRules
) -> tuple[list[SalaryStat], int]:
    """Compute every slice and its seniority levels, four kinds of slice in turn, and
    apply the disclosure rules to every slice and every level on its own."""
    facts = agg.grouped("facts", "s, t, y, l")  # columns s t y l salary offers
    offers = agg.grouped("offers", "s, y, l")  # columns s y l salary offers
    none = np.zeros
    kinds = [  # (grouped rows, specialization column, technology column)
        (facts, facts[:, 0], facts[:, 1], "facts", "s, t"),
        (facts, none(len(facts), dtype=np.int64), facts[:, 1], "facts", "t"),
        (offers, offers[:, 0], none(len(offers), dtype=np.int64), "offers", "s"),
        (offers, none(len(offers), dtype=np.int64), none(len(offers), dtype=np.int64),
         "offers", ""),
    ]  # fmt: skip
    rows: list[SalaryStat] = []
    total_offers = 0
    for data, spec, tech, source, columns in kinds:
        year, level, salary, count = data[:, -4], data[:, -3], data[:, -2], data[:, -1]
        prefix = f"{columns}, " if columns else ""
        slice_people = agg.people(source, f"{prefix}y")
        level_people = agg.people(source, f"{prefix}y, l")

        whole = grouped_figures(
            _encode(spec, tech, year, np.full(len(data), WHOLE_SLICE)), salary, count
        )
        slice_offers = dict(zip(whole.groups.tolist(), whole.offers.tolist(), strict=True))
        graded = level > 0
        levels = grouped_figures(
            _encode(spec[graded], tech[graded], year[graded], level[graded]),
            salary[graded],
            count[graded],
            percentiles=SENIORITY_PERCENTILES,
            histogram=False,
        )
        by_slice: dict[int, dict[str, dict]] = defaultdict(dict)
        for i, key in enumerate(levels.groups.tolist()):
            n = int(levels.offers[i])
            code, parent = key & 0x7, key | WHOLE_SLICE
            candidates, top = level_people[key]
            parent_candidates, _, *alone_at = slice_people[parent]
            withheld = rules.withheld(offers=n, candidates=candidates, top=top)
            if withheld is None and not rules.complement_publishes(
                outside_offers=slice_offers[parent] - n,
                outside_candidates=parent_candidates - alone_at[code - 1],
            ):
                withheld = COMPLEMENT
            published = withheld is None
            by_slice[parent][LEVEL_NAMES[code]] = {
                "offers": n,
                "candidates": candidates,
                "median": int(levels.percentiles[50][i]) if published else None,
                "p25": int(levels.percentiles[25][i]) if published else None,
                "p75": int(levels.percentiles[75][i]) if published else None,
                "withheld": withheld,
            }
        for i, key in enumerate(whole.groups.tolist()):
            spec_id, tech_id, slice_year, _ = _decode(key)
            n = int(whole.offers[i])
            if spec_id is None and tech_id is None:
                total_offers += n
            candidates, top, *_ = slice_people[key]
            withheld = rules.withheld(offers=n, candidates=candidates, top=top)
            published = withheld is None
            tails = published and rules.tails_publish(candidates=candidates)
            if published and not tails:
                withheld = TAILS

            def money(values, i=i, published=published):
                return int(values[i]) if published else None

            rows.append(
                SalaryStat(
                    specialization_id=spec_id,
                    technology_id=tech_id,
                    year=slice_year,
                    offers=n,
                    candidates=candidates,
                    median=money(whole.percentiles[50]),
                    mean=money(whole.mean),
                    p10=money(whole.percentiles[10], published=tails),
                    p25=money(whole.percentiles[25]),
                    p75=money(whole.percentiles[75]),
                    p90=money(whole.percentiles[90], published=tails),
                    histogram=whole.histogram(i) if published else None,
                    withheld=withheld,
                    by_seniority=by_slice.get(key, {}),
                    run=run,
                    computed_at=run.finished_at,
                )
            )
    return rows, total_offers


@contextmanager
def _refresh_lock():
    """One statistics refresh at a time, across every app server (PostgreSQL advisory
    lock; SQLite serialises writers by itself)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_REFRESH_LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_REFRESH_LOCK_ID])


_REFRESH_LOCK_ID = 7_706_500  # any constant shared by every server of this project


def salary_stats_refresh(
    *, year: int | None = None, min_offers: int | None = None
) -> RefreshSummary:
    """Recompute every slice (or one year's) and publish the new set atomically.

    Readers see the old set until the transaction commits and the new one after; the
    generation moves on commit, so every page and API response cached on the old set
    is stale at once.
    """
    rules = disclosure_rules(min_offers=min_offers)
    started = timezone.now()
    clock = time.perf_counter()
    outermost = not connection.in_atomic_block
    with _refresh_lock(), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if outermost:
                # One snapshot for every grouped read, so an import committing half-way
                # through cannot make counts and candidates disagree. (Inside a
                # caller's transaction, the caller's snapshot rules.)
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        run = StatsRun.objects.create(
            started_at=started, finished_at=started, year=year, slices=0, offers=0, seconds=0
        )
        agg = _Aggregation(cursor, year)
        try:
            run.finished_at = timezone.now()
            rows, total_offers = _slice_rows(agg, run=run, rules=rules)
        finally:
            agg.close()
        stale = SalaryStat.objects.all()
        if year is not None:
            stale = stale.filter(year=year)
        stale.delete()
        SalaryStat.objects.bulk_create(rows, batch_size=1000)
        run.slices, run.offers = len(rows), total_offers
        run.seconds = time.perf_counter() - clock
        run.save(update_fields=["finished_at", "slices", "offers", "seconds"])
        transaction.on_commit(stats_generation_publish)
    years = sorted({row.year for row in rows})
    return RefreshSummary(
        run=run, years=years, slices=len(rows), offers=total_offers, seconds=run.seconds
    )


# --- Partners ---


def rate_validate(rate: str) -> str:
    """``N/second``, ``N/minute``, ``N/hour`` or ``N/day``; raises ``ValueError``."""
    rate = rate.strip().lower()
    rate_parse(rate)
    return rate


@transaction.atomic
def partner_key_create(
    *,
    partner_name: str,
    rate: str | None = None,
    contact_email: str = "",
    expires_at: datetime | None = None,
) -> tuple[PartnerAPIKey, str]:
    """Make a new API key for a partner (created on first use). Returns the key object
    and the key itself, which is stored only hashed and cannot be shown again."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("the expiry date must be in the future")
    partner_name = partner_name.strip()
    if not partner_name:
        raise ValueError("the partner name must not be empty")
    partner, created = Partner.objects.get_or_create(name=partner_name)
    changed = []
    if rate is not None:
        partner.rate = rate_validate(rate)
        changed.append("rate")
    if contact_email:
        partner.contact_email = contact_email
        changed.append("contact_email")
    if changed and not created:
        partner.save(update_fields=changed)
    elif changed:
        partner.save()
    number = partner.api_keys.count() + 1
    api_key, key = PartnerAPIKey.objects.create_key(
        name=f"{partner.name} #{number}"[:50], partner=partner, expiry_date=expires_at
    )
    return api_key, key


@transaction.atomic
def partner_keys_revoke(
    *, prefixes: Iterable[str] = (), partner_name: str | None = None
) -> list[PartnerAPIKey]:
    """Revoke keys by prefix (a whole key works too: only its prefix is read) and/or
    every key of a partner. Revocation is final. Returns the keys revoked now; raises
    ``ValueError`` naming what matched nothing, and then revokes nothing."""
    wanted = {value.strip().partition(".")[0] for value in prefixes if value.strip()}
    keys = list(PartnerAPIKey.objects.select_related("partner").filter(prefix__in=wanted))
    missing = sorted(wanted - {key.prefix for key in keys})
    if missing:
        raise ValueError(f"no API key with the prefix {', '.join(missing)}")
    if partner_name is not None:
        partner = Partner.objects.filter(name=partner_name.strip()).first()
        if partner is None:
            raise ValueError(f'no partner named "{partner_name.strip()}"')
        keys += [key for key in partner.api_keys.select_related("partner") if key not in keys]
    if not keys:
        raise ValueError("name at least one key prefix or a partner")
    revoked = []
    for key in keys:
        if not key.revoked:
            key.revoked = True
            key.save(update_fields=["revoked"])
            revoked.append(key)
    return revoked
