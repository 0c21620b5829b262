"""Import offers from CSV or JSON Lines (see the import format in the product contract)."""

import csv
import sys
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from salaries.importing import FIELDS, FORMATS, ImportFileError, read_records
from salaries.services import offers_import

SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SHOWN_ERRORS = 50


class RejectsWriter:
    """Rejected rows as CSV: ``line``, ``error``, then the row's own fields."""

    def __init__(self, handle, columns: list[str]):
        self.columns = columns
        self.writer = csv.writer(handle)
        self.writer.writerow(["line", "error", *columns])
        self.count = 0

    def __call__(self, line: int, reason: str, record) -> None:
        self.count += 1
        self.writer.writerow(
            [line, reason, *("" if record.get(c) is None else record.get(c) for c in self.columns)]
        )


class Command(BaseCommand):
    help = (
        "Import offers from a CSV or JSON Lines file (or - for standard input). Every row "
        "is validated; by default nothing is written unless every row is valid."
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
        fmt = format or SUFFIXES.get(Path(path).suffix.lower())
        if fmt is None:
            raise CommandError(
                "cannot tell the format: name the file .csv, .jsonl or .ndjson, or pass --format"
            )
        if path == "-" and skip_invalid and not rejects:
            raise CommandError("--rejects FILE is required with --skip-invalid on standard input")
        try:
            self._import(path, fmt, skip_invalid, rejects, dry_run, batch_size)
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}; nothing was written") from None

    def _import(self, path, fmt, skip_invalid, rejects, dry_run, batch_size) -> None:
        on_reject = rejects_path = None
        with ExitStack() as stack:
            records = read_records(self._open(stack, path), fmt)
            if skip_invalid and not dry_run:
                rejects_path = Path(rejects) if rejects else _rejects_path(Path(path))
                records, columns = _peek_columns(records, fmt)
                try:
                    handle = stack.enter_context(
                        rejects_path.open("w", newline="", encoding="utf-8")
                    )
                except OSError as error:
                    raise CommandError(f"cannot write {rejects_path}: {error.strerror}") from None
                on_reject = RejectsWriter(handle, columns)
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
        self._report(summary, skip_invalid, on_reject, rejects_path)

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

    def _report(self, summary, skip_invalid, on_reject, rejects_path) -> None:
        for message in summary.errors[:SHOWN_ERRORS]:
            self.stderr.write(message)
        if summary.error_count > SHOWN_ERRORS:
            self.stderr.write(f"... and {summary.error_count - SHOWN_ERRORS:,} more invalid rows")
        rate = summary.read / summary.seconds if summary.seconds else 0
        verb = "would be" if summary.dry_run or not summary.written else ""
        counts = (
            f"{summary.created:,} created, {summary.updated:,} updated, "
            f"{summary.rejected:,} rejected"
        )
        self.stdout.write(
            f"Read {summary.read:,} rows: {counts} in {summary.seconds:.1f} s ({rate:,.0f} rows/s)."
        )
        if summary.new_specializations:
            self.stdout.write(
                f"New specializations{' ' + verb if verb else ''}: "
                + ", ".join(summary.new_specializations)
            )
        if summary.new_technologies:
            self.stdout.write(
                f"New technologies{' ' + verb if verb else ''}: "
                + ", ".join(summary.new_technologies)
            )
        if on_reject is not None and on_reject.count:
            self.stdout.write(f"Rejected rows written to {rejects_path}.")
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


def _rejects_path(path: Path) -> Path:
    return path.with_name(path.stem + ".rejects.csv")


def _peek_columns(records, fmt):
    """The rejects file repeats the input's own columns: the CSV header as read, or the
    contract's fields for JSON Lines."""
    if fmt != "csv":
        return records, list(FIELDS)
    iterator = iter(records)
    try:
        first = next(iterator)
    except StopIteration:
        return iter(()), list(FIELDS)

    def chained():
        yield first
        yield from iterator

    return chained(), list(first[1].keys())
