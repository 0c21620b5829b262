"""Two app servers, one PostgreSQL, one Redis: what one server does, the other sees.

Starts two gunicorn instances with production settings and ``gunicorn.conf.py`` on free
ports, both on the test database and one Redis database, and drives them over real HTTP:
a statistics run published by another process, a partner's rate limit, an editor's
session and a newsletter subscription all hold across both servers.

The servers need data the test process commits, so these tests are transactional, and a
database other processes can open, so they run on PostgreSQL only: on SQLite (an
in-memory test database) they are skipped. Under ``CI=true`` on PostgreSQL, a missing
Redis or gunicorn fails them instead of skipping.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import redis
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from articles.models import Subscriber
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import SpecializationFactory, TechnologyFactory, add_offers
from salaries.models import StatsRun
from salaries.partner_keys import partner_key_create

# serialized_rollback: the rows the migrations create come back, with their ids, before
# each test, so the servers' cached content types stay right and the admin finds its tree.
pytestmark = [
    pytest.mark.multiserver,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("MULTISERVER_REDIS_URL", "redis://127.0.0.1:6379/9")
HOST = "127.0.0.1"


def _cannot_run(reason: str):
    """Skip on a developer machine; fail in CI, where these tests must run."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"multi-server tests cannot run in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _restore_migrated_rows() -> None:
    """``serialized_rollback`` puts the rows the migrations made (content types, the page
    tree) back before each of these tests, not after the last one, and it keeps Django
    from recreating content types after the flush: put them back, with their ids, for the
    tests that run next."""
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker):
    """The environment both servers share, and a way to run manage.py under it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: several app servers writing one SQLite file is not a "
            "deployment this project supports (set DATABASE_URL=postgres://...)"
        )
    try:
        store = redis.Redis.from_url(REDIS_URL)
        store.ping()
    except redis.exceptions.ConnectionError:
        _cannot_run(f"Redis is not answering at {REDIS_URL}")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        _cannot_run(f"gunicorn is not installed next to {sys.executable}")
    store.flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stderr[-3000:]}"
        return done.stdout

    # Pages render hashed static URLs from the manifest that collectstatic writes.
    manage("collectstatic", "--noinput", "-v0")
    yield env, manage
    store.flushdb()
    with django_db_blocker.unblock():
        _restore_migrated_rows()


@pytest.fixture(scope="module")
def servers(stack, tmp_path_factory):
    """Two gunicorn instances on their own ports: ``(port_a, port_b)``. Their error logs
    are printed when a test fails (pytest shows captured output)."""
    env, _ = stack
    logs = tmp_path_factory.mktemp("multiserver")
    _LOGS.append(logs)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    processes, ports = [], []
    for name in ("a", "b"):
        port = _free_port()
        log = (logs / f"gunicorn-{name}.log").open("wb")
        server_env = {
            **env,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"{HOST}:{port}",
            "GUNICORN_ACCESS_LOG": os.devnull,
            "GUNICORN_LOG_LEVEL": "warning",
        }
        processes.append(
            subprocess.Popen(
                [str(gunicorn), "-c", "gunicorn.conf.py", "portal.wsgi:application"],
                cwd=ROOT,
                env=server_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        ports.append(port)
        log.close()
    try:
        deadline = time.monotonic() + 30
        for process, port in zip(processes, ports, strict=True):
            while True:
                if process.poll() is not None:
                    pytest.fail(f"gunicorn exited: {_tail(logs)}")
                try:
                    if Browser(port).get("/healthz").status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn on port {port} did not answer /healthz within 30 s")
                time.sleep(0.2)
        yield tuple(ports)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


_LOGS: list[Path] = []


@pytest.fixture(autouse=True)
def _server_logs_after_each_test():
    """The servers' error logs, printed after each test (pytest shows them on failure)."""
    yield
    for logs in _LOGS:
        print(_tail(logs))


def _tail(logs: Path) -> str:
    return "\n".join(
        f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
        for path in sorted(logs.glob("*.log"))
    )


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status = raw.status
        self.headers = raw.msg
        self.body = raw.read()

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


class Browser:
    """A client with a cookie jar that can talk to any of the servers, as a visitor whose
    requests a load balancer spreads over them would."""

    def __init__(self, port: int | None = None):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, port=None, headers=None, form=None) -> Response:
        conn = http.client.HTTPConnection(HOST, port or self.port, timeout=20)
        sent = {"Host": HOST, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        response = Response(conn.getresponse())
        conn.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path, form, **kwargs) -> Response:
        return self.request("POST", path, form=form, **kwargs)

    def csrf_form(self, path, *, port) -> str:
        """GET a form page; returns the CSRF token from its form."""
        page = self.get(path, port=port)
        assert page.status == 200, (path, page.status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _editor(password: str):
    # The servers check passwords with production's hashers (the tests' fast MD5 hasher is
    # not among them), so the hash is made with the production default.
    hashed = PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt())
    return get_user_model().objects.create(
        username="editor", email="editor@example.com", password=hashed, is_superuser=True
    )


def _log_in(browser: Browser, *, port: int, password: str) -> None:
    token = browser.csrf_form("/admin/login/", port=port)
    answer = browser.post(
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": "editor", "password": password, "next": ""},
        port=port,
    )
    assert answer.status == 302, answer.text[:500]
    assert "sessionid" in browser.cookies


def test_a_statistics_run_published_elsewhere_reaches_both_servers_at_once(servers, stack):
    _, manage = stack
    a, b = servers
    spec = SpecializationFactory(slug="back-end", name="Back-End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    rng = random.Random(7)
    add_offers(spec, [flask], 2024, 30, rng=rng, base=7000)
    first = salary_stats_refresh(min_offers=5).run
    api, page = "/api/v1/stats/back-end/flask/2024/", "/salaries/back-end/flask/2024/"
    visitor = Browser()

    for port in (a, b, a, b):  # the second round is answered from the shared cache
        answer = visitor.get(api, port=port)
        assert answer.status == 200
        assert answer.json()["offers"] == 30
        assert answer.header("ETag").startswith(f'"g{first.pk}-')
        shown = visitor.get(page, port=port)
        assert shown.status == 200
        assert "received 30 job offers" in shown.text

    add_offers(spec, [flask], 2024, 12, rng=rng, base=9000)
    published = manage("compute_salary_stats")  # a third process: the statistics timer
    second = StatsRun.objects.latest()
    assert f"statistics run #{second.pk}" in published

    for port in (b, a):
        answer = visitor.get(api, port=port)
        assert answer.status == 200
        assert answer.json()["offers"] == 42
        assert answer.header("ETag").startswith(f'"g{second.pk}-')
        shown = visitor.get(page, port=port)
        assert "received 42 job offers" in shown.text
        assert "received 30 job offers" not in shown.text


def test_a_partners_rate_limit_is_one_limit_across_both_servers(servers):
    a, b = servers
    _, key = partner_key_create(partner_name="Acme Jobs", rate="5/minute")
    partner = Browser()
    headers = {"Authorization": f"Api-Key {key}"}
    # The window is the clock's minute: start early enough in one to finish in it.
    if 60 - time.time() % 60 < 8:
        time.sleep(60 - time.time() % 60 + 0.2)

    remaining = []
    for port in (a, b, a, b, a):
        answer = partner.get("/api/v1/specializations/", port=port, headers=headers)
        assert answer.status == 200, answer.text
        assert answer.header("X-RateLimit-Limit") == "5"
        remaining.append(int(answer.header("X-RateLimit-Remaining")))
    assert remaining == [4, 3, 2, 1, 0]

    for port in (b, a):
        refused = partner.get("/api/v1/specializations/", port=port, headers=headers)
        assert refused.status == 429
        assert 1 <= int(refused.header("Retry-After")) <= 60
        assert refused.json()["code"] == "throttled"


def test_an_editors_session_made_on_one_server_works_on_the_other(servers):
    a, b = servers
    password = secrets.token_urlsafe(16)
    _editor(password)
    editor = Browser()
    assert editor.get("/admin/", port=b).status == 302  # not logged in yet

    _log_in(editor, port=a, password=password)

    dashboard = editor.get("/admin/", port=b)
    assert dashboard.status == 200
    assert "Dashboard" in dashboard.text
    stranger = Browser()
    assert stranger.get("/admin/", port=b).status == 302

    # Logging out on the second server ends the session on the first: one session store.
    # (The admin's logout button posts the CSRF cookie's token, as a form would.)
    token = editor.cookies["csrftoken"]
    assert editor.post("/admin/logout/", {"csrfmiddlewaretoken": token}, port=b).status == 302
    assert editor.get("/admin/", port=a).status == 302


def test_a_subscription_made_on_one_server_is_there_on_the_other(servers, run_tasks):
    a, b = servers
    visitor = Browser()
    answer = visitor.post("/newsletter/", {"email": "Reader@Example.com"}, port=a)
    assert answer.status == 302
    assert answer.header("Location").endswith("/newsletter/thanks/")
    run_tasks()  # the background worker stores it and mails the link
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"
    assert subscriber.status == Subscriber.Status.PENDING

    # The editors' list on the other server shows it.
    password = secrets.token_urlsafe(16)
    _editor(password)
    editor = Browser()
    _log_in(editor, port=b, password=password)
    listing = editor.get("/admin/snippets/articles/subscriber/", port=b)
    assert listing.status == 200
    assert "reader@example.com" in listing.text

    # And the confirmation link, mailed by one server, is honoured by the other.
    assert visitor.get(f"/newsletter/confirm/{subscriber.token}/", port=b).status == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
