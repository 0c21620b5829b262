"""The one rule for "who is asking": every rate limit, lockout and log line uses it.

Without trusted proxies (``TRUSTED_PROXY_COUNT`` unset or 0) the client is the peer that
opened the connection (``REMOTE_ADDR``), and ``X-Forwarded-For`` is ignored: anyone can
write that header. Behind N trusted reverse proxies, each of which appends the address it
saw to ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``), the client is the
right-most hop that no trusted proxy vouches for: the N-th entry from the right. Whatever a
client writes to the left of it is ignored. A request that carries fewer hops than that
did not come through the proxies, so its peer address is used.

django-ipware parses the header (bracketed IPv6, ports, junk entries); the position is
ours to give, and only ``X-Forwarded-For`` is read (ipware's default list also reads
headers such as ``X-Real-IP`` that a client could send).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


def client_address(request: HttpRequest) -> str | None:
    """The address that rate limits, the admin lockout and logs attribute the request to;
    None when the request has none (a test client, a management command's fake request)."""
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies or FORWARDED_HEADER not in request.META:
        return peer
    address, _ = get_client_ip(
        request,
        proxy_count=proxies - 1,  # ipware counts the proxies listed after the client
        request_header_order=[FORWARDED_HEADER],
        strict=False,
    )
    return address or peer
