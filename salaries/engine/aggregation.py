"""The facts of a statistics run and the grouped reads the figures are computed from.

``facts_rebuild`` writes one row per offer and one per (offer, technology) pair into the
``SalaryFact`` table, with every facet as a small integer; it is kept with the published
set. ``Aggregation`` has the database group and count those rows (hash aggregation,
cheap): only grouped integer rows come out, never offers. ``FactRows`` answers the same
questions from rows already fetched (a faceted cell on demand is a few thousand rows).

The SQL is assembled from the models' table and column names, quoted with
``connection.ops.quote_name``, and from constants of this module and of
``salaries.facets`` (the fact columns s, t, y, c, p, l, e, r, k); values travel as query
parameters. Nothing a person typed reaches the SQL text.
"""

from __future__ import annotations

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


def facts_rebuild(cursor, year: int | None) -> None:
    """Replace the facts (of one year, or all) with the offers as they are now."""
    table = facts_table()
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
        cursor.execute(f"DELETE FROM {table} WHERE y = %s", [year])  # noqa: S608
        where = f"WHERE o.{offered_on} >= %s AND o.{offered_on} < %s"
        where_params = [date(year, 1, 1), date(year + 1, 1, 1)]
    else:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    columns = "(s, t, y, c, p, l, e, r, k)"
    spec = f"o.{_column(Offer, 'specialization')}"
    cursor.execute(
        f"INSERT INTO {table} {columns} SELECT {spec}, 0, {values} "  # noqa: S608
        f"FROM {offer} o {where}",
        params + where_params,
    )
    cursor.execute(
        f"INSERT INTO {table} {columns} "  # noqa: S608
        f"SELECT {spec}, ot.{_column(OfferTechnology, 'technology')}, {values} "
        f"FROM {link} ot JOIN {offer} o "
        f"ON o.{_column(Offer, 'id')} = ot.{_column(OfferTechnology, 'offer')} {where}",
        params + where_params,
    )
    if connection.vendor == "postgresql":
        # The planner needs fresh row counts to choose hash aggregation.
        cursor.execute(f"ANALYZE {table}")


def _array(rows, width: int) -> np.ndarray:
    return np.array(rows, dtype=np.int64).reshape(-1, width)


class Aggregation:
    """Grouped reads of the facts rows that match ``where`` (SQL over the fact columns,
    with ``params``). ``materialise`` keeps the one candidate-level grouping in a
    temporary table for the reads that share it (worth it for a whole refresh)."""

    def __init__(self, cursor, where: str, params: list, *, materialise: bool = False):
        self.cursor = cursor
        self.vendor = connection.vendor
        self.where = where
        self.params = list(params)
        self.materialise = materialise
        self._people_of: str | None = None

    def _facts(self) -> str:
        return f"{facts_table()} WHERE {self.where}"

    def grouped(self, columns: list[str]) -> np.ndarray:
        """``columns, salary, offers`` rows as an (n, k + 2) int64 array.

        The database groups by ``columns`` and salary and packs each group's
        ``(salary, offers)`` pairs into one text list (salary × 2³² + offers), so a few
        thousand rows cross the wire instead of millions, and numpy parses them in C.
        """
        names = ", ".join(columns)
        packed = "p * 4294967296 + n"
        concat = {
            "postgresql": f"string_agg(CAST({packed} AS text), ',')",
            "sqlite": f"group_concat({packed}, ',')",
        }[self.vendor]
        self.cursor.execute(
            f"SELECT {names}, {concat} FROM ("  # noqa: S608
            f"SELECT {names}, p, COUNT(*) AS n FROM {self._facts()} "
            f"GROUP BY {names}, p) grouped GROUP BY {names}",
            self.params,
        )
        keys, chunks = [], []
        for *key, values in self.cursor.fetchall():
            pairs = np.array(values.split(","), dtype=np.int64)
            keys.append(np.broadcast_to(np.array(key, dtype=np.int64), (len(pairs), len(key))))
            chunks.append(np.stack([pairs >> 32, pairs & 0xFFFFFFFF], axis=1))
        if not chunks:
            return np.empty((0, len(columns) + 2), dtype=np.int64)
        return np.concatenate([np.concatenate(keys), np.concatenate(chunks)], axis=1)

    def people(self, columns: list[str]) -> np.ndarray:
        """``columns, distinct candidates, most offers of one candidate`` per group."""
        names = ", ".join(columns)
        self.cursor.execute(
            f"SELECT {names}, COUNT(*), MAX(n) FROM ("  # noqa: S608
            f"SELECT {names}, c, COUNT(*) AS n FROM {self._facts()} "
            f"GROUP BY {names}, c) people GROUP BY {names}",
            self.params,
        )
        return _array(self.cursor.fetchall(), len(columns) + 2)

    def _candidates(self, columns: list[str]) -> tuple[str, list]:
        """The one candidate-level grouping: per group and candidate, the offers and the
        lowest and highest code of every facet."""
        names = ", ".join(columns)
        ranges = ", ".join(f"MIN({d}) AS {d}0, MAX({d}) AS {d}1" for d in DIMENSIONS)
        select = (
            f"SELECT {names}, c, COUNT(*) AS n, {ranges} "  # noqa: S608
            f"FROM {self._facts()} GROUP BY {names}, c"
        )
        if not self.materialise:
            return f"({select}) candidates", self.params
        if self._people_of != names:
            self.close()
            self.cursor.execute(
                f"CREATE TEMPORARY TABLE salary_candidates AS {select}", self.params
            )
            self._people_of = names
        return "salary_candidates", []

    def slice_people(self, columns: list[str]) -> np.ndarray:
        names = ", ".join(columns)
        source, params = self._candidates(columns)
        self.cursor.execute(
            f"SELECT {names}, COUNT(*), MAX(n) FROM {source} GROUP BY {names}",  # noqa: S608
            params,
        )
        return _array(self.cursor.fetchall(), len(columns) + 2)

    def alone(self, columns: list[str], dimension: str) -> np.ndarray:
        """``columns, code, candidates`` for the candidates all of whose offers in the group
        have this code of ``dimension`` (everyone else has offers outside it)."""
        names = ", ".join(columns)
        source, params = self._candidates(columns)
        self.cursor.execute(
            f"SELECT {names}, {dimension}0, COUNT(*) FROM {source} "  # noqa: S608
            f"WHERE {dimension}0 = {dimension}1 GROUP BY {names}, {dimension}0",
            params,
        )
        return _array(self.cursor.fetchall(), len(columns) + 2)

    def close(self) -> None:
        if self._people_of is not None:
            self.cursor.execute("DROP TABLE IF EXISTS salary_candidates")
            self._people_of = None


def _unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(matrix):
        return matrix, np.empty(0, dtype=np.int64)
    unique, inverse = np.unique(matrix, axis=0, return_inverse=True)
    return unique, inverse.ravel()


class FactRows:
    """The reads of ``Aggregation``, answered by numpy from fact rows already fetched
    (columns named by ``names``)."""

    def __init__(self, rows: np.ndarray, names: list[str]):
        self.rows = rows
        self.index = {name: i for i, name in enumerate(names)}

    def _cols(self, names: list[str]) -> np.ndarray:
        return self.rows[:, [self.index[name] for name in names]]

    def grouped(self, columns: list[str]) -> np.ndarray:
        unique, inverse = _unique_rows(self._cols([*columns, "p"]))
        counts = np.bincount(inverse, minlength=len(unique)).astype(np.int64)
        return np.concatenate([unique, counts[:, None]], axis=1)

    def _per_candidate(self, columns: list[str]):
        unique, inverse = _unique_rows(self._cols([*columns, "c"]))
        counts = np.bincount(inverse, minlength=len(unique)).astype(np.int64)
        return unique, inverse, counts

    def people(self, columns: list[str]) -> np.ndarray:
        unique, _, counts = self._per_candidate(columns)
        groups, inverse = _unique_rows(unique[:, :-1])
        candidates = np.bincount(inverse, minlength=len(groups)).astype(np.int64)
        top = np.zeros(len(groups), dtype=np.int64)
        np.maximum.at(top, inverse, counts)
        return np.concatenate([groups, candidates[:, None], top[:, None]], axis=1)

    slice_people = people

    def alone(self, columns: list[str], dimension: str) -> np.ndarray:
        unique, inverse, _ = self._per_candidate(columns)
        values = self.rows[:, self.index[dimension]]
        low = np.full(len(unique), np.iinfo(np.int64).max)
        high = np.full(len(unique), np.iinfo(np.int64).min)
        np.minimum.at(low, inverse, values)
        np.maximum.at(high, inverse, values)
        same = low == high
        keyed = np.concatenate([unique[same, :-1], low[same, None]], axis=1)
        groups, inverse = _unique_rows(keyed)
        counts = np.bincount(inverse, minlength=len(groups)).astype(np.int64)
        return np.concatenate([groups, counts[:, None]], axis=1)

    def close(self) -> None:
        pass
