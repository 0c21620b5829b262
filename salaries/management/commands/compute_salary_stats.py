"""Recompute and publish the salary statistics."""

from django.core.management.base import BaseCommand, CommandError

from salaries.engine.refresh import salary_stats_refresh
from salaries.filters import MAX_YEAR, MIN_YEAR


class Command(BaseCommand):
    help = (
        "Recompute every salary slice (specialization or all × technology or all × year) "
        "from the offers and publish the new set atomically."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            help="Recompute only this year's slices; the other years stay as published.",
        )

    def handle(self, *args, year=None, **options):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(f"--year must be between {MIN_YEAR} and {MAX_YEAR}, got {year}")
        summary = salary_stats_refresh(year=year)
        scope = f"year {year}" if year is not None else "all years"
        if not summary.slices:
            self.stdout.write(self.style.WARNING(f"No offers for {scope}: published an empty set."))
        years = ", ".join(map(str, summary.years)) or "none"
        self.stdout.write(
            self.style.SUCCESS(
                f"Published {summary.slices:,} slices over {summary.offers:,} offers "
                f"({scope}; years: {years}) in {summary.seconds:.2f} s "
                f"as statistics run #{summary.run.pk}."
            )
        )
