"""Django's Redis cache, made cheaper per call and tolerant of a Redis outage.

Cheaper: Django's ``RedisCacheClient.get_client`` makes a new ``redis.Redis`` around the
shared connection pool on every call; with redis-py 5 and newer that construction costs
more than the network round trip it wraps. A ``redis.Redis`` is thread-safe, so one per
connection pool, made once, serves every thread of a worker.

Tolerant: the cache only ever holds what can be rebuilt (pages, API answers, the
statistics generation, which falls back to the database). When Redis does not answer, or
answers with an error of any kind (out of memory under ``maxmemory`` with ``noeviction``,
read-only replica, a misconfigured server), reads are misses and writes are skipped, with
one warning in the log. After a connection failure, for ``OUTAGE_PAUSE`` seconds the
client does not even try (so a dead Redis costs no connect timeout per request); then it
tries again, and the site is back on its cache as soon as
Redis is. Rate-limit counters fail open during an outage.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger(__name__)

# Every error redis-py raises (connection, timeout, and server errors such as OOM), and
# socket errors below it: none of them may turn a page into a 500.
OUTAGE_ERRORS = (RedisError, OSError)
OUTAGE_PAUSE = 2.0  # seconds without trying after a failure


class CacheUnavailable(Exception):
    """Redis did not answer (or did not a moment ago): treat as a miss."""


class _Outage:
    """Process-wide memory of the last failure, shared by every client and thread."""

    until = 0.0

    @classmethod
    def check(cls) -> None:
        if cls.until and time.monotonic() < cls.until:
            raise CacheUnavailable

    @classmethod
    def failed(cls, error: Exception) -> None:
        if not cls.until or time.monotonic() >= cls.until:
            logger.warning("cache unavailable, serving without it for now: %s", error)
        cls.until = time.monotonic() + OUTAGE_PAUSE

    refused_logged = 0.0

    @classmethod
    def refused(cls, error: Exception) -> None:
        """The server answered but refused a command (out of memory, read-only): that one
        call is skipped; Redis is still up, so no pause. One warning a minute at most."""
        now = time.monotonic()
        if now - cls.refused_logged >= 60 or not cls.refused_logged:
            cls.refused_logged = now
            logger.warning("cache refused a command, serving without it: %s", error)

    @classmethod
    def recovered(cls) -> None:
        if cls.until:
            cls.until = 0.0
            logger.warning("cache available again")


def cache_call(function, *args, default=None, **kwargs):
    """Call ``function`` (a Redis operation); on an outage return ``default``."""
    try:
        _Outage.check()
        result = function(*args, **kwargs)
    except CacheUnavailable:
        return default
    except ResponseError as error:
        _Outage.refused(error)
        return default
    except OUTAGE_ERRORS as error:
        _Outage.failed(error)
        return default
    if _Outage.until:
        _Outage.recovered()
    return result


def cache_refused(error: Exception) -> None:
    """Report a command the server refused inside a pipeline (see ``_Outage.refused``)."""
    _Outage.refused(error)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._pools.get(index) or self._get_connection_pool(write)
            client = self._clients.setdefault(index, self._client(connection_pool=pool))
        return client

    # Every operation Django's cache API offers, each a miss or a no-op during an outage.

    def get(self, key, default):
        return cache_call(super().get, key, default, default=default)

    def get_many(self, keys):
        return cache_call(super().get_many, keys, default={})

    def set(self, key, value, timeout):
        cache_call(super().set, key, value, timeout)

    def add(self, key, value, timeout):
        return cache_call(super().add, key, value, timeout, default=False)

    def touch(self, key, timeout):
        return cache_call(super().touch, key, timeout, default=False)

    def set_many(self, data, timeout):
        cache_call(super().set_many, data, timeout)

    def delete(self, key):
        return cache_call(super().delete, key, default=False)

    def delete_many(self, keys):
        cache_call(super().delete_many, keys)

    def has_key(self, key):
        return cache_call(super().has_key, key, default=False)

    def incr(self, key, delta):
        missing = object()
        result = cache_call(super().incr, key, delta, default=missing)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def clear(self):
        return cache_call(super().clear, default=False)


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
