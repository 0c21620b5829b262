"""Publishing statistics: ``salary_stats_refresh`` recomputes every slice from the
offers and replaces the published set atomically, one refresh at a time.

The figures come from ``salaries.stats`` (pure arithmetic) by way of
``salaries.engine.cells``; the facts and the grouped rows they are computed from, from
``salaries.engine.aggregation``. The facts are kept with the published set, for faceted
answers on demand (``salaries.engine.on_demand``).
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from salaries.disclosure import disclosure_rules
from salaries.engine.aggregation import FactsRebuild, facts_publish, facts_rebuild
from salaries.engine.cells import cells_compute
from salaries.events import stats_published_send
from salaries.generation import stats_generation_publish
from salaries.models import SalaryStat, StatsRun
from salaries.stats import DisclosureRules


@dataclass
class RefreshSummary:
    run: StatsRun
    years: list[int]
    slices: int
    offers: int
    seconds: float


# The four kinds of slice: (grouping columns, whether their rows are the (offer,
# technology) pairs). "All technologies" is the offers themselves (t = 0).
KINDS = [
    (["s", "t", "y"], True),
    (["t", "y"], True),
    (["s", "y"], False),
    (["y"], False),
]


def _slice_rows(
    facts: FactsRebuild, *, run: StatsRun, rules: DisclosureRules
) -> tuple[list[SalaryStat], int]:
    """Compute every slice and its breakdowns, a year at a time as the facts are built
    (no slice spans two) and within it the four kinds of slice in turn, and apply the
    disclosure rules to every slice and every breakdown entry on its own."""
    rows: list[SalaryStat] = []
    total_offers = 0
    for year_facts in facts:
        for columns, technologies in KINDS:
            source = year_facts.of(technologies=technologies)
            if not len(source):
                continue
            cells = cells_compute(source, columns, rules)
            for key, figures in cells.items():
                get = dict(zip(columns, key, strict=True))
                if columns == ["y"]:
                    total_offers += figures["offers"]
                rows.append(
                    SalaryStat(
                        specialization_id=get.get("s") or None,
                        technology_id=get.get("t") or None,
                        year=get["y"],
                        **figures,
                        run=run,
                        computed_at=run.finished_at,
                    )
                )
    return rows, total_offers


def _published_write(cursor, rows: list[SalaryStat]) -> None:
    """Write the new published rows: a ``COPY`` on PostgreSQL (a few thousand rows with
    five JSON documents each; a bulk ``INSERT`` spends seconds quoting them), the ORM's
    bulk insert elsewhere."""
    if connection.vendor != "postgresql":
        SalaryStat.objects.bulk_create(rows, batch_size=1000)
        return
    fields = [field for field in SalaryStat._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    table = quote(SalaryStat._meta.db_table)
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(row, field.attname), connection)
                    for field in fields
                ]
            )


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
        run.finished_at = timezone.now()
        with facts_rebuild(cursor, year) as facts:
            rows, total_offers = _slice_rows(facts, run=run, rules=rules)
        stale = SalaryStat.objects.all()
        if year is not None:
            stale = stale.filter(year=year)
        stale.delete()
        _published_write(cursor, rows)
        facts_publish(cursor, facts.table)
        run.slices, run.offers = len(rows), total_offers
        run.seconds = time.perf_counter() - clock
        run.save(update_fields=["finished_at", "slices", "offers", "seconds"])
        transaction.on_commit(stats_generation_publish)
        transaction.on_commit(lambda: stats_published_send(run))
    years = sorted({row.year for row in rows})
    return RefreshSummary(
        run=run, years=years, slices=len(rows), offers=total_offers, seconds=run.seconds
    )
