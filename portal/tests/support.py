"""Helpers shared by test modules of several apps."""

import os
import re
from html import unescape

import pytest
import redis


def require_redis(url: str) -> None:
    """Skip when no Redis answers at ``url`` on a developer's machine; fail under
    ``CI=true``, where the tests that need it must run."""
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is not answering at {url}")
        pytest.skip(f"Redis is not answering at {url}")


def text_of(response) -> str:
    """A page's visible text as a visitor reads it: tags, scripts and styles stripped,
    entities decoded, whitespace folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
