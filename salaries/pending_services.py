import re
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils import timezone

from salaries.generation import stats_generation_publish
from salaries.models import (
    Offer,
    OfferTechnology,
    Partner,
    PartnerAPIKey,
    SalaryStat,
    Seniority,
    StatsRun,
)
from salaries.stats import SalaryCounts, slice_figures

# --- Statistics ---


@dataclass
class RefreshSummary:
    run: StatsRun
    years: list[int]
    slices: int
    offers: int
    seconds: float


SliceKey = tuple[int | None, int | None, int]  # (specialization id, technology id, year)


class _SliceCounts:
    """Salary counts per slice and seniority level, accumulated from grouped rows."""

    def __init__(self) -> None:
        self.counts: dict[SliceKey, dict[str, dict[int, int]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        self.candidates: dict[SliceKey, int] = {}
        self.level_candidates: dict[tuple[SliceKey, str], int] = {}

    def add(self, key: SliceKey, level: str, salary: int, offers: int) -> None:
        per_salary = self.counts[key][level]
        per_salary[salary] = per_salary.get(salary, 0) + offers


def _year_filter(prefix: str, year: int | None) -> dict:
    if year is None:
        return {}
    return {
        f"{prefix}offered_on__gte": date(year, 1, 1),
        f"{prefix}offered_on__lt": date(year + 1, 1, 1),
    }


def _collect(year: int | None) -> _SliceCounts:
    """Group and count in the database; only aggregates ever reach Python.

    An offer has one specialization and any number of technologies, so the technology
    roll-up (all, tech) is the sum of (spec, tech) over specializations, and (all, all)
    the sum of (spec, all). Distinct candidates do not add up, so they are counted for
    each kind of slice.
    """
    acc = _SliceCounts()
    links = (
        OfferTechnology.objects.filter(**_year_filter("offer__", year))
        .order_by()
        .annotate(
            spec=F("offer__specialization_id"),
            tech=F("technology_id"),
            yr=ExtractYear("offer__offered_on"),
            level=F("offer__seniority"),
            pay=F("offer__salary"),
            person=F("offer__candidate_id"),
        )
    )
    offers = (
        Offer.objects.filter(**_year_filter("", year))
        .order_by()
        .annotate(
            spec=F("specialization_id"),
            yr=ExtractYear("offered_on"),
            level=F("seniority"),
            pay=F("salary"),
            person=F("candidate_id"),
        )
    )

    grouped = links.values_list("spec", "tech", "yr", "level", "pay").annotate(n=Count("*"))
    for spec, tech, yr, level, salary, n in grouped.iterator(chunk_size=20_000):
        acc.add((spec, tech, yr), level, salary, n)
        acc.add((None, tech, yr), level, salary, n)
    grouped = offers.values_list("spec", "yr", "level", "pay").annotate(n=Count("*"))
    for spec, yr, level, salary, n in grouped.iterator(chunk_size=20_000):
        acc.add((spec, None, yr), level, salary, n)
        acc.add((None, None, yr), level, salary, n)

    people = Count("person", distinct=True)
    for queryset, fields in (
        (links, ("spec", "tech")),
        (links, ("tech",)),
        (offers, ("spec",)),
        (offers, ()),
    ):
        for row in queryset.values(*fields, "yr").annotate(c=people):
            acc.candidates[(row.get("spec"), row.get("tech"), row["yr"])] = row["c"]
        for row in queryset.values(*fields, "yr", "level").annotate(c=people):
            if row["level"]:
                key = (row.get("spec"), row.get("tech"), row["yr"])
                acc.level_candidates[(key, row["level"])] = row["c"]
    return acc


def _build_rows(acc: _SliceCounts, *, run: StatsRun, min_offers: int) -> list[SalaryStat]:
    rows = []
    for key, per_level in acc.counts.items():
        spec, tech, yr = key
        everything: dict[int, int] = {}
        for per_salary in per_level.values():
            for salary, n in per_salary.items():
                everything[salary] = everything.get(salary, 0) + n
        levels = {
            level: (SalaryCounts(per_salary), acc.level_candidates[(key, level)])
            for level, per_salary in per_level.items()
            if level
        }
        figures = slice_figures(
            SalaryCounts(everything),
            candidates=acc.candidates[key],
            min_offers=min_offers,
            by_seniority=levels,
        )
        ordered_levels = {
            level: figures.by_seniority[level].as_dict()
            for level in Seniority.values
            if level in figures.by_seniority
        }
        rows.append(
            SalaryStat(
                specialization_id=spec,
                technology_id=tech,
                year=yr,
                offers=figures.offers,
                candidates=figures.candidates,
                median=figures.median,
                mean=figures.mean,
                p10=figures.p10,
                p25=figures.p25,
                p75=figures.p75,
                p90=figures.p90,
                histogram=figures.histogram,
                by_seniority=ordered_levels,
                run=run,
                computed_at=run.finished_at,
            )
        )
    return rows


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
    min_offers = settings.SALARY_MIN_OFFERS if min_offers is None else min_offers
    started = timezone.now()
    clock = time.perf_counter()
    outermost = not connection.in_atomic_block
    with _refresh_lock(), transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every grouped read, so an import committing half-way
            # through cannot make counts and candidates disagree. (Inside a caller's
            # transaction, the caller's snapshot rules.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        acc = _collect(year)
        finished = timezone.now()
        years = sorted({key[2] for key in acc.counts})
        total_offers = sum(
            sum(sum(per_salary.values()) for per_salary in per_level.values())
            for key, per_level in acc.counts.items()
            if key[0] is None and key[1] is None
        )
        run = StatsRun.objects.create(
            started_at=started,
            finished_at=finished,
            year=year,
            slices=len(acc.counts),
            offers=total_offers,
            seconds=0,
        )
        rows = _build_rows(acc, run=run, min_offers=min_offers)
        stale = SalaryStat.objects.all()
        if year is not None:
            stale = stale.filter(year=year)
        stale.delete()
        SalaryStat.objects.bulk_create(rows, batch_size=1000)
        seconds = time.perf_counter() - clock
        StatsRun.objects.filter(pk=run.pk).update(seconds=seconds)
        run.seconds = seconds
        transaction.on_commit(stats_generation_publish)
    return RefreshSummary(
        run=run, years=years, slices=len(rows), offers=total_offers, seconds=seconds
    )


# --- Partners ---

RATE_PATTERN = re.compile(r"^(?P<count>[1-9]\d{0,8})/(?P<period>second|minute|hour|day)$")


def rate_validate(rate: str) -> str:
    """``N/second``, ``N/minute``, ``N/hour`` or ``N/day``, as DRF throttles read it."""
    rate = rate.strip().lower()
    if not RATE_PATTERN.match(rate):
        raise ValueError(
            f'rate must look like 1000/hour (N/second, N/minute, N/hour or N/day), got "{rate}"'
        )
    return rate


@transaction.atomic
def partner_key_create(
    *, partner_name: str, rate: str | None = None, contact_email: str = ""
) -> tuple[PartnerAPIKey, str]:
    """Make a new API key for a partner (created on first use). Returns the key object
    and the key itself, which is stored only hashed and cannot be shown again."""
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
        name=f"{partner.name} #{number}", partner=partner
    )
    return api_key, key
