"""Reads of the published statistics. Pages, the API and article blocks all come here;
nothing outside ``services`` aggregates offers."""

from django.db.models import QuerySet

from salaries.models import ALL, SalaryStat, Specialization, StatsRun, Technology


def salary_stat_queryset() -> QuerySet[SalaryStat]:
    return SalaryStat.objects.select_related("specialization", "technology")


def _slice_filter(prefix: str, slug: str) -> dict:
    slug = slug.strip().lower()
    if slug == ALL:
        return {f"{prefix}__isnull": True}
    return {f"{prefix}__slug": slug}


def salary_stat_get(*, specialization: str, technology: str, year: int) -> SalaryStat | None:
    """The published slice, or None when it has no offers (or the slugs are unknown)."""
    return (
        salary_stat_queryset()
        .filter(
            year=year,
            **_slice_filter("specialization", specialization),
            **_slice_filter("technology", technology),
        )
        .first()
    )


def salary_stat_history(*, specialization: str, technology: str) -> QuerySet[SalaryStat]:
    """Every year of one slice, oldest first."""
    return (
        salary_stat_queryset()
        .filter(
            **_slice_filter("specialization", specialization),
            **_slice_filter("technology", technology),
        )
        .order_by("year")
    )


def specialization_list() -> QuerySet[Specialization]:
    return Specialization.objects.order_by("name")


def technology_list() -> QuerySet[Technology]:
    return Technology.objects.prefetch_related("related").order_by("name")


def stats_run_latest() -> StatsRun | None:
    return StatsRun.objects.order_by("-id").first()
