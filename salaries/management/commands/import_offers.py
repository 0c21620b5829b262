"""Import offers from CSV or JSON Lines (see the import format in the product contract)."""

import json
import sys
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal import spreadsheets
from salaries.importer.reading import FORMATS, MAX_LINE_BYTES, ImportFileError, read_records
from salaries.importer.service import ImportSummary, offers_import

SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SHOWN_ERRORS = 50


class RejectsWriter:
    """Rejected rows as CSV: ``line``, ``error``, then the row's own fields.

    The file is meant to be opened in a spreadsheet, so it is written like every CSV the
    product writes (``portal.spreadsheets``): a cell a spreadsheet would run as a formula
    comes out as text."""

    def __init__(self, handle, columns: list[str], path: Path):
        self.handle, self.columns, self.path = handle, columns, path
        self.writer = spreadsheets.writer(handle)
        self.count = 0
        self._write(["line", "error", *columns])

    def __call__(self, line: int, reason: str, record) -> None:
        self.count += 1
        self._write([line, reason, *(_cell(record.get(c)) for c in self.columns)])

    def _write(self, row) -> None:
        try:
            self.writer.writerow(row)
        except OSError as error:
            raise ImportFileError(
                f"cannot write the rejects file {self.path}: {error.strerror or error}"
            ) from None


def _cell(value) -> str:
    """A record's value as the rejects file shows it: JSON values as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (RecursionError, TypeError, ValueError):
        return f"(a JSON {type(value).__name__} too large to show)"


class Command(BaseCommand):
    help = (
        "Import offers from a CSV or JSON Lines file (or - for standard input). Every row "
        "is validated; by default nothing is written unless every row is valid. A line "
        f"longer than {MAX_LINE_BYTES:,} bytes is an invalid row, skipped unread."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to import, or - to read standard input.")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or jsonl; inferred from .csv, .jsonl or .ndjson, required for -.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the valid rows and put the invalid ones in the rejects file.",
        )
        parser.add_argument(
            "--rejects",
            help="Where --skip-invalid writes rejected rows as CSV (default: the input's "
            "name with .rejects.csv; required when reading standard input).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, without writing anything.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Rows written per database round (default 5000).",
        )

    def handle(
        self, *args, path, format=None, skip_invalid, rejects, dry_run, batch_size, **options
    ):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if path == "-" and format is None:
            raise CommandError("reading standard input (-) needs --format csv or --format jsonl")
        fmt = format or SUFFIXES.get(Path(path).suffix.lower())
        if fmt is None:
            raise CommandError(
                "cannot tell the format: name the file .csv, .jsonl or .ndjson, or pass --format"
            )
        if path == "-" and skip_invalid and not rejects:
            raise CommandError("--rejects FILE is required with --skip-invalid on standard input")
        self._import(path, fmt, skip_invalid, rejects, dry_run, batch_size)

    def _import(self, path, fmt, skip_invalid, rejects, dry_run, batch_size) -> None:
        on_reject = rejects_path = None
        with ExitStack() as stack:
            try:
                records = read_records(self._open(stack, path), fmt)
            except ImportFileError as error:
                # Only the header has been read: nothing can have been written.
                raise CommandError(f"{path}: {error}; nothing was written") from None
            if skip_invalid and not dry_run:
                rejects_path = Path(rejects) if rejects else _rejects_path(Path(path))
                try:
                    handle = stack.enter_context(
                        rejects_path.open("w", newline="", encoding="utf-8", errors="replace")
                    )
                except OSError as error:
                    raise CommandError(f"cannot write {rejects_path}: {error.strerror}") from None
                on_reject = RejectsWriter(handle, records.columns, rejects_path)
            bar = stack.enter_context(
                tqdm(
                    unit=" rows",
                    file=sys.stderr,
                    disable=not sys.stderr.isatty(),
                    desc="Importing",
                    dynamic_ncols=True,
                )
            )
            summary = offers_import(
                records=records,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                on_reject=on_reject,
                batch_size=batch_size,
                progress=bar.update,
            )
        self._report(path, summary, skip_invalid, on_reject, rejects_path)

    def _open(self, stack: ExitStack, path: str):
        if path == "-":
            return sys.stdin.buffer
        try:
            return stack.enter_context(open(path, "rb"))  # noqa: SIM115 - closed by the stack
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{path}: is a directory, not a file") from None
        except OSError as error:
            raise CommandError(f"{path}: cannot read it ({error.strerror})") from None

    def _report(
        self, path: str, summary: ImportSummary, skip_invalid, on_reject, rejects_path
    ) -> None:
        for message in summary.errors[:SHOWN_ERRORS]:
            self.stderr.write(message)
        if summary.error_count > SHOWN_ERRORS:
            self.stderr.write(f"... and {summary.error_count - SHOWN_ERRORS:,} more invalid rows")
        committing = skip_invalid and not summary.dry_run
        # The counts are exact when every valid row went through the writer: with
        # --skip-invalid, or when no row was invalid. After the first invalid row the
        # default mode stops writing, so it can only tell valid from invalid rows.
        exact = committing or not (summary.error_count or summary.stopped)
        rate = summary.read / summary.seconds if summary.seconds else 0
        if exact:
            counts = (
                f"{summary.created:,} created, {summary.updated:,} updated, "
                f"{summary.rejected:,} rejected"
            )
        else:
            counts = f"{summary.read - summary.rejected:,} valid, {summary.rejected:,} invalid"
        self.stdout.write(
            f"Read {summary.read:,} rows: {counts} in {summary.seconds:.1f} s ({rate:,.0f} rows/s)."
        )
        verb = "" if summary.written or committing else " would be"
        if exact and summary.new_specializations:
            self.stdout.write(
                f"New specializations{verb}: " + ", ".join(summary.new_specializations)
            )
        if exact and summary.new_technologies:
            self.stdout.write(f"New technologies{verb}: " + ", ".join(summary.new_technologies))
        if on_reject is not None and on_reject.count:
            self.stdout.write(f"Rejected rows written to {rejects_path}.")
        if summary.stopped:
            raise CommandError(f"{path}: {summary.stopped}; {_committed(summary, committing)}")
        if summary.read == 0:
            raise CommandError(f"{path}: the file holds no rows; nothing was written")
        if summary.dry_run:
            if summary.error_count:
                raise CommandError(
                    f"dry run: {summary.error_count:,} invalid rows; nothing was written"
                )
            self.stdout.write(
                self.style.SUCCESS("Dry run: every row is valid; nothing was written.")
            )
        elif summary.error_count and not skip_invalid:
            raise CommandError(
                f"{summary.error_count:,} invalid rows; nothing was written "
                "(fix them, or use --skip-invalid to import the valid rows)"
            )
        else:
            self.stdout.write(self.style.SUCCESS("Import finished."))


def _committed(summary: ImportSummary, committing: bool) -> str:
    """What a stopped import left in the database, in words."""
    if not committing or not summary.committed_batches:
        return "nothing was written"
    batches = "batch" if summary.committed_batches == 1 else "batches"
    return (
        f"{summary.committed_rows:,} rows were committed before the stop, in "
        f"{summary.committed_batches:,} {batches} holding every valid row up to line "
        f"{summary.committed_through_line:,}; nothing after that line was written "
        "(importing the file again is safe)"
    )


def _rejects_path(path: Path) -> Path:
    return path.with_name(path.stem + ".rejects.csv")
