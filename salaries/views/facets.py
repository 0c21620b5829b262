"""What the salary page shows about facets: the filter form (a GET form with a select per
facet, so it works without JavaScript), the current choices as one-click removable links,
and the breakdown tables beside the seniority table."""

from __future__ import annotations

from django.utils.http import urlencode

from salaries.disclosure import withheld_reason
from salaries.facets import FACETS, LABEL, VALUE_LABELS, value_label
from salaries.models import SalaryStat

TOP_COUNTRIES = 10
BREAKDOWN_TABLES = [  # (facet, heading, first column)
    ("english_level", "By English level", "English"),
    ("remote", "Remote or office", "Work format"),
    ("country", "Top countries", "Country"),
]


def _url(base: str, facets: dict[str, str]) -> str:
    return f"{base}?{urlencode(facets)}" if facets else base


def _entries(stat: SalaryStat, facet: str) -> list[tuple[str, dict]]:
    entries = list(getattr(stat, f"by_{facet}").items())
    if facet == "country":
        entries.sort(key=lambda item: (-item[1]["offers"], item[0]))
        entries = entries[:TOP_COUNTRIES]
    return entries


def facet_context(request, *, plain: SalaryStat, stat: SalaryStat, facets: dict) -> dict:
    """The template context of the facet form and the breakdown tables."""
    base = plain.get_absolute_url()
    fields = []
    for facet in FACETS:
        if facet == "country":
            values = sorted(plain.by_country, key=lambda c: (-plain.by_country[c]["offers"], c))
            if facets.get("country") and facets["country"] not in values:
                values.append(facets["country"])
        else:
            values = list(VALUE_LABELS[facet])
        options = [(v, value_label(facet, v), facets.get(facet) == v) for v in values]
        fields.append({"name": facet, "label": LABEL[facet], "options": options})
    chips = [
        {
            "facet_label": LABEL[facet],
            "label": value_label(facet, value),
            "remove_url": _url(base, {f: v for f, v in facets.items() if f != facet}),
        }
        for facet, value in facets.items()
    ]
    tables = []
    for facet, heading, column in BREAKDOWN_TABLES:
        rows = [
            {
                "label": value_label(facet, value),
                "url": None if facet in facets else _url(base, {**facets, facet: value}),
                **figures,
                "reason": withheld_reason(figures["withheld"]),
            }
            for value, figures in _entries(stat, facet)
        ]
        if rows:
            tables.append({"facet": facet, "heading": heading, "column": column, "rows": rows})
    return {
        "facets": facets,
        "facet_base_url": base,
        "facet_fields": fields,
        "facet_chips": chips,
        "breakdown_tables": tables,
    }
