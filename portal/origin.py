"""The site's public origin, in one place: canonical links, ``og:url``, JSON-LD, the
sitemap and robots.txt all name pages under the origin the request came to (its scheme,
and its host as validated against ``ALLOWED_HOSTS``), never a second source such as the
Wagtail Site record, so no page names two hosts. Behind a proxy, ``X-Forwarded-Proto``
sets the scheme (``SECURE_PROXY_SSL_HEADER``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest


def public_origin(request: HttpRequest) -> str:
    """``https://salaries.example.com``: the origin every absolute link of this site uses.
    Empty for a host the site does not serve (links stay relative on the 400 page that
    refuses it, instead of failing a second time there)."""
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return ""


def absolute_url(request: HttpRequest, url: str) -> str:
    """``url`` (a path, or an absolute URL another source built) under the public origin."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{public_origin(request)}{path}{query}"
