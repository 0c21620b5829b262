"""The Redis cache backend against a real Redis (``REDIS_TEST_URL``, default database 14)."""

import os

import pytest
import redis

from portal.cache import PortalRedisCache

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_TEST_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is not answering at {REDIS_TEST_URL}")
        pytest.skip(f"Redis is not answering at {REDIS_TEST_URL}")
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
