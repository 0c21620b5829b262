"""Fixtures shared by every app's tests."""

import random

import pytest
from django.core.cache import cache

from salaries.factories import SpecializationFactory, TechnologyFactory, add_offers
from salaries.services import salary_stats_refresh


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, as a fresh server would."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue():
    """A small catalogue named like the real one: Back-End and Front-End, Flask and friends."""
    back_end = SpecializationFactory(
        slug="back-end", name="Back-End", role_title="Back-End Web Developer"
    )
    front_end = SpecializationFactory(slug="front-end", name="Front-End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    django = TechnologyFactory(slug="django", name="Django")
    fastapi = TechnologyFactory(slug="fastapi", name="FastAPI")
    react = TechnologyFactory(slug="react", name="React")
    flask.related.add(django, fastapi)
    return {
        "back-end": back_end,
        "front-end": front_end,
        "flask": flask,
        "django": django,
        "fastapi": fastapi,
        "react": react,
    }


@pytest.fixture
def published(catalogue):
    """Random offers over the catalogue and published statistics (minimum 5 offers): Back-End
    × Flask in 2023 and 2024, Django in 2024, FastAPI under the threshold, React front-end."""
    rng = random.Random(2024)
    c = catalogue
    add_offers(c["back-end"], [c["flask"]], 2024, 60, rng=rng, base=7700)
    add_offers(c["back-end"], [c["flask"]], 2023, 40, rng=rng, base=7000)
    add_offers(c["back-end"], [c["django"]], 2024, 30, rng=rng, base=6500)
    add_offers(c["back-end"], [c["fastapi"]], 2024, 3, rng=rng, base=6000)  # under threshold
    add_offers(c["front-end"], [c["react"]], 2024, 25, rng=rng, base=5000)
    salary_stats_refresh(min_offers=5)
    return c
