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

from portal.client_address import client_address
from portal.response_cache import cache_counter_hit
from salaries.authentication import key_prefix
from salaries.models import PartnerAPIKey
from salaries.rates import rate_parse

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


# The window each key was last seen with in this process: a guess that lets a view count
# the request in the round trip that reads its cached response (``rate_counter_guess``).
# A wrong guess costs one extra round trip; nothing else relies on it.
_WINDOW_SEEN: dict[str, int] = {}


def _counter(who: str, window: int, now: float) -> tuple[str, int]:
    start = int(now // window) * window
    return f"{COUNTER_PREFIX}:{who}:{window}:{start}", start


def _anonymous(request) -> str:
    """Whose counter a request without a (valid) key counts against: its client's."""
    return f"anon:{client_address(request) or 'unknown'}"


def rate_counter_guess(request) -> tuple[str, int] | None:
    """The counter this request will most likely hit, and its window, if known before
    the key is checked: always without a key, for a key once this process has seen it."""
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    prefix = key_prefix(request) if header else None
    if prefix:
        window = _WINDOW_SEEN.get(prefix)
        who = f"key:{prefix}"
    elif header:
        return None  # the key will be refused before any counting
    else:
        window = rate_parse(api_settings.DEFAULT_THROTTLE_RATES["anon"])[1]
        who = _anonymous(request)
    if window is None:
        return None
    return _counter(who, window, time.time())[0], window


def rate_hit(request, api_key: PartnerAPIKey | None) -> tuple[RateLimit, bool, float]:
    """Count the request against its key's limit, or against its client address's
    anonymous limit without a (valid) key. Returns where it stands, whether it is allowed,
    and the time it was counted at."""
    if api_key is not None:
        rate = api_key.partner.rate or api_settings.DEFAULT_THROTTLE_RATES["partner"]
        who = f"key:{api_key.prefix}"
    else:
        rate = api_settings.DEFAULT_THROTTLE_RATES["anon"]
        who = _anonymous(request)
    limit, window = rate_parse(rate)
    now = time.time()
    name, start = _counter(who, window, now)
    counted = getattr(request, "rate_counted", None)  # by the view, with its cache read
    count = counted[1] if counted and counted[0] == name else cache_counter_hit(name, window)
    if count is None:  # the shared cache is unavailable: fail open rather than lock out
        count = 0
    if api_key is not None:
        _WINDOW_SEEN[api_key.prefix] = window
    state = RateLimit(limit=limit, remaining=max(0, limit - count), reset=start + window)
    request.rate_limit = state
    return state, count <= limit, now


def wait_seconds(state: RateLimit, now: float) -> int:
    return max(1, math.ceil(state.reset - now))


class PartnerRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        api_key = request.auth if isinstance(request.auth, PartnerAPIKey) else None
        self.state, allowed, self.now = rate_hit(request, api_key)
        return allowed

    def get_ident(self, request) -> str:
        return client_address(request) or "unknown"

    def wait(self) -> float:
        return wait_seconds(self.state, self.now)
