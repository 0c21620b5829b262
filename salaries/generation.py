"""The statistics generation: the id of the newest published ``StatsRun``.

Everything built on the published figures (pages, API responses) is cached under a key
that includes the generation, so publishing a new set makes all of it stale at once and
no one has to hunt down keys. The generation lives in the shared cache (Redis in
production) for speed and in the database for truth: a cold or flushed cache reads it
back from the database.
"""

from django.core.cache import cache
from django.db.models import Max

GENERATION_KEY = "salaries:stats-generation"
# A bound on how long a lost race between two cache writers could serve an old value.
GENERATION_TTL = 300


def _generation_from_database() -> int:
    from salaries.models import StatsRun

    return StatsRun.objects.aggregate(latest=Max("id"))["latest"] or 0


def stats_generation() -> int:
    """The current generation; one cache round trip on the hot path."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = _generation_from_database()
        cache.add(GENERATION_KEY, value, GENERATION_TTL)
    return int(value)


def stats_generation_publish() -> int:
    """Called after a statistics run commits: point every reader at the new set."""
    value = _generation_from_database()
    cache.set(GENERATION_KEY, value, GENERATION_TTL)
    return value
