"""Settings behaviour that can only be seen from a fresh interpreter."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from portal.settings.dev import local_secret_key

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "aZ9_qW" * 10


# Variables a developer or another test may have set that would change what is checked.
INHERITED = {
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "ALLOWED_HOSTS",
    "TRUSTED_PROXY_COUNT",
    "API_NUM_PROXIES",
    "SECURE_SSL_REDIRECT",
}


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


def settings_value(module: str, name: str, **env: str):
    """``name`` as ``portal.settings.<module>`` sets it, read in a fresh interpreter."""
    code = (
        "import importlib, json; "
        f"print(json.dumps(getattr(importlib.import_module('portal.settings.{module}'), "
        f"'{name}')))"
    )
    env.setdefault("DATABASE_URL", "postgres://u@db.invalid/portal")
    if module != "test":  # dev would otherwise make a key file in the checkout
        env.setdefault("SECRET_KEY", STRONG_KEY)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    [
        "short-but-varied-1234",  # not a secret: too short
        "django-insecure-" + "x7Q_p2Lm9z" * 5,  # not a secret: Django's generated dev key
        "ab" * 30,  # not a secret: long, but two characters
    ],
)
def test_production_refuses_a_weak_secret_key(weak_key):
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        SECRET_KEY=weak_key,
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


@pytest.mark.parametrize("module", ["dev", "test", "production"])
def test_every_settings_module_takes_the_secret_key_from_the_environment(module):
    # A key starting with "$" is one Django's own generator can make: taken as it is.
    for key in (STRONG_KEY, "$" + STRONG_KEY):
        assert settings_value(module, "SECRET_KEY", SECRET_KEY=key) == key


def test_test_settings_make_a_new_key_per_run_when_none_is_given():
    first, second = settings_value("test", "SECRET_KEY"), settings_value("test", "SECRET_KEY")
    assert len(first) >= 50 and first != second


def test_production_is_never_in_debug_mode():
    assert settings_value("production", "DEBUG", DEBUG="true") is False
    assert settings_value("dev", "DEBUG") is True
    assert settings_value("dev", "DEBUG", DEBUG="false") is False


def test_production_sends_mail_through_the_configured_smtp_server():
    mail = {"EMAIL_HOST": "smtp.internal", "EMAIL_PORT": "587", "EMAIL_USE_TLS": "true"}
    assert settings_value("production", "EMAIL_HOST", **mail) == "smtp.internal"
    assert settings_value("production", "EMAIL_PORT", **mail) == 587
    assert settings_value("production", "EMAIL_USE_TLS", **mail) is True


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, 0),
        ({"TRUSTED_PROXY_COUNT": "1"}, 1),
        ({"API_NUM_PROXIES": "2"}, 2),  # the older name still works
        ({"TRUSTED_PROXY_COUNT": "0", "API_NUM_PROXIES": "2"}, 0),  # the new name wins
        ({"TRUSTED_PROXY_COUNT": "", "API_NUM_PROXIES": "3"}, 3),  # empty counts as unset
    ],
)
def test_trusted_proxy_count_and_its_older_name(env, expected):
    assert settings_value("dev", "TRUSTED_PROXY_COUNT", **env) == expected


def test_empty_variables_count_as_unset():
    empty = dict.fromkeys(("DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"), "")
    assert settings_value("dev", "DEBUG", **empty) is True
    assert settings_value("dev", "ALLOWED_HOSTS", **empty) == ["localhost", "127.0.0.1", "[::1]"]
    assert settings_value("production", "SECURE_SSL_REDIRECT", **empty) is True
    assert settings_value("dev", "ALLOWED_HOSTS", ALLOWED_HOSTS=" a.test, b.test,") == [
        "a.test",
        "b.test",
    ]


# --- The README's configuration tables list exactly what is read ---


def readme_table_names(number: int) -> set[str]:
    """Variable names in the ``number``-th table of the README's Configuration section."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    tables = re.findall(r"(?:^\|.*\|\n)+", section, re.MULTILINE)
    rows = tables[number].splitlines()[2:]  # past the header and the rule
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


RECORD_SETTINGS_READS = """
import importlib, json, environ
read = set()
get_value = environ.Env.get_value
def recording(self, var, *args, **kwargs):
    read.add(self.prefix + var)
    return get_value(self, var, *args, **kwargs)
environ.Env.get_value = recording
for module in ("dev", "test", "production"):
    importlib.import_module("portal.settings." + module)
print(json.dumps(sorted(read)))
"""

RECORD_GUNICORN_READS = """
import json, os, runpy
class Recording(dict):
    read = set()
    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)
    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)
    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)
os.environ = Recording(os.environ)
runpy.run_path("gunicorn.conf.py")
print(json.dumps(sorted(Recording.read)))
"""


def names_read(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(SECRET_KEY=STRONG_KEY, DATABASE_URL="postgres://u@db.invalid/portal"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(result.stdout))


def test_readme_lists_exactly_the_variables_the_settings_read():
    read = names_read(RECORD_SETTINGS_READS)
    assert {"SECRET_KEY", "DATABASE_URL", "TRUSTED_PROXY_COUNT", "API_NUM_PROXIES"} <= read
    # DJANGO_SETTINGS_MODULE picks the settings module; the module itself does not read it.
    assert readme_table_names(0) == read | {"DJANGO_SETTINGS_MODULE"}


def test_settings_reach_the_environment_only_through_the_one_reading_in_base():
    mentions = {
        module.name
        for module in (ROOT / "portal" / "settings").glob("*.py")
        if re.search(r"os\.environ|getenv", module.read_text())
    }
    assert mentions == {"base.py"}
    assert (ROOT / "portal" / "settings" / "base.py").read_text().count("os.environ") == 1


def test_readme_lists_exactly_the_variables_gunicorn_reads():
    assert readme_table_names(1) == names_read(RECORD_GUNICORN_READS)


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
