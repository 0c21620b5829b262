"""The grouped reads of a statistics refresh, and the int64 keys that name its slices.

The database groups and counts (hash aggregation, cheap); only grouped integer rows come
out, never offers. The SQL is assembled from the models' table and column names, quoted
with ``connection.ops.quote_name``, and from constants of this module (the aliases s, t,
y, l, p, c, n and the integer level codes); the year and the seniority values travel as
query parameters. Nothing a person typed reaches the SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection

from salaries.models import Offer, OfferTechnology, Seniority

# Seniority levels as small integers inside the aggregation; 0 is "no seniority".
LEVEL_CODES = {level: code for code, level in enumerate(Seniority.values, start=1)}
LEVEL_NAMES = {code: level for level, code in LEVEL_CODES.items()}
WHOLE_SLICE = 7  # the level code that stands for "every offer of the slice"
LEVEL_BITS = 3  # the level sits in a key's lowest bits: key & 0x7, key | WHOLE_SLICE
YEAR_SQL = {  # only in statements with parameters, hence the doubled %
    "postgresql": "EXTRACT(YEAR FROM o.{column})",
    "sqlite": "strftime('%%Y', o.{column})",
}


class SliceKeyOverflow(ValueError):
    """A value that the slice keys cannot hold; a refresh stops rather than merge slices."""


def _bits(count: int) -> int:
    return int(count).bit_length()


@dataclass(frozen=True)
class SliceKeys:
    """One int64 per (specialization, technology, year, level), exactly. A key holds the
    specialization's and the technology's rank among the ids present (0 is "all"), not
    the ids themselves, so ids of any size fit; every part gets the bits it needs, and a
    value outside what the keys were made for is refused, never cut (a cut id would merge
    two slices)."""

    specs: np.ndarray  # the specialization ids present, sorted, 0 first
    techs: np.ndarray  # the technology ids present, sorted, 0 first
    year_bits: int

    @classmethod
    def fitting(cls, *, specs: np.ndarray, techs: np.ndarray, years: np.ndarray) -> SliceKeys:
        """Keys for these specialization ids, technology ids and years."""
        specs = np.unique(np.concatenate([[0], np.asarray(specs, dtype=np.int64)]))
        techs = np.unique(np.concatenate([[0], np.asarray(techs, dtype=np.int64)]))
        years = np.asarray(years, dtype=np.int64)
        keys = cls(specs, techs, _bits(years.max()) if years.size else 0)
        need = keys._spec_shift + _bits(len(specs) - 1)
        if need > 63 or (years.size and years.min() < 0):
            raise SliceKeyOverflow(
                f"{len(specs) - 1} specializations, {len(techs) - 1} technologies and years "
                f"up to {years.max()} need {need} bits, more than a 63-bit slice key holds"
            )
        return keys

    @property
    def _year_shift(self) -> int:
        return LEVEL_BITS

    @property
    def _tech_shift(self) -> int:
        return LEVEL_BITS + self.year_bits

    @property
    def _spec_shift(self) -> int:
        return self._tech_shift + _bits(len(self.techs) - 1)

    @staticmethod
    def _ranks(ids: np.ndarray, values, what: str) -> np.ndarray:
        values = np.asarray(values, dtype=np.int64)
        ranks = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
        unknown = ids[ranks] != values
        if unknown.any():
            raise SliceKeyOverflow(f"{what} id {values[unknown][0]} is not among the keys' ids")
        return ranks

    def encode(self, spec, tech, year, level) -> np.ndarray:
        year = np.asarray(year, dtype=np.int64)
        level = np.asarray(level, dtype=np.int64)
        if (year.size and (year.min() < 0 or year.max() >> self.year_bits)) or (
            level.size and (level.min() < 0 or level.max() >> LEVEL_BITS)
        ):
            raise SliceKeyOverflow("a year or a level outside what the keys were made for")
        return (
            (self._ranks(self.specs, spec, "specialization") << self._spec_shift)
            | (self._ranks(self.techs, tech, "technology") << self._tech_shift)
            | (year << self._year_shift)
            | level
        )

    def decode(self, key: int) -> tuple[int | None, int | None, int, int]:
        """``(specialization id or None, technology id or None, year, level)``."""
        level = key & ((1 << LEVEL_BITS) - 1)
        year = (key >> self._year_shift) & ((1 << self.year_bits) - 1)
        tech = (key >> self._tech_shift) & ((1 << _bits(len(self.techs) - 1)) - 1)
        spec = key >> self._spec_shift
        return int(self.specs[spec]) or None, int(self.techs[tech]) or None, year, level


class Aggregation:
    """The grouped reads of one refresh: every (offer, technology) pair joined once into a
    temporary table ("facts"), and the offers alone ("offers")."""

    def __init__(self, cursor, year: int | None):
        self.cursor = cursor
        self.vendor = connection.vendor
        q = connection.ops.quote_name
        offer = q(Offer._meta.db_table)
        link = q(OfferTechnology._meta.db_table)

        def column(model, name):
            return q(model._meta.get_field(name).column)

        offered_on = column(Offer, "offered_on")
        year_sql = YEAR_SQL[self.vendor].format(column=offered_on)
        level_sql = (
            f"CASE o.{column(Offer, 'seniority')} "
            + " ".join("WHEN %s THEN %s" for _ in LEVEL_CODES)
            + " ELSE 0 END"
        )
        params: list = [value for pair in LEVEL_CODES.items() for value in pair]
        where = ""
        if year is not None:
            where = f"WHERE o.{offered_on} >= %s AND o.{offered_on} < %s"
            params += [date(year, 1, 1), date(year + 1, 1, 1)]
        self.offers_params = params
        self.offers_sql = (
            f"SELECT o.{column(Offer, 'specialization')} AS s, "  # noqa: S608
            f"CAST({year_sql} AS integer) AS y, {level_sql} AS l, "
            f"o.{column(Offer, 'salary')} AS p, o.{column(Offer, 'candidate')} AS c "
            f"FROM {offer} o {where}"
        )
        self.cursor.execute("DROP TABLE IF EXISTS salary_facts")
        self.cursor.execute(
            "CREATE TEMPORARY TABLE salary_facts AS "  # noqa: S608
            f"SELECT o.{column(Offer, 'specialization')} AS s, "
            f"ot.{column(OfferTechnology, 'technology')} AS t, "
            f"CAST({year_sql} AS integer) AS y, {level_sql} AS l, "
            f"o.{column(Offer, 'salary')} AS p, o.{column(Offer, 'candidate')} AS c "
            f"FROM {link} ot JOIN {offer} o "
            f"ON o.{column(Offer, 'id')} = ot.{column(OfferTechnology, 'offer')} {where}",
            params,
        )
        if self.vendor == "postgresql":
            # Temporary tables have no statistics until analysed; the planner needs the
            # row count to choose hash aggregation.
            self.cursor.execute("ANALYZE salary_facts")

    def close(self) -> None:
        self.cursor.execute("DROP TABLE IF EXISTS salary_facts")

    def _source(self, source: str) -> tuple[str, list]:
        if source == "facts":
            return "salary_facts", []
        return f"({self.offers_sql}) offers", self.offers_params

    def grouped(self, source: str, columns: str) -> np.ndarray:
        """``columns, salary, offers`` rows as an (n, k) int64 array.

        The database groups by ``columns`` and salary and packs each group's
        ``(salary, offers)`` pairs into one text list (salary × 2³² + offers), so a few
        thousand rows cross the wire instead of millions, and numpy parses them in C.
        """
        names = [c.strip() for c in columns.split(",")]
        packed = "p * 4294967296 + n"
        concat = {
            "postgresql": f"string_agg(CAST({packed} AS text), ',')",
            "sqlite": f"group_concat({packed}, ',')",
        }[self.vendor]
        table, params = self._source(source)
        self.cursor.execute(
            f"SELECT {columns}, {concat} FROM ("  # noqa: S608
            f"SELECT {columns}, p, COUNT(*) AS n FROM {table} "
            f"GROUP BY {columns}, p) grouped GROUP BY {columns}",
            params or None,
        )
        keys, chunks = [], []
        for *key, values in self.cursor.fetchall():
            pairs = np.array(values.split(","), dtype=np.int64)
            keys.append(np.broadcast_to(np.array(key, dtype=np.int64), (len(pairs), len(key))))
            chunks.append(np.stack([pairs >> 32, pairs & 0xFFFFFFFF], axis=1))
        if not chunks:
            return np.empty((0, len(names) + 2), dtype=np.int64)
        return np.concatenate([np.concatenate(keys), np.concatenate(chunks)], axis=1)

    def people(self, source: str, columns: str, keys: SliceKeys) -> dict[int, tuple[int, ...]]:
        """What the disclosure rules need about the people of each group of ``columns``
        (a subset of s, t, y, l), counted by the database from one row per (group,
        candidate): distinct candidates and the most offers one candidate holds; for
        whole slices (no ``l``) also, per level, how many candidates have every offer of
        the slice at that level (everyone else has offers outside it)."""
        names = [c.strip() for c in columns.split(",")]
        whole = "l" not in names
        only = "".join(
            f", SUM(CASE WHEN lo = {code} AND hi = {code} THEN 1 ELSE 0 END)"
            for code in LEVEL_NAMES
        )
        table, params = self._source(source)
        self.cursor.execute(
            f"SELECT {columns}, COUNT(*), MAX(n){only if whole else ''} FROM ("  # noqa: S608
            f"SELECT {columns}, c, COUNT(*) AS n, MIN(l) AS lo, MAX(l) AS hi "
            f"FROM {table} GROUP BY {columns}, c) people GROUP BY {columns}",
            params or None,
        )
        width = len(names) + 2 + (len(LEVEL_NAMES) if whole else 0)
        rows = np.array(self.cursor.fetchall(), dtype=np.int64).reshape(-1, width)
        get = dict(zip(names, rows.T, strict=False))
        zero = np.zeros(len(rows), dtype=np.int64)
        packed = keys.encode(
            get.get("s", zero),
            get.get("t", zero),
            get["y"],
            get.get("l", np.full(len(rows), WHOLE_SLICE)),
        )
        figures = rows[:, len(names) :].tolist()
        return dict(zip(packed.tolist(), map(tuple, figures), strict=True))
