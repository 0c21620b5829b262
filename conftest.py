"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, as a fresh server would."""
    cache.clear()
    yield
    cache.clear()
