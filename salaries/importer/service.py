"""Importing offers: ``offers_import`` validates a stream of records and writes them in
batches, all or nothing by default, and reports what it did in an ``ImportSummary``.
"""

from __future__ import annotations

import contextlib
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from salaries.importer.columns import OfferRow
from salaries.importer.reading import ImportFileError
from salaries.importer.validation import RowError, validate_record
from salaries.importer.writing import OfferWriter
from salaries.models import Candidate, Offer, OfferTechnology


@dataclass
class ImportSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    new_specializations: list[str] = field(default_factory=list)
    new_technologies: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    written: bool = False
    seconds: float = 0.0
    # Why reading stopped half-way (an ImportFileError), or "" when the whole input was read.
    stopped: str = ""
    # With skip_invalid, what was committed: whole batches, every valid row up to a line.
    committed_batches: int = 0
    committed_rows: int = 0
    committed_through_line: int = 0

    MAX_ERRORS = 1000  # kept for the report; the count goes on

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < self.MAX_ERRORS:
            self.errors.append(str(error))


# The 64-bit hash that files an offer_id; a module name so a test can force clashes.
offer_id_hash = hash


class _SeenOfferIds:
    """Which offer_id came on which line, exactly, in flat memory: 64-bit hashes in sorted
    numpy arrays (26 bytes an id), merged once per batch, and the ids themselves in a
    temporary file. A hash found in the arrays is confirmed against the stored id, so two
    different ids whose hashes clash are never taken for a duplicate."""

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.int64)
        self.lines = np.empty(0, dtype=np.int64)
        self.offsets = np.empty(0, dtype=np.int64)  # where the id starts in the file
        self.sizes = np.empty(0, dtype=np.uint16)  # its length in UTF-8 bytes (at most 256)
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.end = 0

    def close(self) -> None:
        self.file.close()

    def first_line(self, offer_id: str) -> int | None:
        key = offer_id_hash(offer_id)
        i = int(np.searchsorted(self.hashes, key))
        wanted = None
        while i < len(self.hashes) and self.hashes[i] == key:
            wanted = wanted or offer_id.encode("utf-8")
            if self.sizes[i] == len(wanted):
                self.file.seek(int(self.offsets[i]))
                if self.file.read(len(wanted)) == wanted:
                    return int(self.lines[i])
            i += 1
        return None

    def add(self, batch: dict[str, int]) -> None:
        if not batch:
            return
        n = len(batch)
        encoded = [offer_id.encode("utf-8") for offer_id in batch]
        sizes = np.fromiter(map(len, encoded), dtype=np.uint16, count=n)
        offsets = self.end + np.cumsum(sizes, dtype=np.int64) - sizes
        self.file.seek(self.end)
        self.file.write(b"".join(encoded))
        self.end += int(sizes.sum(dtype=np.int64))
        hashes = np.fromiter(map(offer_id_hash, batch), dtype=np.int64, count=n)
        lines = np.fromiter(batch.values(), dtype=np.int64, count=n)
        hashes = np.concatenate([self.hashes, hashes])
        order = np.argsort(hashes, kind="stable")
        self.hashes = hashes[order]
        self.lines = np.concatenate([self.lines, lines])[order]
        self.offsets = np.concatenate([self.offsets, offsets])[order]
        self.sizes = np.concatenate([self.sizes, sizes])[order]


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (invalid rows, or a dry run)."""


class _Cancelled(Exception):
    """Raised in the validating thread when the writing side has stopped listening."""


@dataclass(frozen=True)
class _Stopped:
    """Reading stopped half-way: the batches queued before this were read in full."""

    reason: str


_END = object()  # every record was read; the last batch is queued


class _ValidatedBatches:
    """Reads and validates the records in a thread of its own, a few batches ahead of
    the caller, who writes them: validating batch n + 1 (Python) overlaps with writing
    batch n (mostly waiting for the database, which releases the GIL). The thread never
    touches the database, so every write stays on the caller's connection, in the
    caller's transaction.

    Iterating yields ``(rows, last line read)`` per full batch and then the last, short
    one; a stop in reading ends the iteration after the batches read before it, with the
    reason in ``stopped``. The thread keeps the rejected-row counts in the summary and
    calls ``on_reject`` and ``progress``; the caller keeps the written-row counts. Use
    it as a context manager: leaving it early stops the thread."""

    AHEAD = 2  # batches validated and waiting; bounds the memory held

    def __init__(
        self,
        records: Iterable[tuple[int, Mapping[str, Any]]],
        summary: ImportSummary,
        *,
        today: date,
        batch_size: int,
        on_reject: Callable[[int, str, Mapping[str, Any]], None] | None,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.records, self.summary, self.today = records, summary, today
        self.batch_size, self.on_reject, self.progress = batch_size, on_reject, progress
        self.stopped = ""
        self._queue: queue.Queue = queue.Queue(maxsize=self.AHEAD)
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="validate-offers", daemon=True)

    def __enter__(self) -> _ValidatedBatches:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._cancelled.set()
        # The thread stops at its next hand-over. After an error it is given a moment,
        # no more, so that the error is never held up by an input that is slow to read.
        self._thread.join(timeout=None if exc_info[0] is None else 1.0)

    def __iter__(self) -> Iterator[tuple[list[OfferRow], int]]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, _Stopped):
                self.stopped = item.reason
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _put(self, item: object) -> None:
        while True:
            if self._cancelled.is_set():
                raise _Cancelled
            try:
                self._queue.put(item, timeout=0.1)
            except queue.Full:
                continue
            return

    def _run(self) -> None:
        seen = _SeenOfferIds()
        try:
            self._read_all(seen)
        except _Cancelled:
            return
        except ImportFileError as error:
            self._put_last(_Stopped(str(error)))
        except BaseException as error:  # noqa: BLE001 - handed over and raised there
            self._put_last(error)
        else:
            self._put_last(_END)
        finally:
            seen.close()

    def _put_last(self, item: object) -> None:
        with contextlib.suppress(_Cancelled):
            self._put(item)

    def _read_all(self, seen: _SeenOfferIds) -> None:
        summary, today, on_reject, progress = (
            self.summary,
            self.today,
            self.on_reject,
            self.progress,
        )
        batch: list[OfferRow] = []
        batch_lines: dict[str, int] = {}
        line = 0
        for line, record in self.records:
            summary.read += 1
            if progress is not None:
                progress(1)
            try:
                row = validate_record(line, record, today=today)
                first = batch_lines.get(row.offer_id) or seen.first_line(row.offer_id)
                if first is not None:
                    raise RowError(
                        line, [("offer_id", f'"{row.offer_id}" already appears on line {first}')]
                    )
            except RowError as error:
                summary.rejected += 1
                summary.add_error(error)
                if on_reject is not None:
                    on_reject(line, error.reason, record)
                continue
            batch.append(row)
            batch_lines[row.offer_id] = line
            if len(batch) >= self.batch_size:
                self._put((batch, line))
                seen.add(batch_lines)
                batch, batch_lines = [], {}
            if self._cancelled.is_set():
                raise _Cancelled
        if batch:
            self._put((batch, line))


def offers_import(
    *,
    records: Iterable[tuple[int, Mapping[str, Any]]],
    skip_invalid: bool = False,
    dry_run: bool = False,
    on_reject: Callable[[int, str, Mapping[str, Any]], None] | None = None,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
) -> ImportSummary:
    """Validate and write offers in one streaming pass.

    Default: all or nothing. Everything runs in one transaction; after the first invalid
    row nothing more is written, every row is still validated so all errors are
    reported, and the transaction is rolled back. With ``skip_invalid`` each batch
    commits on its own and invalid rows go to ``on_reject``. ``dry_run`` does the whole
    import (so its counts are exact) and rolls it back. A crash or Ctrl-C rolls back the
    open transaction. Re-importing an ``offer_id`` updates that offer.

    An ``ImportFileError`` from reading the records or from ``on_reject`` stops the
    import: the summary says why in ``stopped`` and, with ``skip_invalid``, which batches
    were committed before the stop; the open batch is not written.

    Records are read and validated in a thread a few batches ahead (``on_reject`` and
    ``progress`` are called there); every write happens in the calling thread.
    """
    clock = time.perf_counter()
    today = today or timezone.now().date()
    summary = ImportSummary(dry_run=dry_run)
    writer: OfferWriter | None = None

    def write(batch: list[OfferRow], last_line: int) -> None:
        nonlocal writer
        if writer is None:
            writer = OfferWriter(summary)
        if skip_invalid and not dry_run:
            with transaction.atomic():
                writer.write(batch)
            summary.committed_batches += 1
            summary.committed_rows += len(batch)
            summary.committed_through_line = last_line
        elif skip_invalid or not summary.error_count:
            writer.write(batch)

    def run() -> None:
        with _ValidatedBatches(
            records,
            summary,
            today=today,
            batch_size=batch_size,
            on_reject=on_reject,
            progress=progress,
        ) as batches:
            for batch, last_line in batches:
                write(batch, last_line)
        summary.stopped = batches.stopped

    if skip_invalid and not dry_run:
        run()
        summary.written = summary.created + summary.updated > 0
    else:
        try:
            with transaction.atomic():
                run()
                if summary.error_count or summary.stopped or dry_run:
                    raise _Rollback
        except _Rollback:
            pass  # nothing stays; the counts say what would have happened
        summary.written = not (summary.error_count or summary.stopped or dry_run)
    if summary.written:
        _statistics_update(summary)
    summary.seconds = time.perf_counter() - clock
    return summary


# Below this many new or changed offers the tables' planner statistics are left to the
# server's own upkeep (autovacuum).
ANALYZE_AFTER = 10_000


def _statistics_update(summary: ImportSummary) -> None:
    """Refresh PostgreSQL's planner statistics of the tables a large import filled, so
    that the statistics run that follows plans its reads for the rows now there
    (autovacuum would come round to it later, or never where it is off)."""
    if connection.vendor != "postgresql" or summary.created + summary.updated < ANALYZE_AFTER:
        return
    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table)
        for model in (Candidate, Offer, OfferTechnology)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
