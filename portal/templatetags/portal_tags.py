"""Template tags every part of the site uses."""

import datetime
import json
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe

from portal import origin

register = template.Library()

_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: dict) -> SafeString:
    """``data`` as JSON safe to place inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308  (<, > and & escaped)


@register.inclusion_tag("includes/share.html")
def share_links(url: str, text: str) -> dict:
    """Share links that need no third-party script: each network's own share URL, email,
    and a copy button that a small first-party script reveals."""
    u, t = quote(url, safe=""), quote(text, safe="")
    return {
        "share_url": url,
        "share_links": [
            {
                "name": "LinkedIn",
                "href": f"https://www.linkedin.com/sharing/share-offsite/?url={u}",
            },
            {"name": "X", "href": f"https://x.com/intent/post?url={u}&text={t}"},
            {"name": "Facebook", "href": f"https://www.facebook.com/sharer/sharer.php?u={u}"},
            {"name": "Email", "href": f"mailto:?subject={t}&body={u}"},
        ],
    }


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """``url`` under the site's one public origin (``portal.origin``)."""
    return origin.absolute_url(context["request"], url or "/")


@register.filter
def iso_datetime(value) -> str:
    """A datetime as HTML's ``<time datetime>`` takes it: UTC, whole seconds
    (``2024-12-31T23:00:00Z``); microseconds are not valid there."""
    if not value:
        return ""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
