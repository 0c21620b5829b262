"""``load_demo_data``: the demo catalogue, offers and articles, each written by its own
service, and the newsroom's roles with one demo user each. Safe to run again: offers are
updated, never doubled, an article that already exists is left as the editors have it, and
an existing user keeps their password."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.demo import ARTICLES
from articles.services import articles_publish
from portal.roles import DEMO_USERS, demo_users_ensure
from salaries.catalogue import catalogue_update
from salaries.demo import SPECIALIZATIONS, TECHNOLOGIES, demo_offers
from salaries.importer.service import offers_import


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: specializations and technologies with names and "
        "descriptions, and offers for 2021-2025 (Back-End × Flask × 2024 has 571 offers "
        "and a $7,707 median), then publish the demo articles and make the roles (Editors, "
        "Moderators, Administrators) with one demo user each, whose random password is "
        "printed once. Run compute_salary_stats afterwards."
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

        catalogue_update(specializations=SPECIALIZATIONS, technologies=TECHNOLOGIES)
        self.stdout.write(
            f"Catalogue: {len(SPECIALIZATIONS)} specializations, {len(TECHNOLOGIES)} technologies."
        )

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

        published = articles_publish(articles=ARTICLES)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo articles: {published} published, {len(ARTICLES) - published} already there."
            )
        )

        users = demo_users_ensure()
        self.stdout.write("Roles: Editors, Moderators, Administrators; demo users:")
        for username, password in users.items():
            role = DEMO_USERS[username]
            if password is None:
                self.stdout.write(f"  {username:<14} ({role}; password as printed when made)")
            else:
                self.stdout.write(
                    f"  {username:<14} / {password}   ({role}) <- shown only this once"
                )
