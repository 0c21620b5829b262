"""The facts of a statistics run and the grouped reads the figures are computed from.

``facts_rebuild`` builds one row per offer and one per (offer, technology) pair, with
every facet as a small integer, a year at a time: it hands each year's rows to the
refresh as integer columns and writes them into the ``SalaryFact`` table, kept with the
published set. ``FactRows`` groups and counts such columns: every grouping sorts one
packed integer key per row, so a pass over a million facts takes milliseconds.
``facts_select`` reads published facts back the same way (a binary ``COPY`` on
PostgreSQL, parsed by numpy as it streams in), for a faceted cell on demand, which goes
through the same ``FactRows``.

The SQL is assembled from the models' table and column names, quoted with
``connection.ops.quote_name``, and from constants of this module and of
``salaries.facets`` (the fact columns s, t, y, c, p, l, e, r, k); values travel as query
parameters. Nothing a person typed reaches the SQL text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Max, Min

from salaries.facets import CODES
from salaries.models import Offer, OfferTechnology, SalaryFact

DIMENSIONS = ("l", "e", "r", "k")  # the facet columns, in the order of facets.FACETS
# The year of an offer in SQLite's facts (built in SQL there); only in statements with
# parameters, hence the doubled %.
SQLITE_YEAR = "strftime('%%Y', o.{column})"
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


FACT_COLUMNS = ("s", "t", "y", "c", "p", *DIMENSIONS)
FRESH = "_fresh"
# A year's facts up to this size are read while the figures of the year before are
# computed (at a million offers, about 20 MB a year); beyond it, after.
READ_AHEAD_BYTES = 64 * 2**20


@dataclass
class YearFacts:
    """One year's facts as integer columns: the (offer, technology) pairs, and the
    offers themselves (t = 0)."""

    year: int
    pairs: FactRows
    offers: FactRows

    def of(self, *, technologies: bool) -> FactRows:
        return self.pairs if technologies else self.offers

    @property
    def nbytes(self) -> int:
        return sum(
            values.nbytes for rows in (self.pairs, self.offers) for values in rows.columns.values()
        )

    def release(self) -> None:
        """Let go of the columns (once written and once the caller has moved on)."""
        self.pairs = self.offers = FactRows({name: np.empty(0, np.int16) for name in FACT_COLUMNS})


class FactsRebuild:
    """The facts (of one year, or all) as the offers are now, a year at a time.

    Iterating yields each year's ``YearFacts`` while writing them into ``table``, which
    holds the complete facts, indexed, once the iteration ends and until
    ``facts_publish`` puts it in place.

    On PostgreSQL the offers of the year and their technologies are read with two binary
    ``COPY``s, joined and ordered in numpy, and written with one binary ``COPY`` into a
    fresh table, in the order of the slice index (year, technology, specialization: a
    slice's facts lie together for the reads on demand); its keys are built once it is
    full. At a million offers that took 19 s where building them in SQL and reading them
    back took 33 s (a join, a sort and a read of four million rows; docs/benchmarks.md).
    Readers of the published facts are not held up meanwhile; a one-year refresh copies
    the other years' facts as they are. Elsewhere (SQLite, small data) the published
    table is refilled in place by ``INSERT … SELECT`` and each year read back.
    """

    def __init__(self, cursor, year: int | None):
        self.cursor, self.year = cursor, year
        postgresql = connection.vendor == "postgresql"
        self.table = _q(SalaryFact._meta.db_table + FRESH) if postgresql else facts_table()
        self._rows = 0  # in the fresh table so far
        self._pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> FactsRebuild:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:  # the connection is the caller's again
            self._pool.shutdown(wait=True, cancel_futures=True)

    def __iter__(self) -> Iterator[YearFacts]:
        """Each year's facts, let go of when the next is asked for.

        On PostgreSQL one worker thread, on the refresh's own connection, writes a
        year's facts while the caller works on them, and reads the next year's too
        unless a year's facts take more than ``READ_AHEAD_BYTES`` (then two large years
        are never held at once: at ten million offers that kept the peak under 1 GB).
        After the last year it builds the table's keys. The connection is only ever
        used by one thread at a time: the caller does not touch it between two years."""
        years = [self.year] if self.year is not None else facts_years()
        if connection.vendor != "postgresql":
            self._refill()
            for year in years:
                yield YearFacts(year, *(self._read(year, t) for t in (True, False)))
            return
        self._rows = self._create()
        if not years:
            self._index(self._rows)
            return
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facts")
        facts = _year_facts(self.cursor, years[0])
        for following in [*years[1:], None]:
            ahead = following is not None and facts.nbytes <= READ_AHEAD_BYTES
            pending = self._pool.submit(
                self._after, facts, following if ahead else None, last=following is None
            )
            yield facts
            upcoming = pending.result()
            facts.release()
            if following is not None:
                facts = upcoming if ahead else _year_facts(self.cursor, following)

    def _after(self, facts: YearFacts, year: int | None, *, last: bool) -> YearFacts | None:
        """Write a year's facts; then read the next year's (if ``year``), or after the
        last year build the keys (while the caller computes that year's figures)."""
        self._rows = self._write(facts, self._rows)
        if last:
            self._index(self._rows)
        return _year_facts(self.cursor, year) if year is not None else None

    def _refill(self) -> None:
        table = self.table
        if self.year is not None:
            self.cursor.execute(f"DELETE FROM {table} WHERE y = %s", [self.year])  # noqa: S608
        else:
            self.cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        names = ", ".join(FACT_COLUMNS)
        for sql, params in _facts_selects(self.year):
            self.cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # noqa: S608

    def _read(self, year: int, technologies: bool) -> FactRows:
        condition = "t > 0" if technologies else "t = 0"
        return FactRows(facts_select(self.cursor, FACT_COLUMNS, f"y = %s AND {condition}", [year]))

    def _create(self) -> int:
        """Make the fresh table (with the other years' facts, for a one-year refresh);
        return how many rows it holds."""
        pk = _q(SalaryFact._meta.pk.column)
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        columns = ", ".join(
            f"{_q(field.column)} {field.db_type(connection)} NOT NULL"
            for field in SalaryFact._meta.concrete_fields
        )
        self.cursor.execute(f"CREATE TABLE {self.table} ({columns})")
        if self.year is None:
            return 0
        names = ", ".join(FACT_COLUMNS)
        self.cursor.execute(
            f"INSERT INTO {self.table} ({pk}, {names}) "  # noqa: S608
            f"SELECT row_number() OVER (), {names} FROM {facts_table()} WHERE y <> %s",
            [self.year],
        )
        return max(self.cursor.rowcount, 0)

    def _write(self, facts: YearFacts, rows: int) -> int:
        """Append a year's facts (offers, then pairs, each in slice order) with ids after
        ``rows``; return the rows now in the table."""
        names = [SalaryFact._meta.pk.column, *FACT_COLUMNS]
        record = _record([(name, _FACT_TYPES[name]) for name in names])
        step = max(_COPY_CHUNK // record.itemsize, 1)
        columns = ", ".join(_q(name) for name in names)
        sql = f"COPY {self.table} ({columns}) FROM STDIN (FORMAT BINARY)"
        with self.cursor.cursor.copy(sql) as copy:
            copy.write(_COPY_SIGNATURE)
            for part in (facts.offers, facts.pairs):
                for begin in range(0, len(part), step):
                    chunk = part.columns["s"][begin : begin + step]
                    records = np.empty(len(chunk), dtype=record)
                    records["fields"] = len(names)
                    for name in names:
                        records[f"{name}_size"] = record[name].itemsize
                    records[names[0]] = np.arange(rows + 1, rows + 1 + len(chunk))
                    for name in FACT_COLUMNS:
                        records[name] = part.columns[name][begin : begin + step]
                    copy.write(records.tobytes())
                    rows += len(chunk)
            copy.write(_COPY_TRAILER)
        return rows

    def _index(self, rows: int) -> None:
        """The keys of the full table: ids go on from its last row; then fresh row counts
        for the planner of the reads on demand."""
        pk, table = _q(SalaryFact._meta.pk.column), self.table
        cursor = self.cursor.cursor  # the driver's: this may run in the worker thread
        cursor.execute(
            f"ALTER TABLE {table} ALTER COLUMN {pk} "
            f"ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {int(rows) + 1})"
        )
        cursor.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({pk})")
        for index in SalaryFact._meta.indexes:
            fields = ", ".join(_column(SalaryFact, name) for name in index.fields)
            cursor.execute(f"CREATE INDEX {_q(index.name + FRESH)} ON {table} ({fields})")
        cursor.execute(f"ANALYZE {table}")


def facts_rebuild(cursor, year: int | None) -> FactsRebuild:
    """The facts of the offers as they are now (of one year, or all): see ``FactsRebuild``."""
    return FactsRebuild(cursor, year)


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


def _offer_codes() -> tuple[list[tuple[str, str]], list]:
    """The facet codes of an offer ``o``: (fact column, SQL expression) for l, e, r and
    k, and the expressions' parameters."""
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
    remote_sql = f"CASE WHEN o.{remote} IS NULL THEN 0 WHEN o.{remote} THEN 1 ELSE 2 END"
    codes = list(zip(DIMENSIONS, (level_sql, english_sql, remote_sql, country_sql), strict=True))
    return codes, level_params + english_params


def _year_where(year: int | None) -> tuple[str, list]:
    if year is None:
        return "", []
    offered_on = _column(Offer, "offered_on")
    return (
        f"WHERE o.{offered_on} >= %s AND o.{offered_on} < %s",
        [date(year, 1, 1), date(year + 1, 1, 1)],
    )


def _facts_selects(year: int | None) -> list[tuple[str, list]]:
    """The SELECTs of the facts (columns ``FACT_COLUMNS``) of every offer, or one year's:
    the offers themselves (t = 0), then their (offer, technology) pairs (SQLite)."""
    offer, link = _q(Offer._meta.db_table), _q(OfferTechnology._meta.db_table)
    year_sql = SQLITE_YEAR.format(column=_column(Offer, "offered_on"))
    codes, codes_params = _offer_codes()
    where, where_params = _year_where(year)
    values = (
        f"CAST({year_sql} AS integer) AS y, o.{_column(Offer, 'candidate')} AS c, "
        f"o.{_column(Offer, 'salary')} AS p, "
        + ", ".join(f"{sql} AS {name}" for name, sql in codes)
    )
    spec = f"o.{_column(Offer, 'specialization')} AS s"
    params = codes_params + where_params
    return [
        (f"SELECT {spec}, 0 AS t, {values} FROM {offer} o {where}", params),  # noqa: S608
        (
            f"SELECT {spec}, ot.{_column(OfferTechnology, 'technology')} AS t, {values} "  # noqa: S608
            f"FROM {link} ot JOIN {offer} o "
            f"ON o.{_column(Offer, 'id')} = ot.{_column(OfferTechnology, 'offer')} {where}",
            params,
        ),
    ]


def _year_facts(cursor, year: int) -> YearFacts:
    """A year's facts from the offers (PostgreSQL): the offers with their codes and the
    year's (offer, technology) links, read with binary ``COPY``s and joined in numpy;
    each part in slice order."""
    offer, link = _q(Offer._meta.db_table), _q(OfferTechnology._meta.db_table)
    codes, codes_params = _offer_codes()
    where, where_params = _year_where(year)
    offers = _copy_columns(
        cursor,
        f"SELECT o.{_column(Offer, 'id')} AS id, o.{_column(Offer, 'specialization')} AS s, "  # noqa: S608
        f"o.{_column(Offer, 'candidate')} AS c, o.{_column(Offer, 'salary')} AS p, "
        + ", ".join(f"CAST({sql} AS smallint) AS {name}" for name, sql in codes)
        + f" FROM {offer} o {where}",
        codes_params + where_params,
        {"id": ">i8", "s": ">i8", "c": ">i8", "p": ">i4"} | dict.fromkeys(DIMENSIONS, ">i2"),
    )
    links = _copy_columns(
        cursor,
        f"SELECT ot.{_column(OfferTechnology, 'offer')}, "  # noqa: S608
        f"ot.{_column(OfferTechnology, 'technology')} FROM {link} ot JOIN {offer} o "
        f"ON o.{_column(Offer, 'id')} = ot.{_column(OfferTechnology, 'offer')} {where}",
        where_params,
        {"offer": ">i8", "t": ">i8"},
    )
    # The offers in slice order (specialization), then the links as their offers' rows,
    # ordered by technology and specialization before any column is copied: every
    # column is gathered once, and a year's rows are held at most twice over.
    offers = _reordered(offers, _order([offers["s"]]))
    ids = offers.pop("id")
    by_id = np.argsort(ids, kind="stable")
    at = by_id[np.searchsorted(ids, links.pop("offer"), sorter=by_id)]
    del ids, by_id
    if len(offers["s"]) < 2**31:
        at = at.astype(np.int32)
    technologies = links.pop("t")
    order = _order([technologies, offers["s"][at]])
    at, technologies = at[order], _narrow(technologies[order])
    del order
    pairs = {name: values[at] for name, values in offers.items()}
    del at
    return YearFacts(
        year,
        pairs=_fact_rows(pairs, year, technologies),
        offers=_fact_rows(offers, year, np.zeros(len(offers["s"]), dtype=np.int16)),
    )


def _order(columns: Sequence[np.ndarray]) -> np.ndarray:
    """The permutation that sorts the rows of ``columns`` lexicographically."""
    key, _ = _pack(columns) if len(columns[0]) else (None, None)
    if key is None:  # empty, or ids too wide to pack
        return np.lexsort(list(columns)[::-1])
    return np.argsort(key, kind="stable")


def _reordered(columns: dict[str, np.ndarray], order: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[order] for name, values in columns.items()}


def _fact_rows(columns: dict[str, np.ndarray], year: int, technologies: np.ndarray) -> FactRows:
    """A year's fact columns; the year, the same on every row, takes no memory."""
    n = len(technologies)
    return FactRows(
        {
            **{name: _narrow(columns[name]) for name in ("s", "c", "p", *DIMENSIONS)},
            "t": technologies,
            "y": np.broadcast_to(np.int16(year), (n,)),
        }
    )


def facts_select(cursor, columns: Sequence[str], where: str, params: list) -> dict:
    """``columns`` of the published facts ``where`` (SQL over the fact columns, values
    as parameters), as numpy columns: a binary ``COPY`` on PostgreSQL."""
    select = f"SELECT {', '.join(columns)} FROM {facts_table()} WHERE {where}"  # noqa: S608
    if connection.vendor == "postgresql":
        return _copy_columns(cursor, select, params, {name: _FACT_TYPES[name] for name in columns})
    cursor.execute(select, params)
    rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, len(columns))
    return {name: rows[:, i] for i, name in enumerate(columns)}


def facts_years() -> list[int]:
    """The years the offers span (from the offers' date index; a year without offers
    simply has no facts)."""
    span = Offer.objects.aggregate(first=Min("offered_on"), last=Max("offered_on"))
    if span["first"] is None:
        return []
    return list(range(span["first"].year, span["last"].year + 1))


# Binary COPY: a header (signature, flags, extension length), then each record as a field
# count and, per field, its length and its value, big-endian; a -1 field count ends it.
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_TRAILER = b"\xff\xff"
_COPY_CHUNK = 8 * 1024 * 1024
_FACT_TYPES = {  # the column types of SalaryFact
    "id": ">i8",
    **dict.fromkeys(("s", "t", "c"), ">i8"),
    "y": ">i2",
    "p": ">i4",
    **dict.fromkeys(DIMENSIONS, ">i2"),
}


def _record(types: Sequence[tuple[str, str]]) -> np.dtype:
    """The binary COPY record of rows with these (name, big-endian type) columns, none
    of them NULL."""
    fields = [("fields", ">i2")]
    for name, kind in types:
        fields += [(f"{name}_size", ">i4"), (name, kind)]
    return np.dtype(fields)


def _copy_columns(cursor, select: str, params: list, types: Mapping[str, str]) -> dict:
    """The rows of ``select`` (columns of these big-endian integer types, none NULL) as
    narrow native numpy columns, read with a binary ``COPY`` and parsed as it streams."""
    record = _record(list(types.items()))
    parts: list[dict] = []
    pending = bytearray()
    skip = len(_COPY_SIGNATURE)
    sql = f"COPY ({select}) TO STDOUT (FORMAT BINARY)"
    logged = cursor.debug_sql(sql, params) if hasattr(cursor, "debug_sql") else nullcontext()
    with logged, cursor.cursor.copy(sql, params) as copy:  # counted like any statement
        for block in copy:
            pending += block
            if len(pending) >= _COPY_CHUNK + skip:
                skip = _copy_parse(pending, skip, parts, record, types)
        _copy_parse(pending, skip, parts, record, types)
    if not parts:
        return {name: np.empty(0, dtype=np.int64) for name in types}
    return {name: np.concatenate([part[name] for part in parts]) for name in types}


def _copy_parse(pending: bytearray, skip: int, parts: list, record: np.dtype, types) -> int:
    """Parse the whole records of ``pending`` (after ``skip`` bytes) into narrow native
    columns, leaving the rest (a record cut in two, or the trailer) in ``pending``."""
    whole = (len(pending) - skip) // record.itemsize
    if not whole:
        return skip
    end = skip + whole * record.itemsize
    records = np.frombuffer(pending, dtype=record, count=whole, offset=skip)
    parts.append({name: _narrow(records[name]) for name in types})
    del records  # releases the buffer, so that pending may shrink
    del pending[:end]
    return 0


def _narrow(values: np.ndarray) -> np.ndarray:
    """Native byte order, in the smallest of int16/int32/int64 that holds the values."""
    for dtype in (np.int16, np.int32):
        info = np.iinfo(dtype)
        if not len(values) or (values.min() >= info.min and values.max() <= info.max):
            return values.astype(dtype, copy=False)
    return values.astype(np.int64, copy=False)


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
    matrix = distinct_matrix(columns)
    return [matrix[:, j] for j in range(len(columns))], matrix[:, -1]


def distinct_matrix(columns: Sequence[np.ndarray]) -> np.ndarray:
    """The distinct rows of ``columns`` in lexicographic order, each followed by how many
    rows it stands for, as one int64 matrix (written in place: no column is held twice)."""
    n = len(columns[0]) if columns else 0
    if not n:
        return np.empty((0, len(columns) + 1), dtype=np.int64)
    key, layout = _pack(columns)
    if key is not None:
        key.sort()
        first, counts = _runs(key)
        del key
        # Read the values back from the sorted keys rather than from the unsorted columns.
        values_of = _unpack(first, layout)
    else:
        order = np.lexsort(list(columns)[::-1])
        starts = _prefix_runs([column[order] for column in columns])
        counts = np.diff(np.r_[starts, n])
        values_of = (column[order[starts]] for column in columns)
    out = np.empty((len(counts), len(columns) + 1), dtype=np.int64)
    out[:, -1] = counts
    for j, values in enumerate(values_of):
        out[:, j] = values
    return out


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


def _runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted key, and how many times each comes."""
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return key[starts], np.diff(np.r_[starts, len(key)]).astype(np.int64)


def _unpack(keys: np.ndarray, layout: Sequence[tuple[int, int]]) -> Iterator[np.ndarray]:
    """The columns packed into ``keys`` by ``_pack`` (with this layout), one at a time."""
    shift = sum(width for _, width in layout)
    for low, width in layout:
        shift -= width
        yield ((keys >> shift) & ((1 << width) - 1)) + low


def _prefix_runs(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Where each run of equal rows of ``columns`` (sorted) starts."""
    n = len(columns[0])
    changed = np.zeros(max(n - 1, 0), dtype=bool)
    for column in columns:
        changed |= column[1:] != column[:-1]
    return np.flatnonzero(np.r_[True, changed]) if n else np.empty(0, dtype=np.int64)


class FactRows:
    """Grouped reads of fact rows held as integer columns (``s t y c p l e r k``, or any
    subset): each returns its groups in sorted order as an int64 matrix."""

    def __init__(self, columns: Mapping[str, np.ndarray]):
        self.columns = dict(columns)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def _cols(self, names: Sequence[str]) -> list[np.ndarray]:
        return [self.columns[name] for name in names]

    def grouped(self, columns: list[str]) -> np.ndarray:
        """``columns, salary, offers``: the offers at each salary of each group."""
        return distinct_matrix(self._cols([*columns, "p"]))

    def people(self, columns: list[str]) -> np.ndarray:
        """``columns, distinct candidates, most offers of one candidate`` per group."""
        cols = self._cols([*columns, "c"])
        if not len(cols[0]):
            return np.empty((0, len(columns) + 2), dtype=np.int64)
        key, layout = _pack(cols)
        if key is None:
            values, offers = distinct_rows(cols)
            starts = _prefix_runs(values[:-1])
            groups = [v[starts] for v in values[:-1]]
        else:  # on the packed keys alone: the candidates' rows are never unpacked
            key.sort()
            unique, offers = _runs(key)
            prefix = unique >> layout[-1][1]
            del unique
            starts = np.flatnonzero(np.r_[True, prefix[1:] != prefix[:-1]])
            groups = _unpack(prefix[starts], layout[:-1])
        out = np.empty((len(starts), len(columns) + 2), dtype=np.int64)
        for j, group in enumerate(groups):
            out[:, j] = group
        out[:, -2] = np.diff(np.r_[starts, len(offers)])
        out[:, -1] = np.maximum.reduceat(offers, starts)
        return out

    slice_people = people

    def alone(self, columns: list[str], dimension: str) -> np.ndarray:
        """``columns, code, candidates`` for the candidates all of whose offers in the group
        have this code of ``dimension`` (everyone else has offers outside it)."""
        cols = self._cols([*columns, "c", dimension])
        empty = np.empty((0, len(columns) + 2), dtype=np.int64)
        if not len(cols[0]):
            return empty
        key, layout = _pack(cols)
        if key is None:
            values, _ = distinct_rows(cols)
            starts = _prefix_runs(values[:-1])
            single = np.diff(np.r_[starts, len(values[0])]) == 1
            kept = [v[starts[single]] for i, v in enumerate(values) if i != len(columns)]
            if not len(kept[0]):
                return empty
            return distinct_matrix(kept)
        key.sort()
        unique, _ = _runs(key)
        del key
        code_bits, candidate_bits = layout[-1][1], layout[-2][1]
        prefix = unique >> code_bits
        starts = np.flatnonzero(np.r_[True, prefix[1:] != prefix[:-1]])
        single = np.diff(np.r_[starts, len(unique)]) == 1
        chosen = unique[starts[single]]
        del unique, prefix
        if not len(chosen):
            return empty
        # Drop the candidate from the key: (group, code) stays, in the same order.
        code = chosen & ((1 << code_bits) - 1)
        kept = ((chosen >> (code_bits + candidate_bits)) << code_bits) | code
        kept.sort()
        groups, counts = _runs(kept)
        out = np.empty((len(groups), len(columns) + 2), dtype=np.int64)
        for j, values in enumerate(_unpack(groups, [*layout[:-2], layout[-1]])):
            out[:, j] = values
        out[:, -1] = counts
        return out
