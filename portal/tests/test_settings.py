"""Settings behaviour that can only be seen from a fresh interpreter."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from portal.settings.dev import local_secret_key

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "aZ9_qW" * 10


# Variables a developer or another test may have set that would change what is checked.
INHERITED = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def clean_env(**env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED}
    clean.update(env)
    return clean


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        SECRET_KEY="django-insecure-short",  # not a secret: the weak key to refuse
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="portal.settings.production", SECRET_KEY=STRONG_KEY
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=STRONG_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        ALLOWED_HOSTS="salaries.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_dev_secret_key_is_random_per_checkout_and_kept(tmp_path):
    first = tmp_path / "one" / ".secret_key"
    second = tmp_path / "two" / ".secret_key"
    first.parent.mkdir()
    second.parent.mkdir()
    key = local_secret_key(first)
    assert len(key) >= 50
    assert local_secret_key(first) == key, "the key must survive a restart"
    assert local_secret_key(second) != key, "every checkout makes its own key"
    assert oct(first.stat().st_mode & 0o777) == "0o600"


def test_no_secret_key_literal_in_the_settings_code():
    for module in (ROOT / "portal" / "settings").glob("*.py"):
        assert settings.SECRET_KEY not in module.read_text()
        assert not re.search(r"^SECRET_KEY\s*=\s*[\"']", module.read_text(), re.MULTILINE)


@pytest.mark.parametrize(
    ("url", "cache_backend"),
    [("", "LocMemCache"), ("redis://127.0.0.1:6379/1", "RedisCache")],
)
def test_redis_url_selects_the_cache(url, cache_backend):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = clean_env(DJANGO_SETTINGS_MODULE="portal.settings.dev", REDIS_URL=url)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip().endswith(cache_backend)
