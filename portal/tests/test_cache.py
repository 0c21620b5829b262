"""The Redis cache backend against a real Redis (``REDIS_TEST_URL``, default database 14)."""

import os

import pytest

from portal.cache import PortalRedisCache
from portal.tests.support import require_redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache():
    require_redis(REDIS_TEST_URL)
    backend = PortalRedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "portal-tests"})
    backend.clear()
    yield backend
    backend.clear()


def test_values_round_trip_through_redis(redis_cache):
    redis_cache.set("page", (3, 4, b"<html>", [("Content-Type", "text/html")]), 60)
    redis_cache.set("generation", 3, 60)
    found = redis_cache.get_many(["generation", "page", "missing"])
    assert found == {"generation": 3, "page": (3, 4, b"<html>", [("Content-Type", "text/html")])}
    assert redis_cache.add("generation", 9) is False
    assert redis_cache.incr("generation") == 4


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("a", 1)
    assert redis_cache._cache.get_client() is client


# --- A Redis outage: misses and skipped writes, never an error page ---

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def outage_reset():
    from portal.cache import _Outage

    _Outage.until = 0.0
    yield _Outage
    _Outage.until = 0.0


def test_an_unreachable_redis_reads_as_misses_and_writes_nothing(outage_reset, caplog):
    dead = PortalRedisCache(DEAD_REDIS, {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert dead.get("page", "fallback") == "fallback"
    assert dead.get_many(["a", "b"]) == {}
    dead.set("page", b"x", 60)
    dead.set_many({"a": 1}, 60)
    assert dead.add("a", 1) is False
    assert dead.delete("a") is False
    with pytest.raises(ValueError):
        dead.incr("counter")
    # One warning, not one per call: the client pauses before trying again.
    assert [r.message for r in caplog.records].count(
        next(r.message for r in caplog.records if "cache unavailable" in r.message)
    ) == 1
    assert outage_reset.until > 0


def test_after_the_pause_the_cache_is_used_again(redis_cache, outage_reset, monkeypatch):
    import portal.cache

    monkeypatch.setattr(portal.cache, "OUTAGE_PAUSE", 0.0)
    dead = PortalRedisCache(DEAD_REDIS, {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert dead.get("x") is None and outage_reset.until > 0
    redis_cache.set("x", 1, 60)
    assert redis_cache.get("x") == 1
    assert outage_reset.until == 0.0


def test_pages_and_the_api_are_served_while_redis_is_down(
    db, client, published, settings, outage_reset
):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    # (Django's test signals give the cache handler the new setting.)
    assert caches["default"].__class__ is PortalRedisCache
    page = client.get("/salaries/back-end/flask/2024/")
    assert page.status_code == 200 and b"Median salary expectation" in page.content
    api = client.get("/api/v1/stats/back-end/flask/2024/")
    assert api.status_code == 200 and api.json()["offers"] > 0
    assert client.get("/").status_code == 200


# --- A full Redis (maxmemory with noeviction): every write refused, never an error page ---


@pytest.fixture
def full_redis(tmp_path):
    """A Redis of its own, capped at 2 MB and filled up, refusing writes with an
    out-of-memory error as a production Redis would with ``noeviction``."""
    import shutil
    import socket
    import subprocess
    import time

    import redis

    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("redis-server is needed for the full-Redis test")
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--maxmemory", "2mb", "--maxmemory-policy", "noeviction", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    store = redis.Redis(port=port)
    for _ in range(50):
        try:
            store.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    try:
        for number in range(10_000):
            store.set(f"filler:{number}", b"x" * 4096)
    except redis.exceptions.ResponseError as error:
        assert "maxmemory" in str(error)
    else:
        pytest.fail("Redis never filled up")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def test_pages_the_api_and_limits_keep_working_when_redis_is_full(
    db, client, published, settings, outage_reset, full_redis, caplog
):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.PortalRedisCache", "LOCATION": full_redis}
    }
    assert caches["default"].__class__ is PortalRedisCache
    statuses = set()
    for number in range(20):  # junk query strings, each a would-be new entry
        statuses.add(client.get(f"/salaries/back-end/flask/2024/?junk={number}").status_code)
        statuses.add(client.get(f"/api/v1/stats/?junk={number}").status_code)
        statuses.add(client.get(f"/salaries/?page={number}").status_code)
    assert statuses == {200}
    assert client.get("/").status_code == 200
    # The newsletter's limit fails open rather than refusing everyone.
    answer = client.post("/newsletter/", {"email": "reader@example.com"})
    assert answer.status_code in (200, 302)
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert 1 <= len(refused) <= 2, "one warning, not one per request"
    assert outage_reset.until == 0.0, "Redis is up: reads go on being tried"
