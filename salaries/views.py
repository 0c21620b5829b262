"""Public salary pages: the explorer, a specialization's technologies and the salary page.

Views read the published statistics through ``selectors`` and shape them for templates;
they never aggregate offers. Every 200 is cached under the statistics generation
(``portal.response_cache.cached_page``), so a page costs one cache round trip until the next run.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from portal import spreadsheets
from portal.query import one_value, whole_number
from portal.response_cache import cached_page, params_of
from salaries import selectors
from salaries.charts import (
    TrendPoint,
    median_ranking_chart,
    offers_ranking_chart,
    percentile_strip,
    slice_histogram_chart,
    trend_chart,
)
from salaries.disclosure import disclosure_in_words, withheld_reason
from salaries.filters import SalaryStatFilter
from salaries.formatting import money
from salaries.models import ALL, SalaryStat, Seniority, Specialization, slice_subject
from salaries.topics import topic_article_get

EXPLORER_PAGE_SIZE = 50
RANKING_CHART_ROWS = 12


def _lowercase_redirect(request: HttpRequest, *slugs: str) -> HttpResponse | None:
    """Slugs are lower-case; a mixed-case URL moves permanently to the canonical one."""
    if any(slug != slug.lower() for slug in slugs):
        return redirect(request.path.lower(), permanent=True)
    return None


def _named(model, slug: str):
    """The object for ``slug``, ``None`` for ``all``; unknown slugs are a 404."""
    if slug == ALL:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise Http404(f"No {model._meta.verbose_name} {slug!r}.")
    return found


def _percent(part: int, whole: int) -> str:
    if not whole:
        return ""
    return f"{(part - whole) * 100 / whole:+.1f}%"


def _change(current: int | None, previous: int | None) -> dict | None:
    if current is None or previous is None:
        return None
    delta = current - previous
    return {
        "delta": delta,
        "display": f"{'+' if delta > 0 else '−' if delta < 0 else '±'}{money(abs(delta))}",
        "percent": _percent(current, previous),
        "direction": "up" if delta > 0 else "down" if delta < 0 else "flat",
    }


# --- The salary page ---


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
                "change": _change(other.median, stat.median),
            }
        )
    return rows


def _salary_json_ld(stat: SalaryStat, url: str) -> dict:
    """schema.org's salary distribution, with the published figures only (a withheld
    percentile is left out, never given as null or 0)."""
    percentiles = {
        "percentile10": stat.p10,
        "percentile25": stat.p25,
        "median": stat.median,
        "percentile75": stat.p75,
        "percentile90": stat.p90,
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": stat.subject,
        "url": url,
        "description": (
            f"Salary expectations of {stat.subject}s in {stat.year}, from {stat.offers} "
            f"job offers to {stat.candidates} candidates."
        ),
        "estimatedSalary": [
            {
                "@type": "MonetaryAmountDistribution",
                "name": "Monthly salary expectation, one data point per job offer",
                "description": f"Sample size: {stat.offers} offers, {stat.candidates} candidates.",
                "currency": "USD",
                "duration": "P1M",
                **{name: value for name, value in percentiles.items() if value is not None},
            }
        ],
        "sampleSize": stat.offers,
        "dateModified": stat.computed_at.isoformat(),
    }
    if stat.technology_id:
        data["skills"] = stat.technology.name
    return data


def _meta_description(stat: SalaryStat) -> str:
    if stat.published:
        return (
            f"{stat.subject}s asked for a median of {money(stat.median)} a month in "
            f"{stat.year}, across {stat.offers:,} job offers to {stat.candidates:,} "
            f"candidates. Distribution, percentiles, trend and seniority breakdown."
        )
    return (
        f"{stat.offers:,} job offers to {stat.subject}s in {stat.year}: not enough data to "
        f"publish salary figures ({stat.withheld_reason})."
    )


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
    moved = _lowercase_redirect(request, specialization, technology)
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
        "meta_description": _meta_description(stat),
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
                "change": _change(row.median, prev.median) if prev else None,
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
        context["json_ld"] = _salary_json_ld(stat, url)
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


# --- A specialization across its technologies ---


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
    moved = _lowercase_redirect(request, specialization)
    if moved:
        return moved
    spec = _named(Specialization, specialization)
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


# --- The explorer ---


def _sort_links(query: dict[str, str], current: str) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (toggling direction when it is
    the current sort) and the aria-sort value."""
    links = {}
    for field_name in ("offers", "median"):
        descending = f"-{field_name}"
        if current == descending:
            target, state = field_name, "descending"
        elif current == field_name:
            target, state = descending, "ascending"
        else:
            target, state = descending, "none"
        params = {**query, "ordering": target}
        links[field_name] = {"url": "?" + urlencode(params), "aria_sort": state}
    return links


EXPLORER_FILTERS = ("year", "specialization", "technology", "min_offers", "ordering")


@cached_page(
    params=params_of(
        *EXPLORER_FILTERS,
        "page",
        lower=("specialization", "technology"),
        ordering="-offers",
        page="1",
    )
)
def explorer(request: HttpRequest):
    years = selectors.salary_stat_years()
    context = {
        "page_title": "Developer Salaries by Specialization and Technology",
        "years": years,
        "specializations": selectors.specialization_list(),
        "technologies": selectors.technology_list().only("slug", "name"),
        "min_offers": settings.SALARY_MIN_OFFERS,
    }
    if not years:
        return render(request, "salaries/explorer.html", context)
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(years[0])
    if not data.get("ordering"):
        data["ordering"] = "-offers"
    # A filter left empty means "any" specialization or technology: the named ones, not
    # their roll-up ("all", chosen on its own).
    queryset = selectors.salary_stat_queryset().without_rollups(
        specialization=not data.get("specialization"), technology=not data.get("technology")
    )
    filterset = SalaryStatFilter(data, queryset=queryset)
    context["selected"] = data
    if not filterset.is_valid():
        context["errors"] = filterset.errors
        context["error_list"] = [
            (filterset.form[name].label or name, messages)
            for name, messages in filterset.errors.items()
        ]
        return render(request, "salaries/explorer.html", context, status=400)
    cleaned = filterset.form.cleaned_data
    year = cleaned["year"]
    # The page echoes the filters as they were understood (slugs in lower case, the
    # ordering as one list), never the raw query: requests that differ only in case, order
    # or parameters nobody reads render, and share, one cached page.
    selected = {
        "year": str(year),
        "specialization": cleaned["specialization"] or "",
        "technology": cleaned["technology"] or "",
        "min_offers": "" if cleaned["min_offers"] is None else str(cleaned["min_offers"]),
        "ordering": ",".join(cleaned["ordering"]),
    }
    context["selected"] = selected
    # What the links on the page carry forward: the filters given (not the defaults).
    query = {name: selected[name] for name in EXPLORER_FILTERS if request.GET.get(name, "").strip()}
    page = Paginator(filterset.qs, EXPLORER_PAGE_SIZE).get_page(one_value(request.GET, "page"))
    rows = list(page.object_list)
    previous = selectors.salary_stat_previous_year(rows)
    context.update(
        {
            "year": int(year),
            "page": page,
            "rows": [
                {
                    "stat": row,
                    "change": _change(
                        row.median,
                        getattr(
                            previous.get((row.specialization_id, row.technology_id, row.year)),
                            "median",
                            None,
                        ),
                    ),
                }
                for row in rows
            ],
            "sort": _sort_links(query, selected["ordering"]),
            "page_query": urlencode(query),
        }
    )
    return render(request, "salaries/explorer.html", context)
