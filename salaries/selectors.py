"""Reads of the published statistics. Pages, the API and article blocks all come here;
nothing outside ``services`` aggregates offers."""

from collections.abc import Iterable
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from portal.cache import cache_get_many
from salaries.models import (
    PartnerAPIKey,
    SalaryStat,
    Specialization,
    StatsRun,
    Technology,
)


def salary_stat_queryset() -> QuerySet[SalaryStat]:
    return SalaryStat.objects.select_related("specialization", "technology")


def salary_stat_get(*, specialization: str, technology: str, year: int) -> SalaryStat | None:
    """The published slice, or None when it has no offers (or the slugs are unknown)."""
    return (
        salary_stat_queryset()
        .cell(specialization=specialization, technology=technology)
        .filter(year=year)
        .first()
    )


def salary_stat_history(*, specialization: str, technology: str) -> QuerySet[SalaryStat]:
    """Every year of one slice, oldest first."""
    return (
        salary_stat_queryset()
        .cell(specialization=specialization, technology=technology)
        .order_by("year")
    )


def salary_stat_latest(
    *, specialization: str, technology: str, year: int | None = None
) -> SalaryStat | None:
    """The slice in ``year``, or in the newest year with data when ``year`` is None."""
    if year:
        return salary_stat_get(specialization=specialization, technology=technology, year=year)
    return salary_stat_history(specialization=specialization, technology=technology).last()


def specialization_list() -> QuerySet[Specialization]:
    return Specialization.objects.order_by("name")


def technology_list() -> QuerySet[Technology]:
    return Technology.objects.prefetch_related("related").order_by("name")


@contextmanager
def statistics_snapshot():
    """Read the published statistics as of one moment: a page or an answer reads several
    queries (the slice, its history, related slices, the run), and a statistics run that
    commits between two of them must not mix two runs in one response. On PostgreSQL a
    REPEATABLE READ transaction gives every query the same snapshot (SQLite's transactions
    already do). Inside a transaction already begun, that transaction decides."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def stats_run_latest() -> StatsRun | None:
    return StatsRun.objects.order_by("-id").first()


def salary_stat_years() -> list[int]:
    """Years with published statistics, newest first."""
    return list(SalaryStat.objects.order_by("-year").values_list("year", flat=True).distinct())


def salary_stat_related(*, stat: SalaryStat, limit: int = 8) -> list[SalaryStat]:
    """Slices to compare a page with: same specialization (or roll-up) and year, for the
    technologies editors related to this one, else the most offered technologies."""
    same_scope = (
        salary_stat_queryset()
        .defer("histogram", "by_seniority")
        .cell(specialization=stat.specialization_slug)
        .without_rollups(technology=True)
        .filter(year=stat.year)
    )
    if stat.technology_id:
        related = list(
            same_scope.filter(technology__related=stat.technology_id).order_by(
                "-offers", "technology__name"
            )[:limit]
        )
        if related:
            return related
        same_scope = same_scope.exclude(technology=stat.technology_id)
    return list(same_scope.order_by("-offers", "technology__name")[:limit])


def salary_stat_ranking(*, specialization: str, year: int) -> list[SalaryStat]:
    """Every technology of a specialization (or of the roll-up ``all``) in one year."""
    return list(
        salary_stat_queryset()
        .cell(specialization=specialization)
        .without_rollups(technology=True)
        .filter(year=year)
        .order_by("-offers", "technology__name")
    )


def salary_stat_previous_year(stats: list[SalaryStat]) -> dict[tuple, SalaryStat]:
    """The same slices one year earlier, keyed by (specialization id, technology id, year),
    in one query whatever the number of slices."""
    if not stats:
        return {}
    years = {stat.year - 1 for stat in stats}
    specializations = {stat.specialization_id for stat in stats}
    technologies = {stat.technology_id for stat in stats}
    query = SalaryStat.objects.filter(year__in=years)
    spec_ids = [value for value in specializations if value is not None]
    tech_ids = [value for value in technologies if value is not None]
    spec_q = Q(specialization__in=spec_ids) if spec_ids else Q(pk__in=[])
    tech_q = Q(technology__in=tech_ids) if tech_ids else Q(pk__in=[])
    if None in specializations:
        spec_q |= Q(specialization__isnull=True)
    if None in technologies:
        tech_q |= Q(technology__isnull=True)
    return {
        (row.specialization_id, row.technology_id, row.year + 1): row
        for row in query.filter(spec_q, tech_q)
    }


def salary_stat_sitemap() -> QuerySet[SalaryStat]:
    """Slices with published money figures: the ones worth a search engine's visit."""
    return (
        salary_stat_queryset()
        .filter(median__isnull=False)
        .only("specialization__slug", "technology__slug", "year", "computed_at")
        .order_by("year", "specialization_id", "technology_id", "pk")
    )


PARTNER_KEY_PREFIX = "salaries:partner-key:"
# Saving or deleting a key or a partner forgets its entries (``signals``); the expiry only
# bounds how long a change made behind the ORM's back (a raw UPDATE) could go unseen.
PARTNER_KEY_TTL = 60


def partner_key_get(*, prefix: str) -> PartnerAPIKey | None:
    """The key with this prefix and its partner, whatever its state (revoked, expired).

    Read on every authenticated request, so it goes through the shared cache (a miss is
    remembered too): one cache round trip instead of a query (none of its own when the
    request read it ahead, ``portal.cache.read_ahead``).
    """
    name = partner_key_cache_name(prefix)
    entry = cache_get_many([name]).get(name)
    if entry is None:
        found = PartnerAPIKey.objects.select_related("partner").filter(prefix=prefix).first()
        entry = found or False
        cache.set(PARTNER_KEY_PREFIX + prefix, entry, PARTNER_KEY_TTL)
    return entry or None


def partner_key_cache_name(prefix: str) -> str:
    return PARTNER_KEY_PREFIX + prefix


def partner_keys_forget(*, prefixes: Iterable[str]) -> None:
    """Drop cached keys after they change, so every server sees the change at once."""
    cache.delete_many([PARTNER_KEY_PREFIX + prefix for prefix in prefixes])
