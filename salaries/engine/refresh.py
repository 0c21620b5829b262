"""Publishing statistics: ``salary_stats_refresh`` recomputes every slice from the
offers and replaces the published set atomically, one refresh at a time.

The figures come from ``salaries.stats`` (pure arithmetic); the grouped rows they are
computed from, from ``salaries.engine.aggregation``.
"""

import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from salaries.disclosure import disclosure_rules
from salaries.engine.aggregation import LEVEL_NAMES, WHOLE_SLICE, Aggregation, SliceKeys
from salaries.events import stats_published_send
from salaries.generation import stats_generation_publish
from salaries.models import SalaryStat, StatsRun
from salaries.stats import (
    COMPLEMENT,
    SENIORITY_PERCENTILES,
    TAILS,
    DisclosureRules,
    grouped_figures,
)


@dataclass
class RefreshSummary:
    run: StatsRun
    years: list[int]
    slices: int
    offers: int
    seconds: float


def _slice_rows(
    agg: Aggregation, *, run: StatsRun, rules: DisclosureRules
) -> tuple[list[SalaryStat], int]:
    """Compute every slice and its seniority levels, four kinds of slice in turn, and
    apply the disclosure rules to every slice and every level on its own."""
    facts = agg.grouped("facts", "s, t, y, l")  # columns s t y l salary offers
    offers = agg.grouped("offers", "s, y, l")  # columns s y l salary offers
    keys = SliceKeys.fitting(
        specs=np.concatenate([facts[:, 0], offers[:, 0]]),
        techs=facts[:, 1],
        years=np.concatenate([facts[:, 2], offers[:, 1]]),
    )
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
        slice_people = agg.people(source, f"{prefix}y", keys)
        level_people = agg.people(source, f"{prefix}y, l", keys)

        whole = grouped_figures(
            keys.encode(spec, tech, year, np.full(len(data), WHOLE_SLICE)), salary, count
        )
        slice_offers = dict(zip(whole.groups.tolist(), whole.offers.tolist(), strict=True))
        graded = level > 0
        levels = grouped_figures(
            keys.encode(spec[graded], tech[graded], year[graded], level[graded]),
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
            spec_id, tech_id, slice_year, _ = keys.decode(key)
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
        agg = Aggregation(cursor, year)
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
        transaction.on_commit(lambda: stats_published_send(run))
    years = sorted({row.year for row in rows})
    return RefreshSummary(
        run=run, years=years, slices=len(rows), offers=total_offers, seconds=run.seconds
    )
