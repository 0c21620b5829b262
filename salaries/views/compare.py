"""Comparison pages: two or three technologies of one specialization side by side in one
year, at ``/salaries/compare/<specialization>/<a>-vs-<b>[-vs-<c>]/<year>/`` (DESIGN.md).

One canonical order, alphabetical by slug: any other order moves there permanently. A page
where any side withholds its figures is ``noindex``; the sitemap lists only pairs of
related technologies that both publish (``comparison_sitemap_items``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.response_cache import cached_page
from salaries import selectors
from salaries.compare_charts import Side, overlaid_histogram, trend_lines
from salaries.models import SalaryStat, Seniority, Specialization, Technology, slice_subject
from salaries.slugs import ALL
from salaries.topics import comparison_article_get
from salaries.views.common import lowercase_redirect, named

SEPARATOR = "-vs-"
MIN_SIDES, MAX_SIDES = 2, 3


def compare_url(specialization: str, technologies: list[str], year: int) -> str:
    """The canonical address of a comparison (slugs in alphabetical order)."""
    return reverse(
        "salaries:compare", args=[specialization, SEPARATOR.join(sorted(technologies)), year]
    )


def _sides(technologies: str) -> list[str]:
    slugs = technologies.split(SEPARATOR)
    if (
        not MIN_SIDES <= len(slugs) <= MAX_SIDES
        or len(set(slugs)) != len(slugs)
        or any(not slug or slug == ALL for slug in slugs)
    ):
        raise Http404(f"Compare {MIN_SIDES} or {MAX_SIDES} different technologies.")
    return slugs


def _per_candidate(stat: SalaryStat) -> str:
    return f"{stat.offers / stat.candidates:.1f}" if stat.candidates else "—"


def _column(stat: SalaryStat) -> dict:
    return {"stat": stat, "name": stat.technology.name, "per_candidate": _per_candidate(stat)}


def _seniority_rows(stats: list[SalaryStat]) -> list[dict]:
    """One row per level present on any side: each side's entry (its median, or why it is
    withheld), or None where the side has no offers at that level."""
    rows = []
    for level in Seniority:
        cells = [stat.by_seniority.get(level.value) for stat in stats]
        if any(cells):
            rows.append({"label": level.label, "cells": cells})
    return rows


@cached_page
def compare_page(request: HttpRequest, specialization: str, technologies: str, year: int):
    moved = lowercase_redirect(request, specialization, technologies)
    if moved:
        return moved
    slugs = _sides(technologies)
    if slugs != sorted(slugs):
        return redirect(compare_url(specialization, slugs, year), permanent=True)
    spec = named(Specialization, specialization)
    techs = [named(Technology, slug) for slug in slugs]
    stats = []
    for slug in slugs:
        stat = selectors.salary_stat_get(specialization=specialization, technology=slug, year=year)
        if stat is None:
            raise Http404(f"No statistics for {slug} in {year}.")
        stats.append(stat)
    histories = [
        list(selectors.salary_stat_history(specialization=specialization, technology=slug))
        for slug in slugs
    ]
    names = [tech.name for tech in techs]
    role = slice_subject(spec, None)
    title = f"{' vs. '.join(names)}: {role} Salaries in {year}"
    sides = [
        Side(
            name=stat.technology.name,
            histogram=stat.histogram if stat.published else None,
            medians={row.year: row.median for row in history},
        )
        for stat, history in zip(stats, histories, strict=True)
    ]
    all_published = all(stat.published for stat in stats)
    url = request.build_absolute_uri(request.path)
    years = sorted(set.intersection(*({row.year for row in h} for h in histories)))
    context = {
        "page_title": title,
        "role": role,
        "year": year,
        "specialization": spec,
        "specialization_slug": specialization,
        "columns": [_column(stat) for stat in stats],
        "seniority": _seniority_rows(stats),
        "all_published": all_published,
        "canonical_url": url,
        "meta_description": (
            f"{' and '.join(names)} side by side for {role}s in {year}: offers, candidates, "
            "median monthly salary expectation, percentiles, distribution and trend."
        ),
        "histogram_svg": overlaid_histogram(
            sides, title=f"Offers per $500 band of monthly salary expectation, {year}"
        ),
        "trend_svg": trend_lines(sides, title="Median monthly salary expectation by year"),
        "years": [
            {"year": y, "url": compare_url(specialization, slugs, y), "current": y == year}
            for y in years
        ],
        "article": comparison_article_get(specialization=spec, technologies=techs),
    }
    response = render(request, "salaries/compare_page.html", context)
    if not all_published:
        response["X-Robots-Tag"] = "noindex"
    response.stats_computed_at = max(stat.computed_at for stat in stats)
    return response


def comparison_sitemap_items() -> list[str]:
    """Addresses of the comparisons worth a search engine's visit: each pair of related
    technologies (as editors relate them) in a specialization and year where both publish
    figures."""
    published = set(
        selectors.salary_stat_sitemap()
        .filter(specialization__isnull=False, technology__isnull=False)
        .values_list("specialization_id", "technology_id", "year")
    )
    related: dict[int, list[int]] = {}
    for a, b in Technology.related.through.objects.values_list(
        "from_technology_id", "to_technology_id"
    ):
        related.setdefault(a, []).append(b)
    slugs = dict(Technology.objects.values_list("pk", "slug"))
    spec_slugs = dict(Specialization.objects.values_list("pk", "slug"))
    urls = set()
    for spec, tech, year in published:
        for other in related.get(tech, ()):
            if (spec, other, year) in published:
                urls.add(compare_url(spec_slugs[spec], [slugs[tech], slugs[other]], year))
    return sorted(urls)
