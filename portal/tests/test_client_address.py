"""One client-address rule for every limit, lockout and log line (``portal.client_address``):
the peer unless trusted proxies are configured, then the right-most hop they vouch for."""

import json
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from portal.client_address import client_address
from portal.logging import JsonFormatter

LOGIN = "/admin/login/"


def request(remote="198.51.100.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request("198.51.100.1", "203.0.113.9")) == "198.51.100.1"
    assert client_address(request("2001:db8::1", "203.0.113.9")) == "2001:db8::1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # nginx appends the address it saw: whatever the client wrote comes before it.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "not-an-address, 1.2.3.4,, 203.0.113.7", "203.0.113.7"),
        (1, "[2001:db8::7]:4711", "2001:db8::7"),
        # A load balancer in front of nginx: the client is the second hop from the right.
        (2, "9.9.9.9, 203.0.113.7, 10.0.0.5", "203.0.113.7"),
        # Fewer hops than proxies: it did not come through them, so the peer counts.
        (2, "203.0.113.7", "127.0.0.1"),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request("127.0.0.1", forwarded)) == expected


def test_behind_a_proxy_without_the_header_the_peer_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request("127.0.0.1")) == "127.0.0.1"


# --- The anonymous API limit ---


@pytest.fixture
def anon_limit(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "partner": "1000/hour"},
    }


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_reset_the_anonymous_api_limit(anon_limit):
    api = Client(REMOTE_ADDR="198.51.100.20")
    statuses = [
        api.get("/api/v1/specializations/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_a_proxy_each_visitor_has_an_anonymous_limit_of_their_own(settings, anon_limit):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(3):
        assert (
            proxy.get("/api/v1/specializations/", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
            == 200
        )
    refused = proxy.get("/api/v1/specializations/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert refused.status_code == 429
    other = proxy.get("/api/v1/specializations/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 200


# --- The admin lockout ---


def login(client, username, password, **extra):
    page = client.get(LOGIN, **extra)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return client.post(
        LOGIN, {"username": username, "password": password, "csrfmiddlewaretoken": token}, **extra
    )


@pytest.mark.django_db
def test_behind_a_proxy_an_attacker_cannot_lock_the_real_admin_out(settings):
    """Five wrong passwords from one visitor lock that visitor (and that username) out,
    not everyone the proxy forwards."""
    settings.TRUSTED_PROXY_COUNT = 1
    get_user_model().objects.create_superuser("admin", "a@example.com", "right-Password-42")
    attacker = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        login(attacker, "admin", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert login(attacker, "admin", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == (
        429
    )
    admin = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1")
    answer = login(admin, "admin", "right-Password-42", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert answer.status_code == 302


@pytest.mark.django_db
def test_without_proxies_a_forged_forwarded_for_does_not_escape_the_lockout():
    get_user_model().objects.create_superuser("admin", "a@example.com", "right-Password-42")
    attacker = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.66")
    for n in range(5):
        login(attacker, "admin", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    locked = login(attacker, "admin", "right-Password-42", HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert locked.status_code == 429


# --- Logs ---


def test_json_log_lines_name_the_client_by_the_same_rule(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    record = logging.makeLogRecord(
        {"msg": "Not Found: /x", "levelname": "WARNING", "status_code": 404}
    )
    record.request = request("127.0.0.1", "1.2.3.4, 203.0.113.7")
    entry = json.loads(JsonFormatter().format(record))
    assert entry["client"] == "203.0.113.7"
