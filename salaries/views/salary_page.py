"""The salary page of one slice and year, its histogram as CSV, and the redirect to the
newest year."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from portal import spreadsheets
from portal.response_cache import cached_page
from salaries import selectors
from salaries.charts import (
    TrendPoint,
    percentile_strip,
    slice_histogram_chart,
    trend_chart,
)
from salaries.disclosure import disclosure_in_words, withheld_reason
from salaries.formatting import money
from salaries.models import SalaryStat, Seniority
from salaries.seo import meta_description, salary_json_ld
from salaries.topics import topic_article_get
from salaries.views.common import change, lowercase_redirect


def _seniority_rows(stat: SalaryStat) -> list[dict]:
    rows = []
    for level in Seniority:
        figures = stat.by_seniority.get(level.value)
        if figures:
            reason = withheld_reason(figures.get("withheld"))
            rows.append({"label": level.label, **figures, "reason": reason})
    return rows


def _related_rows(stat: SalaryStat) -> list[dict]:
    rows = []
    for other in selectors.salary_stat_related(stat=stat):
        rows.append(
            {
                "name": other.technology.name,
                "url": other.get_absolute_url(),
                "offers": other.offers,
                "median": other.median,
                "reason": other.withheld_reason,
                "change": change(other.median, stat.median),
            }
        )
    return rows


def _missing_year(request, history: list[SalaryStat], year: int) -> HttpResponse:
    sample = history[-1]
    context = {
        "subject": sample.subject,
        "year": year,
        "years": [{"year": stat.year, "url": stat.get_absolute_url()} for stat in history],
    }
    return render(request, "salaries/slice_missing.html", context, status=404)


@cached_page
def salary_page(request: HttpRequest, specialization: str, technology: str, year: int):
    moved = lowercase_redirect(request, specialization, technology)
    if moved:
        return moved
    history = list(
        selectors.salary_stat_history(specialization=specialization, technology=technology)
    )
    if not history:
        raise Http404("No statistics for this specialization and technology.")
    stat = next((row for row in history if row.year == year), None)
    if stat is None:
        return _missing_year(request, history, year)

    url = request.build_absolute_uri(stat.get_absolute_url())
    subject = stat.subject
    context = {
        "stat": stat,
        "subject": subject,
        "page_title": stat.title,
        "canonical_url": url,
        "meta_description": meta_description(stat),
        "specialization_name": stat.specialization.name if stat.specialization_id else "",
        "specialization_url": reverse("salaries:specialization", args=[stat.specialization_slug]),
        "technology_name": stat.technology.name if stat.technology_id else "",
        "years": [
            {"year": row.year, "url": row.get_absolute_url(), "current": row.year == year}
            for row in history
        ],
        "min_offers": settings.SALARY_MIN_OFFERS,
        "disclosure": disclosure_in_words(),
        "seniority": _seniority_rows(stat),
        "related": _related_rows(stat) if stat.published else [],
        "trend_svg": trend_chart(
            [
                TrendPoint(
                    year=row.year,
                    median=row.median,
                    offers=row.offers,
                    href=row.get_absolute_url(),
                    current=row.year == year,
                )
                for row in history
            ],
            subject=subject,
        ).render("trend"),
        "trend_rows": [
            {
                "year": row.year,
                "offers": row.offers,
                "median": row.median,
                "reason": row.withheld_reason,
                "change": change(row.median, prev.median) if prev else None,
            }
            for prev, row in zip([None, *history], history, strict=False)
        ],
        "article": topic_article_get(
            specialization=stat.specialization, technology=stat.technology
        ),
        "csv_url": reverse(
            "salaries:histogram-csv",
            args=[stat.specialization_slug, stat.technology_slug, stat.year],
        ),
    }
    if stat.published:
        chart = slice_histogram_chart(stat)
        context["histogram_svg"] = chart.render("histogram")
        context["histogram_folded"] = len(chart.bars) < len(stat.histogram)
        context["bands"] = [
            (band["label"], money(band["from"]), money(band["to"] - 1), f"{band['offers']:,}")
            for band in stat.histogram
        ]
        context["strip_svg"] = percentile_strip(
            p10=stat.p10,
            p25=stat.p25,
            median=stat.median,
            p75=stat.p75,
            p90=stat.p90,
            mean=stat.mean,
            low=stat.histogram[0]["from"],
            high=stat.histogram[-1]["to"],
        ).render("strip")
        context["json_ld"] = salary_json_ld(stat, url)
    response = render(request, "salaries/salary_page.html", context)
    if not stat.published:
        response["X-Robots-Tag"] = "noindex"
    response.stats_computed_at = stat.computed_at
    return response


@cached_page
def histogram_csv(request: HttpRequest, specialization: str, technology: str, year: int):
    """The chart's data: every $500 band of the slice, unfolded."""
    stat = selectors.salary_stat_get(
        specialization=specialization, technology=technology, year=year
    )
    if stat is None or not stat.published:
        raise Http404("No published histogram for this slice.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{stat.specialization_slug}-{stat.technology_slug}-{year}-histogram.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = spreadsheets.writer(response, lineterminator="\n")
    writer.writerow(["from", "to", "label", "offers"])
    for band in stat.histogram:
        writer.writerow([band["from"], band["to"], band["label"], band["offers"]])
    response.stats_computed_at = stat.computed_at
    return response


def newest_year(request: HttpRequest, specialization: str, technology: str):
    """``/salaries/<specialization>/<technology>/`` goes to the newest year with data."""
    history = selectors.salary_stat_history(
        specialization=specialization, technology=technology
    ).only("year", "specialization__slug", "technology__slug")
    newest = history.last()
    if newest is None:
        raise Http404("No statistics for this specialization and technology.")
    return redirect(newest.get_absolute_url())
