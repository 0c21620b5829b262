"""A faceted cell on demand: the figures of one published slice narrowed to any
combination of facets, from the facts the published set was computed from.

One statement whatever the data size: the slice's fact rows that match every facet but
one at most. The cell is the rows that match them all; the counts the complement rule
needs (for each facet set, the offers of the slice that match every other facet but not
this one, with their distinct candidates, whole and per breakdown value) come from the
others, counted in numpy. The figures themselves come from ``cells.cells_compute``, the
function the refresh uses.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from django.db import connection

from salaries.disclosure import disclosure_rules
from salaries.engine.aggregation import DIMENSIONS, FactRows, facts_select
from salaries.engine.cells import cells_compute, empty_cell
from salaries.facets import COLUMN, code_of
from salaries.models import SalaryStat

ROW_COLUMNS = ["c", "p", *DIMENSIONS]  # and the year, the same on every row


def _slice_where(stat: SalaryStat) -> tuple[list[str], list]:
    where, params = ["t = %s", "y = %s"], [stat.technology_id or 0, stat.year]
    if stat.specialization_id:
        where.append("s = %s")
        params.append(stat.specialization_id)
    return where, params


def _outside_counts(near: Mapping[str, np.ndarray], codes: dict[str, int]) -> dict:
    """``(facet column, dimension or None, code or None) -> (offers, candidates)`` of the
    offers outside the cell for that facet: matching every other facet, not this one
    (``near``: the slice's rows that match every facet but one at most)."""
    matches = {column: near[column] == code for column, code in codes.items()}
    found = {}
    for column in codes:
        outside = ~matches[column]
        for other in codes:
            if other != column:
                outside &= matches[other]
        candidates = near["c"][outside]
        found[column, None, None] = (len(candidates), len(np.unique(candidates)))
        for d in DIMENSIONS:
            if d in codes or not len(candidates):
                continue
            people = FactRows({d: near[d][outside], "c": candidates}).people([d])
            offers = np.bincount(near[d][outside], minlength=people[-1, 0] + 1)
            for code, distinct, _ in people.tolist():
                found[column, d, code] = (int(offers[code]), distinct)
    return found


def faceted_figures(*, stat: SalaryStat, facets: Mapping[str, str]) -> dict:
    """The slice of ``stat`` narrowed to ``facets`` (canonical values, at least one), as
    ``SalaryStat`` fields, with the disclosure and complement rules applied."""
    codes = {COLUMN[facet]: code_of(facet, value) for facet, value in facets.items()}
    where, params = _slice_where(stat)
    matches = " + ".join(f"CASE WHEN {column} = %s THEN 1 ELSE 0 END" for column in codes)
    where.append(f"{matches} >= %s")
    params += [*codes.values(), len(codes) - 1]
    with connection.cursor() as cursor:
        near = facts_select(cursor, ROW_COLUMNS, " AND ".join(where), params)
    inside = np.ones(len(near["c"]), dtype=bool)
    for column, code in codes.items():
        inside &= near[column] == code
    if not inside.any():
        return empty_cell()
    cell = {name: values[inside] for name, values in near.items()}
    cell["y"] = np.broadcast_to(np.int16(stat.year), (int(np.count_nonzero(inside)),))
    counts = _outside_counts(near, codes)

    def outside(dimension: str | None, code: int | None) -> list[tuple[int, int]]:
        if dimension in codes:  # the entry is the cell itself
            dimension = code = None
        return [counts.get((column, dimension, code), (0, 0)) for column in codes]

    cells = cells_compute(FactRows(cell), ["y"], disclosure_rules(), outside=outside)
    return cells[(stat.year,)]
