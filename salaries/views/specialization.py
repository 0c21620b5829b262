"""A specialization across its technologies, for one year."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import render

from portal.query import one_value, whole_number
from portal.response_cache import cached_page, params_of
from salaries import selectors
from salaries.charts import (
    median_ranking_chart,
    offers_ranking_chart,
)
from salaries.models import Specialization, slice_subject
from salaries.slugs import ALL
from salaries.views.common import lowercase_redirect, named

RANKING_CHART_ROWS = 12


def _year_param(request: HttpRequest, years: list[int]) -> int | None:
    """``?year=`` if it names a year with data; the newest year when absent; None when the
    parameter is there but useless (the caller answers 400)."""
    raw = one_value(request.GET, "year").strip()
    if not raw:
        return years[0]
    year = whole_number(raw, low=years[-1], high=years[0])
    return year if year in years else None


@cached_page(params=params_of("year"))
def specialization_page(request: HttpRequest, specialization: str):
    moved = lowercase_redirect(request, specialization)
    if moved:
        return moved
    spec = named(Specialization, specialization)
    years = sorted(
        selectors.salary_stat_history(specialization=specialization, technology=ALL).values_list(
            "year", flat=True
        ),
        reverse=True,
    )
    if not years:
        raise Http404("No statistics for this specialization yet.")
    year = _year_param(request, years)
    if year is None:
        return render(
            request,
            "400.html",
            {
                "message": f"There are no figures for the year {request.GET['year'][:20]!r}. "
                f"Years with data: {', '.join(map(str, years))}.",
                "back_url": request.path,
            },
            status=400,
        )
    ranking = selectors.salary_stat_ranking(specialization=specialization, year=year)
    rollup = selectors.salary_stat_get(specialization=specialization, technology=ALL, year=year)
    subject = slice_subject(spec, None)
    by_offers = ranking[:RANKING_CHART_ROWS]
    by_median = sorted(
        (row for row in ranking if row.published), key=lambda row: (-row.median, row.offers)
    )[:RANKING_CHART_ROWS]
    context = {
        "specialization": spec,
        "slug": specialization,
        "subject": subject,
        "page_title": f"{subject} Salaries by Technology in {year}",
        "year": year,
        "years": [
            {"year": y, "url": f"{request.path}?year={y}", "current": y == year} for y in years
        ],
        "rollup": rollup,
        "rows": ranking,
        "min_offers": settings.SALARY_MIN_OFFERS,
        "offers_svg": offers_ranking_chart(
            by_offers, title=f"Most offered technologies: {subject}, {year}"
        ).render("by-offers"),
        "has_medians": bool(by_median),
        "median_svg": median_ranking_chart(
            by_median, title=f"Highest median salary expectations: {subject}, {year}"
        ).render("by-median"),
        "canonical_url": request.build_absolute_uri(request.path)
        + (f"?year={year}" if year != years[0] else ""),
    }
    response = render(request, "salaries/specialization_page.html", context)
    if rollup:
        response.stats_computed_at = rollup.computed_at
    return response
