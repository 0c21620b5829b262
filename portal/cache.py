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
from urllib.parse import urlsplit

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
