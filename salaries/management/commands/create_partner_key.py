"""Make an API key for a partner; the key is printed once, alone on the last line."""

from django.core.management.base import BaseCommand, CommandError

from salaries.services import partner_key_create


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
            "(default for a new partner: 1000/hour).",
        )
        parser.add_argument("--email", default="", help="The partner's contact email.")

    def handle(self, *args, partner, rate=None, email="", **options):
        try:
            api_key, key = partner_key_create(partner_name=partner, rate=rate, contact_email=email)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Created key {api_key.prefix}… for {api_key.partner.name} "
            f"(rate {api_key.partner.rate}). Store it now: it is not shown again."
        )
        self.stdout.write(key)
