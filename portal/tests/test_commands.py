from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from articles.demo import ARTICLES
from articles.models import ArticlePage
from portal.management.commands import load_demo_data
from salaries.demo import SPECIALIZATIONS, TECHNOLOGIES, demo_offers
from salaries.models import Offer, Specialization
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db


def run(**kwargs) -> str:
    out = StringIO()
    call_command("prepare_demo", "--skip-data", stdout=out, **kwargs)
    return out.getvalue()


def test_prepare_demo_creates_an_admin_with_a_random_password_printed_once(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    first = run()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    password = first.split("admin / ")[1].split()[0]
    assert len(password) >= 12
    assert user.check_password(password)

    second = run()
    assert password not in second
    assert "changepassword admin" in second
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_prepare_demo_uses_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-Long-local-secret-42")
    out = run()
    assert "a-Long-local-secret-42" not in out
    assert get_user_model().objects.get(username="admin").check_password("a-Long-local-secret-42")


def test_two_demo_setups_never_share_a_password(monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    one = run(username="first")
    two = run(username="second")
    assert one.split("first / ")[1].split()[0] != two.split("second / ")[1].split()[0]


def test_prepare_demo_points_the_site_at_the_demo_address(client, monkeypatch):
    from wagtail.models import Site

    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    run(url="http://127.0.0.1:8000")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    # Absolute links that Wagtail builds now lead to the demo server.
    html = client.get("/articles/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/articles/">' in html


# --- load_demo_data: one command, for both apps ---


def test_load_demo_data_is_one_command_and_the_portal_owns_it():
    assert get_commands()["load_demo_data"] == "portal"
    owners = [
        app.label
        for app in apps.get_app_configs()
        if (Path(app.path) / "management" / "commands" / "load_demo_data.py").exists()
    ]
    assert owners == ["portal"]


def test_load_demo_data_reports_the_catalogue_the_offers_and_the_articles():
    out = StringIO()
    call_command("load_demo_data", "--offers", "0", stdout=out)
    lines = out.getvalue().splitlines()
    assert (
        lines[0]
        == f"Catalogue: {len(SPECIALIZATIONS)} specializations, {len(TECHNOLOGIES)} technologies."
    )
    assert lines[1].startswith("Demo data: 571 offers created, 0 updated in ")
    assert lines[2] == f"Demo articles: {len(ARTICLES)} published, 0 already there."
    assert Offer.objects.count() == 571
    assert ArticlePage.objects.live().count() == len(ARTICLES)
    # The roles, one demo user each, the random password printed this once.
    assert lines[3] == "Roles: Editors, Moderators, Administrators; demo users:"
    for username in ("editor", "moderator", "administrator"):
        [line] = [line for line in lines if line.split()[:1] == [username]]
        password = line.split(" / ")[1].split()[0]
        assert get_user_model().objects.get(username=username).check_password(password)
        assert "shown only this once" in line
    again = StringIO()
    call_command("load_demo_data", "--offers", "0", stdout=again)
    assert "shown only this once" not in again.getvalue()
    assert "editor         (Editors; password as printed when made)" in again.getvalue()


def test_load_demo_data_refuses_a_negative_count_and_writes_nothing():
    with pytest.raises(CommandError, match="--offers must not be negative"):
        call_command("load_demo_data", "--offers", "-1", stdout=StringIO())
    assert not Specialization.objects.exists() and not Offer.objects.exists()


def test_prepare_demo_loads_the_demo_and_its_statistics(monkeypatch):
    """What ``make demo`` runs: the account, the data and the figures of the reference
    page (the general offers are left out here to keep the test fast)."""
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.setattr(load_demo_data, "demo_offers", lambda count: demo_offers(0))
    out = StringIO()
    call_command("prepare_demo", stdout=out)
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert (stat.offers, stat.candidates, stat.median) == (571, 143, 7707)
    assert ArticlePage.objects.live().count() == len(ARTICLES)
    assert f"Demo articles: {len(ARTICLES)} published" in out.getvalue()
    assert "admin / " in out.getvalue() and "shown only this once" in out.getvalue()
