"""``?format=csv`` on the API's lists: one row per item, columns in a fixed order.

A slice's nested figures are flattened into columns that never move, so files from any
page, filter or day line up:

- ``junior_offers``, ``junior_candidates``, ``junior_median``, ``junior_p25``,
  ``junior_p75``, ``junior_withheld``, then the same for ``middle``, ``senior`` and
  ``expert``;
- at the end (after the bands, so that files of earlier versions keep their column
  positions), the other breakdowns, the same six columns each: English levels
  (``basic_…``, ``intermediate_…``, ``upper_intermediate_…``, ``advanced_…``,
  ``fluent_…``), ``remote_…`` and ``office_…``, then every ISO 3166-1 country in
  alphabetical order by its lower-case code (``ad_offers`` … ``ua_median`` …
  ``zw_withheld``). Cells of a value the slice has no offers with are empty;
- the histogram as one column per $500 band over the whole salary range the import
  accepts: ``band_0`` (salaries 1–499), ``band_500`` (500–999), … ``band_100000``. A cell
  holds the offers in that band (0 inside the slice's range, empty outside it and for
  slices whose histogram is withheld).

With one facet (``?country=UA``) a list's items are breakdown entries, and its CSV has
the columns ``FACET_ENTRY_COLUMNS``: the slice, the facet and its value, the entry's
figures and the faceted page's ``url``.

``withheld`` (and ``<level>_withheld``) name the disclosure rule that emptied the money
cells, as in the JSON.

Empty cells stand for JSON ``null``; the body holds the rows only, and the next page is
in the ``Link`` header. Text that a spreadsheet would run as a formula (a technology an
editor named ``=cmd|...``) is written inert (``portal.spreadsheets``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from rest_framework.renderers import BaseRenderer

from portal import spreadsheets
from salaries.importer.validation import COUNTRIES
from salaries.models import EnglishLevel, Seniority
from salaries.stats import BAND_WIDTH, MAX_SALARY

BAND_STARTS = range(0, MAX_SALARY + 1, BAND_WIDTH)
LEVEL_FIELDS = ("offers", "candidates", "median", "p25", "p75", "withheld")
LEVELS = [level.value for level in Seniority]
# (breakdown, key in it, column prefix) for every breakdown column group, in order.
SENIORITY_COLUMNS = [("by_seniority", level, level) for level in LEVELS]
BREAKDOWN_COLUMNS = [
    *(("by_english_level", level, level.replace("-", "_")) for level in EnglishLevel.values),
    ("by_remote", "true", "remote"),
    ("by_remote", "false", "office"),
    *(("by_country", code, code.lower()) for code in sorted(COUNTRIES)),
]
STAT_HEAD = [
    "specialization",
    "technology",
    "year",
    "offers",
    "candidates",
    "median",
    "mean",
    "p10",
    "p25",
    "p75",
    "p90",
    "withheld",
    "computed_at",
]
STAT_TAIL = ["url", "methodology", "min_sample_size"]
STAT_COLUMNS = [
    *STAT_HEAD,
    *(f"{prefix}_{name}" for _, _, prefix in SENIORITY_COLUMNS for name in LEVEL_FIELDS),
    *STAT_TAIL,
    *(f"band_{start}" for start in BAND_STARTS),
    *(f"{prefix}_{name}" for _, _, prefix in BREAKDOWN_COLUMNS for name in LEVEL_FIELDS),
]


def stat_row(item: dict) -> list:
    """One serialized slice as a row of ``STAT_COLUMNS``."""
    row = [item[name] for name in STAT_HEAD]
    _breakdown_cells(row, item, SENIORITY_COLUMNS)
    row.extend(item[name] for name in STAT_TAIL)
    bands = {band["from"]: band["offers"] for band in item["histogram"] or ()}
    row.extend(bands.get(start) for start in BAND_STARTS)
    _breakdown_cells(row, item, BREAKDOWN_COLUMNS)
    return row


def _breakdown_cells(row: list, item: dict, columns: list[tuple[str, str, str]]) -> None:
    for breakdown, key, _ in columns:
        figures = (item[breakdown] or {}).get(key) or {}
        row.extend(figures.get(name) for name in LEVEL_FIELDS)


FACET_ENTRY_COLUMNS = [
    "specialization",
    "technology",
    "year",
    "facet",
    "value",
    *LEVEL_FIELDS,
    "url",
]


def facet_entry_row(item: dict) -> list:
    """One serialized breakdown entry (a list with one facet) as a row."""
    ((facet, value),) = item["filters"].items()
    if isinstance(value, bool):
        value = "true" if value else "false"
    return [
        item["specialization"],
        item["technology"],
        item["year"],
        facet,
        value,
        *(item[name] for name in LEVEL_FIELDS),
        item["url"],
    ]


def plain_row(columns: list[str]) -> Callable[[dict], list]:
    """Rows of flat items; lists become ``;``-separated text."""

    def row(item: dict) -> list:
        return [";".join(v) if isinstance(v, list) else v for v in map(item.get, columns)]

    return row


class CSVRenderer(BaseRenderer):
    """Renders a view's list (paginated or not) with the view's ``csv_columns`` and
    ``csv_row``."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        view = (renderer_context or {})["view"]
        items: Iterable[dict] = data["results"] if isinstance(data, dict) else data
        out = io.StringIO()
        writer = spreadsheets.writer(out)
        writer.writerow(view.csv_columns)
        row = view.csv_row
        for item in items:
            writer.writerow(["" if value is None else value for value in row(item)])
        return out.getvalue().encode("utf-8")
