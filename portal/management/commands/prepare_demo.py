"""Get a fresh or existing checkout ready to browse: admin account, demo data, statistics."""

import os
import secrets
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Site


class Command(BaseCommand):
    help = (
        "Create the demo admin account (random password, printed once), load the demo data "
        "and compute the statistics. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username",
            default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin"),
            help="Admin username (default: $DJANGO_SUPERUSER_USERNAME or 'admin').",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where the demo server will answer, for the printed links.",
        )
        parser.add_argument(
            "--skip-data",
            action="store_true",
            help="Only make sure the admin account exists.",
        )

    def handle(self, *args, username, url, skip_data, **options):
        login = self._ensure_admin(username)
        self._point_site_at(url)
        if not skip_data:
            call_command("load_demo_data", stdout=self.stdout, stderr=self.stderr)
            call_command("compute_salary_stats", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("The demo is ready:"))
        self.stdout.write(f"  Site        {url}/")
        self.stdout.write(f"  Salaries    {url}/salaries/")
        self.stdout.write(f"  Flask page  {url}/salaries/back-end/flask/2024/")
        self.stdout.write(f"  Articles    {url}/articles/")
        self.stdout.write(f"  Admin       {url}/admin/")
        self.stdout.write(f"  API         {url}/api/v1/")
        self.stdout.write(login)

    def _point_site_at(self, url: str) -> None:
        """Wagtail builds absolute links (canonical URLs, feeds, sitemaps) from the default
        Site: make it the address the demo serves on."""
        parts = urlsplit(url)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None or not parts.hostname:
            return
        site.hostname = parts.hostname
        site.port = parts.port or (443 if parts.scheme == "https" else 80)
        site.save(update_fields=["hostname", "port"])

    @transaction.atomic
    def _ensure_admin(self, username: str) -> str:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            return (
                f"  Login       {username} (password as printed when it was created; "
                f"reset it with: .venv/bin/python manage.py changepassword {username})"
            )
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        shown = (
            "(from DJANGO_SUPERUSER_PASSWORD)"
            if os.environ.get("DJANGO_SUPERUSER_PASSWORD")
            else password
        )
        return f"  Login       {username} / {shown}   <- shown only this once"
