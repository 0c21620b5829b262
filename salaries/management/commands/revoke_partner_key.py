"""Revoke partner API keys by prefix, or every key of a partner. Revocation is final."""

from django.core.management.base import BaseCommand, CommandError

from salaries.partner_keys import partner_keys_revoke


class Command(BaseCommand):
    help = (
        "Revoke API keys: give key prefixes (the 8 characters before the dot, as the admin "
        "lists them; a whole key works too) and/or --partner to revoke all of a partner's "
        "keys. Revoked keys get 403 at once and cannot be restored."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefixes", nargs="*", help="Key prefixes (or whole keys).")
        parser.add_argument("--partner", help="Revoke every key of the partner with this name.")

    def handle(self, *args, prefixes, partner=None, **options):
        try:
            revoked = partner_keys_revoke(prefixes=prefixes, partner_name=partner)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not revoked:
            self.stdout.write("Nothing to do: those keys were already revoked.")
        for key in revoked:
            self.stdout.write(f"Revoked {key.prefix}… ({key.name}, {key.partner.name}).")
