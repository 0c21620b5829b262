"""Load the demo catalogue and offers. Safe to run again: offers are updated, never doubled."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from salaries.demo import SPECIALIZATIONS, TECHNOLOGIES, demo_offers
from salaries.importer.service import offers_import
from salaries.models import Specialization, Technology


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: specializations and technologies with names and "
        "descriptions, and offers for 2021-2025 (Back-End × Flask × 2024 has 571 offers "
        "and a $7,707 median). Run compute_salary_stats afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--offers",
            type=int,
            default=60_000,
            help="How many general offers to generate besides the reference slice (default 60000).",
        )

    def handle(self, *args, offers, **options):
        if offers < 0:
            raise CommandError("--offers must not be negative")
        self._load_catalogue()
        with tqdm(
            unit=" rows", file=sys.stderr, disable=not sys.stderr.isatty(), desc="Demo offers"
        ) as bar:
            summary = offers_import(
                records=enumerate(demo_offers(offers), start=1), progress=bar.update
            )
        if summary.error_count:
            raise CommandError("the demo data did not validate:\n" + "\n".join(summary.errors[:10]))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {summary.created:,} offers created, {summary.updated:,} updated "
                f"in {summary.seconds:.1f} s."
            )
        )

    @transaction.atomic
    def _load_catalogue(self) -> None:
        for spec in SPECIALIZATIONS:
            Specialization.objects.update_or_create(
                slug=spec.slug,
                defaults={
                    "name": spec.name,
                    "role_title": spec.role_title,
                    "description": spec.description,
                },
            )
        technologies = {}
        for tech in TECHNOLOGIES:
            technologies[tech.slug], _ = Technology.objects.update_or_create(
                slug=tech.slug, defaults={"name": tech.name, "description": tech.description}
            )
        for tech in TECHNOLOGIES:
            technologies[tech.slug].related.add(*(technologies[r] for r in tech.related))
        self.stdout.write(
            f"Catalogue: {len(SPECIALIZATIONS)} specializations, {len(TECHNOLOGIES)} technologies."
        )
