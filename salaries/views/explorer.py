"""The explorer: every specialization x technology for a year, filtered and sorted with
the same FilterSet as the API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import render

from portal.query import one_value
from portal.response_cache import cached_page, params_of
from salaries import selectors
from salaries.filters import SalaryStatFilter
from salaries.views.common import change

EXPLORER_PAGE_SIZE = 50


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
                    "change": change(
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
