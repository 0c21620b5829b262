from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

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
