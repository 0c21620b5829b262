"""Time faceted slices on demand against the benchmark database, uncached, one client:
the busiest specialization × technology slice and ``all/all/<newest year>``, each with
two facets, through the selector the API and the salary page call (no response cache).
Prints one JSON object. Run by ``bench_engine.py`` with the benchmark's environment."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from salaries.models import SalaryStat  # noqa: E402
from salaries.selectors import salary_stat_narrowed, salary_stat_queryset  # noqa: E402

FACETS = {"seniority": "senior", "remote": "true"}
REPEATS = 31


def timed(stat) -> dict:
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        narrowed = salary_stat_narrowed(stat=stat, facets=FACETS)
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        salary_stat_narrowed(stat=stat, facets=FACETS)
    return {
        "slice": f"{stat.specialization_slug}/{stat.technology_slug}/{stat.year}",
        "offers": stat.offers,
        "faceted_offers": narrowed.offers,
        "p50_ms": statistics.median(samples) * 1000,
        "statements": len(queries),
    }


def main() -> None:
    stats = salary_stat_queryset()
    busiest = stats.filter(specialization__isnull=False, technology__isnull=False).order_by(
        "-offers"
    )[0]
    newest = stats.filter(specialization__isnull=True, technology__isnull=True).order_by("-year")[0]
    print(
        json.dumps(
            {"busiest": timed(busiest), "all": timed(newest), "slices": SalaryStat.objects.count()}
        )
    )


if __name__ == "__main__":
    main()
