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

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from portal.cache import cache_counter_hit
from portal.client_address import client_address
from salaries.authentication import key_prefix
from salaries.models import PartnerAPIKey
from salaries.rates import RATE_PERIODS, rate_parse

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


def _counter(who: str, window: int, now: float) -> tuple[str, int]:
    start = int(now // window) * window
    return f"{COUNTER_PREFIX}:{who}:{window}:{start}", start


class PartnerRateThrottle(BaseThrottle):
    """Counts a request against its key's limit at its partner's rate, or, without a
    (valid) key, against its client address's anonymous limit. After ``allow_request``,
    ``state`` says where the client stands (for the ``X-RateLimit-*`` headers)."""

    state: RateLimit | None = None

    def allow_request(self, request, view) -> bool:
        api_key = request.auth if isinstance(request.auth, PartnerAPIKey) else None
        return self.count(request, api_key)

    def count(self, request, api_key: PartnerAPIKey | None) -> bool:
        """Count one request; whether it is within the limit. The views also call it for
        a malformed or unknown key, which counts as a request without a key, so guessing
        keys is throttled like any anonymous traffic."""
        if api_key is not None:
            rate = api_key.partner.rate or api_settings.DEFAULT_THROTTLE_RATES["partner"]
            who = f"key:{api_key.prefix}"
        else:
            rate = api_settings.DEFAULT_THROTTLE_RATES["anon"]
            who = f"anon:{self.get_ident(request)}"
        limit, window = rate_parse(rate)
        self.now = time.time()
        name, start = _counter(who, window, self.now)
        count = cache_counter_hit(name, window)
        if count is None:  # the shared cache is unavailable: fail open rather than lock out
            count = 0
        self.state = RateLimit(limit=limit, remaining=max(0, limit - count), reset=start + window)
        return count <= limit

    @classmethod
    def counters(cls, request) -> list[tuple[str, int]]:
        """The counters ``count`` will hit for this request, as far as can be told before
        its key is checked (for ``portal.cache.read_ahead``): the client address's without
        a key, and with one, the key's in each window a rate can have (which one its
        partner's rate uses is known only once the key is read)."""
        now = time.time()
        header = request.META.get("HTTP_AUTHORIZATION", "").strip()
        if not header:
            window = rate_parse(api_settings.DEFAULT_THROTTLE_RATES["anon"])[1]
            return [(_counter(f"anon:{cls().get_ident(request)}", window, now)[0], window)]
        prefix = key_prefix(request)
        if prefix is None:
            return []  # refused before any counting
        return [
            (_counter(f"key:{prefix}", window, now)[0], window) for window in RATE_PERIODS.values()
        ]

    def get_ident(self, request) -> str:
        return client_address(request) or "unknown"

    def wait(self) -> float:
        return max(1, math.ceil(self.state.reset - self.now))
