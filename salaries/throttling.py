"""Rate limits of the partner API: per key at its partner's rate, per client address
without a key at the anonymous rate (``API_PARTNER_RATE`` / ``API_ANON_RATE``).

Fixed windows aligned to the clock (a ``1000/hour`` key gets 1000 requests from 10:00:00
to 10:59:59), counted with an atomic increment in the shared cache, so several app servers
enforce one limit between them. Every response tells the client where it stands:
``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (the Unix time
at which the window ends); over the limit, a 429 with ``Retry-After`` in seconds.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from salaries.models import PartnerAPIKey, rate_parse

COUNTER_PREFIX = "api:rate"


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset: int  # Unix time at which the window ends

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


def rate_counter_hit(key: str, window: int) -> int:
    """Count one request under ``key`` (which expires with its window); returns the count.

    On Redis, one round trip: ``SET key 0 EX window NX`` and ``INCR key`` in a pipeline.
    Elsewhere (the local-memory cache of tests and development) ``add`` then ``incr``.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        pipe = backend._cache.get_client(full_key, write=True).pipeline(transaction=False)
        pipe.set(full_key, 0, ex=window + 1, nx=True)
        pipe.incr(full_key)
        return int(pipe.execute()[1])
    cache.add(key, 0, window + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, window + 1)
        return 1


class PartnerRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        api_key = request.auth if isinstance(request.auth, PartnerAPIKey) else None
        if api_key is not None:
            rate = api_key.partner.rate or api_settings.DEFAULT_THROTTLE_RATES["partner"]
            who = f"key:{api_key.prefix}"
        else:
            rate = api_settings.DEFAULT_THROTTLE_RATES["anon"]
            who = f"anon:{self.get_ident(request)}"
        limit, window = rate_parse(rate)
        self.now = time.time()
        start = int(self.now // window) * window
        count = rate_counter_hit(f"{COUNTER_PREFIX}:{who}:{window}:{start}", window)
        self.state = RateLimit(limit=limit, remaining=max(0, limit - count), reset=start + window)
        request.rate_limit = self.state
        return count <= limit

    def wait(self) -> float:
        return max(1, math.ceil(self.state.reset - self.now))
