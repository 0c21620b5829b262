"""A faceted cell on demand: the figures of one published slice narrowed to any
combination of facets, from the facts the published set was computed from.

Two statements whatever the data size: the cell's fact rows (one slice, narrowed by
every facet, so a few thousand rows), and the counts the complement rule needs (for each
facet set, the offers of the slice that match every other facet but not this one,
with their distinct candidates, whole and per breakdown value), from one read of the
slice. The figures themselves
come from ``cells.cells_compute``, the function the refresh uses.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from django.db import connection

from salaries.disclosure import disclosure_rules
from salaries.engine.aggregation import DIMENSIONS, FactRows, facts_table
from salaries.engine.cells import cells_compute, empty_cell
from salaries.facets import COLUMN, code_of
from salaries.models import SalaryStat

ROW_COLUMNS = ["y", "c", "p", *DIMENSIONS]


def _slice_where(stat: SalaryStat) -> tuple[list[str], list]:
    where, params = ["t = %s", "y = %s"], [stat.technology_id or 0, stat.year]
    if stat.specialization_id:
        where.append("s = %s")
        params.append(stat.specialization_id)
    return where, params


def _outside_counts(cursor, stat: SalaryStat, codes: dict[str, int]) -> dict:
    """``(facet column, dimension or None, code or None) -> (offers, candidates)`` of the
    offers outside the cell for that facet: matching every other facet, not this one.

    The slice is read once: its rows that match all the facets but one at most are kept
    (a materialised CTE), and every count is taken from them."""
    table = facts_table()
    slice_where, slice_params = _slice_where(stat)
    matches = " + ".join(f"CASE WHEN {column} = %s THEN 1 ELSE 0 END" for column in codes)
    near = (
        f"WITH near AS MATERIALIZED (SELECT c, {', '.join(DIMENSIONS)} "  # noqa: S608
        f"FROM {table} WHERE {' AND '.join(slice_where)} AND {matches} >= %s)"
    )
    params = [*slice_params, *codes.values(), len(codes) - 1]
    selects = []
    for i, (column, code) in enumerate(codes.items()):
        where = [f"{column} <> %s"]
        where_params = [code]
        for other, other_code in codes.items():
            if other != column:
                where.append(f"{other} = %s")
                where_params.append(other_code)
        condition = " AND ".join(where)
        selects.append(
            f"SELECT {i}, -1, 0, COUNT(*), COUNT(DISTINCT c) FROM near WHERE {condition}"  # noqa: S608
        )
        params += where_params
        for j, d in enumerate(DIMENSIONS):
            if d not in codes:
                selects.append(
                    f"SELECT {i}, {j}, {d}, COUNT(*), COUNT(DISTINCT c) "  # noqa: S608
                    f"FROM near WHERE {condition} GROUP BY {d}"
                )
                params += where_params
    cursor.execute(f"{near} {' UNION ALL '.join(selects)}", params)
    columns = list(codes)
    found = {}
    for i, j, code, offers, candidates in cursor.fetchall():
        key = (columns[i], DIMENSIONS[j] if j >= 0 else None, code if j >= 0 else None)
        found[key] = (offers, candidates)
    return found


def faceted_figures(*, stat: SalaryStat, facets: Mapping[str, str]) -> dict:
    """The slice of ``stat`` narrowed to ``facets`` (canonical values, at least one), as
    ``SalaryStat`` fields, with the disclosure and complement rules applied."""
    codes = {COLUMN[facet]: code_of(facet, value) for facet, value in facets.items()}
    where, params = _slice_where(stat)
    for column, code in codes.items():
        where.append(f"{column} = %s")
        params.append(code)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(ROW_COLUMNS)} FROM {facts_table()} "  # noqa: S608
            f"WHERE {' AND '.join(where)}",
            params,
        )
        rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, len(ROW_COLUMNS))
        if not len(rows):
            return empty_cell()
        counts = _outside_counts(cursor, stat, codes)

    def outside(dimension: str | None, code: int | None) -> list[tuple[int, int]]:
        if dimension in codes:  # the entry is the cell itself
            dimension = code = None
        return [counts.get((column, dimension, code), (0, 0)) for column in codes]

    cells = cells_compute(
        FactRows.of_matrix(rows, ROW_COLUMNS), ["y"], disclosure_rules(), outside=outside
    )
    return cells[(stat.year,)]
