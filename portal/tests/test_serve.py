"""The production stack as ``make serve`` runs it: gunicorn with ``gunicorn.conf.py`` and
production settings, answering real HTTP on a free port."""

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('serve') / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": os.devnull,
    }
    env.pop("REDIS_URL", None)
    # As ``make serve`` does: production's static storage needs the collected manifest
    # (error pages load the stylesheet through it).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "portal.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("gunicorn exited: " + process.stderr.read().decode()[-2000:])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not listen within 30 s")
    yield port
    process.terminate()
    process.wait(timeout=30)


def get(port: int, path: str, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_health_check_answers_over_plain_http_for_the_load_balancer(server):
    response, body = get(server, "/healthz")
    assert response.status == 200
    assert json.loads(body) == {"status": "ok"}


def test_plain_http_is_redirected_to_https(server):
    response, _ = get(server, "/salaries/")
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/salaries/"


def test_https_responses_carry_the_security_headers(server):
    response, _ = get(server, "/healthz", {"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("X-Frame-Options") == "DENY"


def test_an_unknown_host_is_refused(server):
    response, _ = get(server, "/healthz", {"Host": "evil.example"})
    assert response.status == 400
