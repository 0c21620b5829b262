"""The Redis cache (django-redis with ``portal.cache``'s settings) against a real Redis
(``REDIS_TEST_URL``, default database 14), a dead one and a full one."""

import logging
import os
import time

import pytest
from django.core.cache import caches
from django_redis.cache import RedisCache

from portal.cache import OncePerMinute, redis_cache
from portal.tests.support import require_redis

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def use_redis(settings, url: str) -> RedisCache:
    """Point the site's cache at ``url`` with the production configuration."""
    settings.CACHES = {"default": redis_cache(url, SOCKET_CONNECT_TIMEOUT=0.2)}
    backend = caches["default"]  # (Django's test signals give the handler the new setting)
    assert isinstance(backend, RedisCache)
    return backend


@pytest.fixture
def redis_backend(settings):
    require_redis(REDIS_TEST_URL)
    backend = use_redis(settings, REDIS_TEST_URL)
    backend.clear()
    yield backend
    backend.clear()


def test_values_round_trip_through_redis(redis_backend):
    redis_backend.set("page", (3, 4, b"<html>", [("Content-Type", "text/html")]), 60)
    redis_backend.set("generation", 3, 60)
    found = redis_backend.get_many(["generation", "page", "missing"])
    assert found == {"generation": 3, "page": (3, 4, b"<html>", [("Content-Type", "text/html")])}
    assert redis_backend.add("generation", 9) is False
    assert redis_backend.incr("generation") == 4


def test_a_response_lookup_reads_what_the_cache_wrote_and_counters_count(redis_backend):
    from portal.cache import cache_counter_hit
    from portal.response_cache import CONTENT_KEY, cache_lookup
    from salaries.generation import GENERATION_KEY

    redis_backend.set(GENERATION_KEY, 7, 60)
    redis_backend.set(CONTENT_KEY, 3, 60)
    redis_backend.set("page", "not an entry", 60)
    found = cache_lookup("page")
    assert (found.generation, found.version, found.entry) == (7, 3, None)
    assert cache_counter_hit("hits", 60) == 1
    assert cache_counter_hit("hits", 60) == 2
    assert 0 < redis_backend.ttl("hits") <= 61


# --- A Redis outage: misses and skipped writes, never an error page ---


@pytest.fixture
def outage_reset():
    from portal.cache import _Outage

    _Outage.until = 0.0
    yield _Outage
    _Outage.until = 0.0


def test_an_unreachable_redis_reads_as_misses_and_writes_nothing(settings, outage_reset, caplog):
    dead = use_redis(settings, DEAD_REDIS)
    assert dead.get("page", "fallback") == "fallback"
    assert dead.get_many(["a", "b"]) == {}
    dead.set("page", b"x", 60)
    dead.set_many({"a": 1}, 60)
    assert not dead.add("a", 1)
    assert not dead.delete("a")
    # One warning, not one per call: every connection pauses before trying again.
    unavailable = [r for r in caplog.records if "cache unavailable" in r.getMessage()]
    assert len(unavailable) == 1
    assert outage_reset.until > 0


def test_during_the_pause_no_connection_is_even_tried(settings, outage_reset, monkeypatch):
    import socket

    dead = use_redis(settings, DEAD_REDIS)
    dead.get("x")
    assert outage_reset.until > 0
    attempts = []
    real = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", lambda *a: attempts.append(a) or real(*a))
    started = time.monotonic()
    for _ in range(50):
        assert dead.get("x") is None
    assert attempts == [] and time.monotonic() - started < 0.5


def test_after_the_pause_the_cache_is_used_again(redis_backend, outage_reset, monkeypatch):
    import portal.cache

    monkeypatch.setattr(portal.cache, "OUTAGE_PAUSE", 0.0)
    portal.cache._Outage.failed(ConnectionError("simulated"))
    redis_backend.set("x", 1, 60)
    assert redis_backend.get("x") == 1
    assert outage_reset.until == 0.0


def test_ignored_errors_are_logged_once_a_minute():
    log_filter = OncePerMinute()
    records = [logging.makeLogRecord({"msg": "Exception ignored"}) for _ in range(5)]
    assert [log_filter.filter(record) for record in records] == [True] + [False] * 4


def test_pages_and_the_api_are_served_while_redis_is_down(
    db, client, published, settings, outage_reset
):
    use_redis(settings, DEAD_REDIS)
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
    use_redis(settings, full_redis)
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
    noise = [r for r in caplog.records if r.name.startswith("portal.cache")]
    assert len(noise) <= 2, "a warning a minute, not one per request"
    assert outage_reset.until == 0.0, "Redis is up: reads go on being tried"


def test_a_read_ahead_reads_its_plan_once_and_the_rest_as_usual(redis_backend):
    from portal.cache import cache_counter_hit, cache_get_many, read_ahead

    redis_backend.set("planned", 1, 60)
    redis_backend.set("other", 2, 60)
    plans = []

    def plan():
        plans.append(1)
        return ["planned", "absent"], [("hits", 60)]

    with read_ahead(plan):
        assert plans == [], "nothing is read before it is needed"
        assert cache_get_many(["planned", "absent"]) == {"planned": 1}
        assert cache_counter_hit("hits", 60) == 1
        assert cache_counter_hit("hits", 60) == 2, "a hit read ahead is used once"
        assert cache_get_many(["other"]) == {"other": 2}, "outside the plan: read as usual"
    assert plans == [1]
    assert cache_counter_hit("hits", 60) == 3
