"""Importing offers: ``offers_import`` validates a stream of records and writes them in
batches, all or nothing by default, and reports what it did in an ``ImportSummary``.
"""

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from salaries.importer.columns import OfferRow
from salaries.importer.reading import ImportFileError
from salaries.importer.validation import RowError, validate_record
from salaries.importer.writing import OfferWriter


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


class _SeenOfferIds:
    """Which offer_id came on which line, compactly: 64-bit hashes in sorted numpy arrays
    (16 bytes an id), merged once per batch. A clash of two different ids on 64 bits is
    about one in 10^7 for a million rows and would be reported as a duplicate."""

    def __init__(self) -> None:
        self.hashes = np.empty(0, dtype=np.int64)
        self.lines = np.empty(0, dtype=np.int64)

    def first_line(self, offer_id: str) -> int | None:
        key = hash(offer_id)
        i = int(np.searchsorted(self.hashes, key))
        if i < len(self.hashes) and self.hashes[i] == key:
            return int(self.lines[i])
        return None

    def add(self, batch: dict[str, int]) -> None:
        if not batch:
            return
        hashes = np.fromiter((hash(k) for k in batch), dtype=np.int64, count=len(batch))
        lines = np.fromiter(batch.values(), dtype=np.int64, count=len(batch))
        hashes, lines = np.concatenate([self.hashes, hashes]), np.concatenate([self.lines, lines])
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.lines = hashes[order], lines[order]


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (invalid rows, or a dry run)."""


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
    """
    clock = time.perf_counter()
    today = today or timezone.now().date()
    summary = ImportSummary(dry_run=dry_run)
    seen = _SeenOfferIds()
    writer: OfferWriter | None = None
    batch: list[OfferRow] = []
    batch_lines: dict[str, int] = {}
    last_line = 0

    def flush() -> None:
        nonlocal writer
        if batch:
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
        seen.add(batch_lines)
        batch.clear()
        batch_lines.clear()

    def run() -> None:
        try:
            read_all()
        except ImportFileError as error:
            summary.stopped = str(error)

    def read_all() -> None:
        nonlocal last_line
        for line, record in records:
            last_line = line
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
            if len(batch) >= batch_size:
                flush()
        flush()

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
    summary.seconds = time.perf_counter() - clock
    return summary
