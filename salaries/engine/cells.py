"""The figures of cells and of their breakdowns, from grouped reads, with the disclosure
rules applied to every cell and every breakdown entry on its own.

One function for the whole refresh (a year's slices of one kind at a time) and for a
faceted cell on demand (one slice): both hand it the facts as ``aggregation.FactRows``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from salaries.engine.aggregation import DIMENSIONS, unique_rows
from salaries.facets import BREAKDOWN, COLUMN, FACETS, value_of
from salaries.stats import (
    COMPLEMENT,
    MIN_OFFERS,
    SENIORITY_PERCENTILES,
    TAILS,
    DisclosureRules,
    grouped_figures,
)

FACET_OF = {column: facet for facet, column in COLUMN.items()}
# The complement of a faceted cell beyond the breakdown's own facet: for a breakdown
# dimension (or None for the cell itself) and a code, (offers, candidates) outside the
# cell for each facet the cell sets.
Outside = Callable[[str | None, int | None], list[tuple[int, int]]]


def _by_key(rows: np.ndarray, width: int) -> dict[tuple, list[int]]:
    return {tuple(row[:width]): row[width:] for row in rows.tolist()}


def empty_cell() -> dict:
    """A cell no offer matches."""
    return {
        "offers": 0,
        "candidates": 0,
        **dict.fromkeys(("median", "mean", "p10", "p25", "p75", "p90", "histogram")),
        "withheld": MIN_OFFERS,
        **{BREAKDOWN[facet]: {} for facet in FACETS},
    }


def cells_compute(
    source, columns: list[str], rules: DisclosureRules, *, outside: Outside | None = None
) -> dict[tuple, dict]:
    """Every cell that ``columns`` group the rows of ``source`` into, keyed by its values
    of ``columns``: offers, candidates, money figures, histogram, ``withheld`` and the four
    breakdowns (``by_seniority`` …), shaped as ``SalaryStat`` fields."""
    width = len(columns)
    base = source.grouped(columns)
    cells, cell_of = unique_rows(base[:, :width])
    whole = grouped_figures(cell_of.ravel(), base[:, -2], base[:, -1])
    people = _by_key(source.slice_people(columns), width)
    keys = [tuple(cell) for cell in cells.tolist()]
    offers_of = dict(zip(keys, whole.offers.tolist(), strict=True))
    found = {}
    for i, key in enumerate(keys):
        n = offers_of[key]
        candidates, top = people[key]
        withheld = rules.withheld(offers=n, candidates=candidates, top=top)
        if withheld is None and outside and not _complement(rules, outside(None, None)):
            withheld = COMPLEMENT
        published = withheld is None
        tails = published and rules.tails_publish(candidates=candidates)
        if published and not tails:
            withheld = TAILS

        def money(values, i=i, published=published):
            return int(values[i]) if published else None

        found[key] = {
            "offers": n,
            "candidates": candidates,
            "median": money(whole.percentiles[50]),
            "mean": money(whole.mean),
            "p10": money(whole.percentiles[10], published=tails),
            "p25": money(whole.percentiles[25]),
            "p75": money(whole.percentiles[75]),
            "p90": money(whole.percentiles[90], published=tails),
            "histogram": whole.histogram(i) if published else None,
            "withheld": withheld,
            **{BREAKDOWN[facet]: {} for facet in FACETS},
        }
    del base, cell_of
    for d in DIMENSIONS:  # one facet's grouping in memory at a time
        _breakdown(source, columns, d, source.grouped([*columns, d]), found, people, rules, outside)
    return found


def _complement(rules: DisclosureRules, outsides: list[tuple[int, int]]) -> bool:
    return all(
        rules.complement_publishes(outside_offers=offers, outside_candidates=candidates)
        for offers, candidates in outsides
    )


def _breakdown(source, columns, d, data, found, people, rules, outside) -> None:
    """One facet's breakdown entries into every cell of ``found``."""
    width = len(columns)
    data = data[data[:, width] > 0]  # offers that leave the field empty are in no entry
    if not len(data):
        return
    entries, entry_of = unique_rows(data[:, : width + 1])
    figures = grouped_figures(
        entry_of.ravel(),
        data[:, -2],
        data[:, -1],
        percentiles=SENIORITY_PERCENTILES,
        histogram=False,
    )
    entry_people = _by_key(source.people([*columns, d]), width + 1)
    alone = _by_key(source.alone(columns, d), width + 1)
    facet = FACET_OF[d]
    for i, entry in enumerate(entries.tolist()):
        key, code = tuple(entry[:width]), entry[width]
        cell = found[key]
        n = int(figures.offers[i])
        candidates, top = entry_people[tuple(entry)]
        withheld = rules.withheld(offers=n, candidates=candidates, top=top)
        if withheld is None:
            (alone_here,) = alone.get(tuple(entry), (0,))
            outsides = [(cell["offers"] - n, people[key][0] - alone_here)]
            if outside:
                outsides += outside(d, code)
            if not _complement(rules, outsides):
                withheld = COMPLEMENT
        published = withheld is None
        cell[BREAKDOWN[facet]][value_of(facet, code)] = {
            "offers": n,
            "candidates": candidates,
            "median": int(figures.percentiles[50][i]) if published else None,
            "p25": int(figures.percentiles[25][i]) if published else None,
            "p75": int(figures.percentiles[75][i]) if published else None,
            "withheld": withheld,
        }
