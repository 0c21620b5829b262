"""Helpers shared by test modules of several apps."""

import os

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
