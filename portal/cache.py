"""Redis as the site's cache (django-redis), tolerant of a Redis that is down or full.

The cache only ever holds what can be rebuilt: rendered pages and API answers, the
statistics generation (which falls back to the database), rate counters and cached
partner keys. So no Redis error may become an error page:

- django-redis's ``IGNORE_EXCEPTIONS`` turns every error of a cache call (a refused
  connection, a timeout, a command the server refuses, such as a write to a full Redis with
  ``noeviction``) into a miss or a skipped write. The pipelines of the hot paths
  (``portal.response_cache``) treat their errors the same way. Rate limits fail open.
- One warning, not one per request: django-redis logs each ignored error to the
  ``portal.cache.ignored`` logger, and ``OncePerMinute`` lets one line a minute through.
- A pause: when a connection to Redis fails (refused, timed out, cut), every connection of
  the process gives up at once for ``OUTAGE_PAUSE`` seconds instead of trying again, so a
  Redis that hangs costs no timeout per request. Then it tries again, and the site is back
  on its cache as soon as Redis is. This lives in the connection class that django-redis's
  pool is given (``CONNECTION_POOL_KWARGS``), so every use of Redis gets it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.cache import caches
from django_redis.cache import RedisCache
from redis.connection import Connection, SSLConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_PAUSE = 2.0  # seconds without trying after a failure


class _Outage:
    """Process-wide memory of the last failure, shared by every connection and thread."""

    until = 0.0

    @classmethod
    def check(cls) -> None:
        if cls.until and time.monotonic() < cls.until:
            raise RedisConnectionError("Redis was unreachable a moment ago; not trying yet")

    @classmethod
    def failed(cls, error: Exception) -> None:
        if not cls.until or time.monotonic() >= cls.until:
            logger.warning("cache unavailable, serving without it for now: %s", error)
        cls.until = time.monotonic() + OUTAGE_PAUSE

    @classmethod
    def recovered(cls) -> None:
        if cls.until:
            cls.until = 0.0
            logger.warning("cache available again")


class PausingConnectionMixin:
    """A redis-py connection that stops trying for a moment after a failure."""

    def connect(self):
        _Outage.check()
        try:
            super().connect()
        except (RedisConnectionError, RedisTimeoutError) as error:
            _Outage.failed(error)
            raise
        _Outage.recovered()

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            _Outage.failed(error)
            raise


class PausingConnection(PausingConnectionMixin, Connection):
    pass


class PausingSSLConnection(PausingConnectionMixin, SSLConnection):
    pass


class OncePerMinute(logging.Filter):
    """Lets one record a minute through (per logger it is attached to)."""

    def __init__(self, name: str = ""):
        super().__init__(name)
        self.last = None

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if self.last is not None and now - self.last < 60:
            return False
        self.last = now
        return True


def redis_cache(url: str, *, key_prefix: str = "portal", **options) -> dict:
    """The ``CACHES`` entry for a Redis at ``url``: fast timeouts (a Redis that hangs must
    not hang the site), errors ignored, the pausing connection."""
    connection = PausingSSLConnection if urlsplit(url).scheme == "rediss" else PausingConnection
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "TIMEOUT": 60 * 60,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 1.0,
            "IGNORE_EXCEPTIONS": True,
            "CONNECTION_POOL_KWARGS": {"connection_class": connection},
            **options,
        },
    }


def pipeline():
    """A non-transactional pipeline on the cache's Redis (django-redis's connection), for
    hot paths that need several commands in one round trip."""
    from django_redis import get_redis_connection

    return get_redis_connection("default").pipeline(transaction=False)


ignored = logging.getLogger(f"{__name__}.ignored")


def execute(pipe) -> list | None:
    """Run ``pipe``: its results, or None when Redis is unavailable (the connection has
    logged and paused). A command the server refused (a write to a full Redis) comes back
    as its error in the list, so the commands that worked are still used."""
    try:
        results = pipe.execute(raise_on_error=False)
    except (RedisError, OSError):
        return None
    refused = next((result for result in results if isinstance(result, Exception)), None)
    if refused is not None:
        ignored.warning("cache refused a command, serving without it: %s", refused)
    return results


# --- Counting, and reading ahead: one round trip for what a request will read -----------


def _fetch(keys: Sequence[str], counters: Sequence[tuple[str, int]]) -> tuple[dict, dict]:
    """``get_many(keys)`` and a hit on each ``(counter, window)``: one pipeline on Redis.
    Returns the values found and the counts after the hits (a counter the cache could not
    count is left out; the whole answer is empty when Redis is unavailable)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):  # the local-memory cache of tests and development
        counts = {}
        for name, window in counters:
            backend.add(name, 0, window + 1)
            try:
                counts[name] = backend.incr(name)
            except ValueError:  # expired between the two calls
                backend.set(name, 1, window + 1)
                counts[name] = 1
        return (backend.get_many(keys) if keys else {}), counts
    pipe = pipeline()
    if keys:
        pipe.mget([backend.make_key(key) for key in keys])
    for name, window in counters:
        counter = backend.make_key(name)
        pipe.set(counter, 0, ex=window + 1, nx=True)
        pipe.incr(counter)
    results = execute(pipe)
    if results is None:
        return {}, {}
    found = {}
    if keys and not isinstance(results[0], Exception):
        decode = backend.client.decode
        found = {k: decode(raw) for k, raw in zip(keys, results[0], strict=True) if raw is not None}
    counted = results[1:] if keys else results
    counts = {
        name: counted[2 * i + 1]
        for i, (name, _) in enumerate(counters)
        if isinstance(counted[2 * i + 1], int)
    }
    return found, counts


@dataclass
class _ReadAhead:
    plan: Callable[[], tuple[Sequence[str], Sequence[tuple[str, int]]]]
    loaded: bool = False
    asked: frozenset = frozenset()
    values: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    def load(self) -> None:
        if not self.loaded:
            self.loaded = True
            keys, counters = self.plan()
            self.asked = frozenset(keys)
            self.values, self.counts = _fetch(keys, counters)


_read_ahead: ContextVar[_ReadAhead | None] = ContextVar("portal_cache_read_ahead", default=None)


@contextmanager
def read_ahead(plan: Callable[[], tuple[Sequence[str], Sequence[tuple[str, int]]]]):
    """Inside the block, the first ``cache_get_many`` or ``cache_counter_hit`` calls
    ``plan()`` for every key and counter the block is going to read, and reads and counts
    them all in one round trip; later calls answer from what was read. Code inside the
    block stays as it would be without it (an authentication class reads its key, a
    throttle counts, a view looks its answer up), only cheaper: the partner API's hot path
    is one round trip to Redis instead of three. A key or counter the plan did not name
    is read from the cache as usual."""
    token = _read_ahead.set(_ReadAhead(plan))
    try:
        yield
    finally:
        _read_ahead.reset(token)


def cache_get_many(keys: Sequence[str]) -> dict:
    """``cache.get_many(keys)``, from the read-ahead when it holds all of them."""
    ahead = _read_ahead.get()
    if ahead is not None:
        ahead.load()
        if ahead.asked.issuperset(keys):
            return {key: ahead.values[key] for key in keys if key in ahead.values}
    return caches["default"].get_many(keys)


def cache_counter_hit(key: str, window: int) -> int | None:
    """Count one hit under ``key``, which expires after ``window`` seconds; the count, or
    None when the cache is unavailable (callers fail open). Atomic across servers
    (``SET NX EX`` and ``INCR`` on Redis). A hit the read-ahead counted is used once."""
    ahead = _read_ahead.get()
    if ahead is not None:
        ahead.load()
        if key in ahead.counts:
            return ahead.counts.pop(key)
    return _fetch([], [(key, window)])[1].get(key)
