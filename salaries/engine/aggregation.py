"""The facts of a statistics run and the grouped reads the figures are computed from.

``facts_rebuild`` writes one row per offer and one per (offer, technology) pair into the
``SalaryFact`` table, with every facet as a small integer; it is kept with the published
set. ``facts_read`` reads one year's facts back as integer columns (a binary ``COPY`` on
PostgreSQL, parsed by numpy as it streams in), and ``FactRows`` groups and counts them:
every read sorts one packed integer key per row, so a pass over a million facts takes
milliseconds. A faceted cell on demand goes through the same ``FactRows`` with its few
thousand rows.

The SQL is assembled from the models' table and column names, quoted with
``connection.ops.quote_name``, and from constants of this module and of
``salaries.facets`` (the fact columns s, t, y, c, p, l, e, r, k); values travel as query
parameters. Nothing a person typed reaches the SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
from django.db import connection

from salaries.facets import CODES
from salaries.models import Offer, OfferTechnology, SalaryFact

DIMENSIONS = ("l", "e", "r", "k")  # the facet columns, in the order of facets.FACETS
YEAR_SQL = {  # only in statements with parameters, hence the doubled %
    "postgresql": "EXTRACT(YEAR FROM o.{column})",
    "sqlite": "strftime('%%Y', o.{column})",
}
ASCII_SQL = {"postgresql": "ascii", "sqlite": "unicode"}


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model, name: str) -> str:
    return _q(model._meta.get_field(name).column)


def facts_table() -> str:
    return _q(SalaryFact._meta.db_table)


def _code_sql(column: str, codes: dict[str, int]) -> tuple[str, list]:
    sql = f"CASE o.{column} " + " ".join("WHEN %s THEN %s" for _ in codes) + " ELSE 0 END"
    return sql, [value for pair in codes.items() for value in pair]


def facts_rebuild(cursor, year: int | None) -> str:
    """Write the facts (of one year, or all) as the offers are now, and return the table
    that holds them until ``facts_publish``.

    On PostgreSQL that is a fresh table, loaded without indexes in the order of the
    slice index and indexed once full: refilling the published table in place would
    update its two indexes row by row among the deleted rows' entries, several times
    slower at a million offers. Readers of the published facts are not held up meanwhile.
    Elsewhere (SQLite, small data) the published table is refilled in place.
    """
    table = facts_table()
    if connection.vendor == "postgresql":
        target = _q(SalaryFact._meta.db_table + FRESH)
        cursor.execute(f"DROP TABLE IF EXISTS {target}")
        cursor.execute(f"CREATE TABLE {target} (LIKE {table} INCLUDING ALL EXCLUDING INDEXES)")
        if year is not None:  # the other years' facts as they are
            names = ", ".join(FACT_COLUMNS)
            cursor.execute(
                f"INSERT INTO {target} ({names}) SELECT {names} FROM {table} "  # noqa: S608
                "WHERE y <> %s ORDER BY t, y, s",
                [year],
            )
    else:
        target = table
        if year is not None:
            cursor.execute(f"DELETE FROM {table} WHERE y = %s", [year])  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    _facts_insert(cursor, target, year)
    if target != table:
        pk = _q(SalaryFact._meta.pk.column)
        cursor.execute(f"ALTER TABLE {target} ADD PRIMARY KEY ({pk})")
        for index in SalaryFact._meta.indexes:
            fields = ", ".join(_column(SalaryFact, name) for name in index.fields)
            cursor.execute(f"CREATE INDEX {_q(index.name + FRESH)} ON {target} ({fields})")
    if connection.vendor == "postgresql":
        # Fresh row counts for the planner of the reads on demand.
        cursor.execute(f"ANALYZE {target}")
    return target


FRESH = "_fresh"


def facts_publish(cursor, target: str) -> None:
    """Put the facts of ``facts_rebuild`` in place of the published ones, at the end of
    the refresh's transaction: the old table is dropped and the fresh one takes its name,
    its indexes' and its sequence's (readers wait only for the commit, a moment)."""
    table = facts_table()
    if target == table:
        return
    name = SalaryFact._meta.db_table
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"ALTER TABLE {target} RENAME TO {table}")
    cursor.execute(f"ALTER INDEX {_q(name + FRESH + '_pkey')} RENAME TO {_q(name + '_pkey')}")
    for index in SalaryFact._meta.indexes:
        cursor.execute(f"ALTER INDEX {_q(index.name + FRESH)} RENAME TO {_q(index.name)}")
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [name, SalaryFact._meta.pk.column])
    (sequence,) = cursor.fetchone()
    if sequence:
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {_q(name + '_id_seq')}")


def _facts_insert(cursor, target: str, year: int | None) -> None:
    offer, link = _q(Offer._meta.db_table), _q(OfferTechnology._meta.db_table)
    offered_on = _column(Offer, "offered_on")
    year_sql = YEAR_SQL[connection.vendor].format(column=offered_on)
    level_sql, level_params = _code_sql(_column(Offer, "seniority"), CODES["seniority"])
    english_sql, english_params = _code_sql(_column(Offer, "english_level"), CODES["english_level"])
    remote = _column(Offer, "remote")
    country = _column(Offer, "country")
    ascii_ = ASCII_SQL[connection.vendor]
    country_sql = (
        f"CASE WHEN length(o.{country}) = 2 THEN "
        f"({ascii_}(upper(substr(o.{country}, 1, 1))) - 64) * 32 "
        f"+ {ascii_}(upper(substr(o.{country}, 2, 1))) - 64 ELSE 0 END"
    )
    values = (
        f"CAST({year_sql} AS integer), o.{_column(Offer, 'candidate')}, "
        f"o.{_column(Offer, 'salary')}, {level_sql}, {english_sql}, "
        f"CASE WHEN o.{remote} IS NULL THEN 0 WHEN o.{remote} THEN 1 ELSE 2 END, {country_sql}"
    )
    params = level_params + english_params
    where, where_params = "", []
    if year is not None:
        where = f"WHERE o.{offered_on} >= %s AND o.{offered_on} < %s"
        where_params = [date(year, 1, 1), date(year + 1, 1, 1)]
    columns = "(s, t, y, c, p, l, e, r, k)"
    # Written in the order of the slice index (t, y, s), so that a slice's rows sit
    # together on disk for the reads on demand.
    spec = f"o.{_column(Offer, 'specialization')}"
    cursor.execute(
        f"INSERT INTO {target} {columns} SELECT {spec}, 0, {values} "  # noqa: S608
        f"FROM {offer} o {where} ORDER BY 3, 1",
        params + where_params,
    )
    cursor.execute(
        f"INSERT INTO {target} {columns} "  # noqa: S608
        f"SELECT {spec}, ot.{_column(OfferTechnology, 'technology')}, {values} "
        f"FROM {link} ot JOIN {offer} o "
        f"ON o.{_column(Offer, 'id')} = ot.{_column(OfferTechnology, 'offer')} {where} "
        "ORDER BY 2, 3, 1",
        params + where_params,
    )


FACT_COLUMNS = ("s", "t", "y", "c", "p", *DIMENSIONS)
# The binary COPY record of a fact row: a field count, then for each column its length
# and its value, big-endian, in the column types of ``SalaryFact`` (no column is NULL).
_FACT_TYPES = {"s": ">i8", "t": ">i8", "y": ">i2", "c": ">i8", "p": ">i4"} | dict.fromkeys(
    DIMENSIONS, ">i2"
)
_RECORD = np.dtype(
    [("fields", ">i2")]
    + [
        item
        for name in FACT_COLUMNS
        for item in ((f"{name}_size", ">i4"), (name, _FACT_TYPES[name]))
    ]
)
_COPY_HEADER = 19  # signature (11 bytes), flags (4), header extension length (4, zero)
_COPY_CHUNK = 8 * 1024 * 1024


def facts_years(cursor, table: str) -> list[int]:
    cursor.execute(f"SELECT DISTINCT y FROM {table} ORDER BY y")  # noqa: S608
    return [year for (year,) in cursor.fetchall()]


def facts_read(cursor, year: int, *, technologies: bool, table: str | None = None) -> FactRows:
    """One year's facts (of the published table, or of ``table``): the (offer,
    technology) rows if ``technologies``, else the offers themselves (t = 0)."""
    condition = "t <> 0" if technologies else "t = 0"
    select = (
        f"SELECT {', '.join(FACT_COLUMNS)} FROM {table or facts_table()} "  # noqa: S608
        f"WHERE y = %s AND {condition}"
    )
    if connection.vendor != "postgresql":
        cursor.execute(select, [year])
        rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, len(FACT_COLUMNS))
        return FactRows.of_matrix(rows, FACT_COLUMNS)
    parts: list[np.ndarray] = []
    pending = bytearray()
    skip = _COPY_HEADER
    with cursor.cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT BINARY)", [year]) as copy:
        for block in copy:
            pending += block
            if len(pending) >= _COPY_CHUNK + skip:
                skip = _copy_parse(pending, skip, parts)
        _copy_parse(pending, skip, parts)
    if not parts:
        return FactRows({name: np.empty(0, dtype=np.int64) for name in FACT_COLUMNS})
    return FactRows({name: np.concatenate([part[name] for part in parts]) for name in FACT_COLUMNS})


def _copy_parse(pending: bytearray, skip: int, parts: list) -> int:
    """Parse the whole records of ``pending`` (after ``skip`` bytes) into narrow native
    columns, leaving the rest (a record cut in two, or the trailer) in ``pending``."""
    whole = (len(pending) - skip) // _RECORD.itemsize
    if not whole:
        return skip
    end = skip + whole * _RECORD.itemsize
    records = np.frombuffer(pending, dtype=_RECORD, count=whole, offset=skip)
    parts.append({name: _narrow(records[name]) for name in FACT_COLUMNS})
    del records  # releases the buffer, so that pending may shrink
    del pending[:end]
    return 0


def _narrow(values: np.ndarray) -> np.ndarray:
    """Native byte order, in the smallest of int16/int32/int64 that holds the values."""
    for dtype in (np.int16, np.int32):
        info = np.iinfo(dtype)
        if not len(values) or (values.min() >= info.min and values.max() <= info.max):
            return values.astype(dtype)
    return values.astype(np.int64)


def _pack(columns: Sequence[np.ndarray]) -> tuple[np.ndarray | None, list[tuple[int, int]]]:
    """One int64 key per row that sorts like the rows of ``columns`` (lexicographically),
    and each column's (lowest value, bits); no key when the columns' spans need more than
    62 bits together."""
    layout = []
    for column in columns:
        low = int(column.min())
        layout.append((low, (int(column.max()) - low).bit_length()))
    if sum(width for _, width in layout) > 62:
        return None, layout
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, (low, width) in zip(columns, layout, strict=True):
        if width:
            key <<= width
            key |= column.astype(np.int64) - low
    return key, layout


def distinct_rows(columns: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of ``columns`` in lexicographic order (as int64 columns), and
    how many rows each stands for."""
    n = len(columns[0]) if columns else 0
    if not n:
        return [np.empty(0, dtype=np.int64) for _ in columns], np.empty(0, dtype=np.int64)
    key, layout = _pack(columns)
    if key is not None:
        key.sort()
        order = None
        changed = key[1:] != key[:-1]
    else:
        order = np.lexsort(list(columns)[::-1])
        changed = np.zeros(n - 1, dtype=bool)
        for column in columns:
            ordered = column[order]
            changed |= ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(np.r_[True, changed])
    counts = np.diff(np.r_[starts, n]).astype(np.int64)
    rows = starts if order is None else order[starts]
    if key is None:
        return [np.asarray(column, dtype=np.int64)[rows] for column in columns], counts
    # Read the values back from the sorted keys rather than from the unsorted columns.
    first = key[starts]
    out, shift = [], 0
    for low, width in reversed(layout):
        out.append(((first >> shift) & ((1 << width) - 1)) + low)
        shift += width
    return out[::-1], counts


def unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(matrix, axis=0, return_inverse=True)``, fast for rows already in order
    (every grouped read returns its rows sorted)."""
    if not len(matrix):
        return matrix, np.empty(0, dtype=np.int64)
    columns = [matrix[:, j] for j in range(matrix.shape[1])]
    key, _ = _pack(columns)
    if key is None or (len(key) > 1 and not np.all(key[1:] >= key[:-1])):
        unique, inverse = np.unique(matrix, axis=0, return_inverse=True)
        return unique, inverse.ravel()
    starts = np.r_[True, key[1:] != key[:-1]]
    return matrix[starts], np.cumsum(starts) - 1


def _prefix_runs(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Where each run of equal rows of ``columns`` (sorted) starts."""
    n = len(columns[0])
    changed = np.zeros(max(n - 1, 0), dtype=bool)
    for column in columns:
        changed |= column[1:] != column[:-1]
    return np.flatnonzero(np.r_[True, changed]) if n else np.empty(0, dtype=np.int64)


def _stack(columns: Sequence[np.ndarray]) -> np.ndarray:
    return np.stack([np.asarray(c, dtype=np.int64) for c in columns], axis=1)


class FactRows:
    """Grouped reads of fact rows held as integer columns (``s t y c p l e r k``, or any
    subset): each returns its groups in sorted order as an int64 matrix."""

    def __init__(self, columns: Mapping[str, np.ndarray]):
        self.columns = dict(columns)

    @classmethod
    def of_matrix(cls, rows: np.ndarray, names: Sequence[str]) -> FactRows:
        return cls({name: rows[:, i] for i, name in enumerate(names)})

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def _cols(self, names: Sequence[str]) -> list[np.ndarray]:
        return [self.columns[name] for name in names]

    def grouped(self, columns: list[str]) -> np.ndarray:
        """``columns, salary, offers``: the offers at each salary of each group."""
        values, counts = distinct_rows(self._cols([*columns, "p"]))
        return _stack([*values, counts])

    def people(self, columns: list[str]) -> np.ndarray:
        """``columns, distinct candidates, most offers of one candidate`` per group."""
        values, offers = distinct_rows(self._cols([*columns, "c"]))
        if not len(offers):
            return np.empty((0, len(columns) + 2), dtype=np.int64)
        starts = _prefix_runs(values[:-1])
        candidates = np.diff(np.r_[starts, len(offers)])
        top = np.maximum.reduceat(offers, starts)
        return _stack([*(v[starts] for v in values[:-1]), candidates, top])

    slice_people = people

    def alone(self, columns: list[str], dimension: str) -> np.ndarray:
        """``columns, code, candidates`` for the candidates all of whose offers in the group
        have this code of ``dimension`` (everyone else has offers outside it)."""
        values, _ = distinct_rows(self._cols([*columns, "c", dimension]))
        if not len(values[0]):
            return np.empty((0, len(columns) + 2), dtype=np.int64)
        starts = _prefix_runs(values[:-1])
        single = np.diff(np.r_[starts, len(values[0])]) == 1
        kept = [v[starts[single]] for i, v in enumerate(values) if i != len(columns)]
        if not len(kept[0]):
            return np.empty((0, len(columns) + 2), dtype=np.int64)
        groups, counts = distinct_rows(kept)
        return _stack([*groups, counts])

    def close(self) -> None:
        pass
