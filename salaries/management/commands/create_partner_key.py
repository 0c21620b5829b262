"""Make an API key for a partner; the key is printed once, alone on the last line."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from salaries.partner_keys import partner_key_create


def _expiry(value: str) -> datetime.datetime:
    """``YYYY-MM-DD``: the key works until the start of that day (UTC)."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f'--expires must be a date such as 2026-12-31, got "{value}"') from error
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = (
        "Create an API key for a partner (the partner is created on first use). "
        "The key is printed alone on the last line and cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("partner", help='The partner\'s name, e.g. "Acme Jobs".')
        parser.add_argument(
            "--rate",
            help="Requests allowed per key: N/second, N/minute, N/hour or N/day "
            "(default for a new partner: the API_PARTNER_RATE setting, 1000/hour).",
        )
        parser.add_argument("--email", default="", help="The partner's contact email.")
        parser.add_argument(
            "--expires",
            metavar="YYYY-MM-DD",
            help="The key stops working at the start of this day (UTC). Default: never.",
        )

    def handle(self, *args, partner, rate=None, email="", expires=None, **options):
        expires_at = _expiry(expires) if expires else None
        try:
            api_key, key = partner_key_create(
                partner_name=partner, rate=rate, contact_email=email, expires_at=expires_at
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        until = (
            f", expires {timezone.localtime(api_key.expiry_date):%Y-%m-%d %H:%M %Z}"
            if api_key.expiry_date
            else ""
        )
        self.stdout.write(
            f"Created key {api_key.prefix}… for {api_key.partner.name} "
            f"(rate {api_key.partner.rate}{until}). Store it now: it is not shown again."
        )
        self.stdout.write(key)
