"""The salary page of one slice and year, its histogram as CSV, and the redirect to the
newest year."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from portal import spreadsheets
from portal.response_cache import cached_page, params_of
from salaries import selectors
from salaries.charts import (
    BreakdownRow,
    TrendPoint,
    breakdown_chart,
    percentile_strip,
    slice_histogram_chart,
    trend_chart,
)
from salaries.disclosure import disclosure_in_words, withheld_reason
from salaries.facets import FACETS, facets_from_query, facets_in_words
from salaries.formatting import money
from salaries.models import SalaryStat, Seniority
from salaries.rank import SALARY_PARAM, percent_below, salary_param
from salaries.seo import meta_description, salary_json_ld
from salaries.topics import topic_article_get
from salaries.views.common import change, lowercase_redirect
from salaries.views.compare import compare_url
from salaries.views.facets import facet_context


def _seniority_rows(stat: SalaryStat) -> list[dict]:
    rows = []
    for level in Seniority:
        figures = stat.by_seniority.get(level.value)
        if figures:
            reason = withheld_reason(figures.get("withheld"))
            rows.append({"label": level.label, **figures, "reason": reason})
    return rows


CHART_TITLES = {
    "english_level": "by English level",
    "remote": "remote and in an office",
    "country": "in the countries with the most offers",
}


def _breakdown_charts(tables: list[dict], *, subject: str, year: int) -> None:
    """Give each breakdown table a bar chart of its medians (the table stays the text
    alternative), drawn from the very rows the table shows."""
    for table in tables:
        rows = [
            BreakdownRow(
                label=row["label"],
                median=row["median"],
                href=row["url"] or "",
                reason=row["reason"] or "",
            )
            for row in table["rows"]
        ]
        chart = breakdown_chart(
            rows,
            title=f"Median monthly salary expectation {CHART_TITLES[table['facet']]}: "
            f"{subject}, {year}",
            label_heading=table["column"],
        )
        table["chart_svg"] = chart.render(f"breakdown-{table['facet']}")


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
                "compare_url": compare_url(
                    stat.specialization_slug,
                    [stat.technology_slug, other.technology.slug],
                    stat.year,
                )
                if stat.technology_id
                else "",
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


FACET_PARAMS = params_of(*FACETS, lower=FACETS)


def salary_page(request: HttpRequest, specialization: str, technology: str, year: int):
    """The page (narrowed by its facets), from the response cache; with ``?salary=N``
    ("where do I stand") the same page built for that one visitor: never stored (not in
    the cache, not by browsers or proxies), never indexed."""
    salary = salary_param(request.GET)
    if salary is None:
        return _cached_salary_page(request, specialization, technology, year)
    response = _salary_page(request, specialization, technology, year, salary=salary)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# What the page reads: the facets, and the salary whose answers have keys of their own,
# which nothing ever stores, so a cached page never answers them.
salary_page.cache_params = params_of(*FACETS, SALARY_PARAM, lower=FACETS)


def _salary_page(
    request: HttpRequest,
    specialization: str,
    technology: str,
    year: int,
    *,
    salary: int | None = None,
):
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
    facets = facets_from_query(request.GET)
    plain = stat
    stat = selectors.salary_stat_narrowed(stat=plain, facets=facets)

    url = request.build_absolute_uri(stat.get_absolute_url())
    subject = stat.subject
    context = {
        "stat": stat,
        "subject": subject,
        "page_title": f"{stat.title}: {facets_in_words(facets)}" if facets else stat.title,
        "canonical_url": url,
        "noindex": bool(facets) or not stat.published,
        **facet_context(request, plain=plain, stat=stat, facets=facets),
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
        )
        + (f"?{urlencode(facets)}" if facets else ""),
    }
    _breakdown_charts(context["breakdown_tables"], subject=subject, year=stat.year)
    if stat.published:
        chart = slice_histogram_chart(stat, salary=salary)
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
        if not facets:  # a faceted page is not a page of its own for search engines
            context["json_ld"] = salary_json_ld(stat, url)
        if salary is not None:
            share = percent_below(stat.histogram, salary)
            context["rank"] = {"salary": salary, "percent": share, "above": 100 - share}
            context["noindex"] = True
    response = render(request, "salaries/salary_page.html", context)
    if context["noindex"]:
        response["X-Robots-Tag"] = "noindex"
    response.stats_computed_at = stat.computed_at
    return response


_cached_salary_page = cached_page(_salary_page, params=FACET_PARAMS)


@cached_page(params=FACET_PARAMS)
def histogram_csv(request: HttpRequest, specialization: str, technology: str, year: int):
    """The chart's data: every $500 band of the slice (narrowed by the page's facets),
    unfolded."""
    stat = selectors.salary_stat_get(
        specialization=specialization, technology=technology, year=year
    )
    if stat is not None:
        stat = selectors.salary_stat_narrowed(stat=stat, facets=facets_from_query(request.GET))
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
