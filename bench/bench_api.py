"""Benchmark the partner API: gunicorn, production settings, PostgreSQL and Redis.

With 1,000,000 generated offers in PostgreSQL, serves the site with gunicorn on 127.0.0.1
and measures, in one run and under the same server settings, every API request carrying
a partner key (so authentication and the Redis rate-limit counter are part of the cost):

- a bare DRF view returning a small fixed JSON object (``bench/urls.py``): throughput;
- the cached slice detail: throughput, and its ratio to the bare view (goal: at least 50%),
  in alternating rounds so that other load on the machine weighs on both alike;
- ``/api/v1/stats/?year=2024`` (first page), one client, the cache flushed before each
  request: median and p90 latency (goal: median at most 40 ms);
- the same list uncached at 32 connections (a server whose cached answers expire at once);
- SQL queries per list page at page sizes 1, 50 and 500 (goal: the same number).

    .venv/bin/python bench/bench_api.py [--offers 1000000] [--duration 15] [--fresh]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), Redis on 127.0.0.1:6379
(database 12 is flushed; ``BENCH_API_REDIS_URL`` picks another) and wrk. Loopback only;
every load run is bounded by ``--duration``. The benchmark database is kept between runs
(``--fresh`` rebuilds it) because loading a million offers takes minutes.
"""

import argparse
import json
import os
import statistics
import sys

from harness import Stack, load_average, preflight, print_table, psql

DB = "portal_bench_api"
REDIS_URL = os.environ.get("BENCH_API_REDIS_URL", "redis://127.0.0.1:6379/12")
PORT = 8766
LIST = "/api/v1/stats/?year=2024"
TARGETS = {"cached_ratio": 0.5, "uncached_median_ms": 40}
STACK = Stack(DB, REDIS_URL, PORT)

QUERIES_SCRIPT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_AUTHORIZATION="Api-Key %(key)s", HTTP_HOST="127.0.0.1")
client.get("/api/v1/specializations/")  # the generation and content version are cached now
counts = {}
for size in (1, 50, 500):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("%(path)s&page_size=" + str(size))
    assert response.status_code == 200, response.status_code
    counts[size] = len(queries)
print(json.dumps(counts))
"""


def queries_per_page(key: str) -> dict[int, int]:
    out = STACK.manage("shell", "-c", QUERIES_SCRIPT % {"key": key, "path": LIST})
    return {int(size): count for size, count in json.loads(out.strip().splitlines()[-1]).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=1_000_000, help="Offers in the database.")
    parser.add_argument("--duration", type=int, default=15, help="Seconds of each load run.")
    parser.add_argument("--connections", type=int, default=32, help="Concurrent connections.")
    # Sync workers, 2 × cores + 1: with threaded workers a request thread that waits on
    # Redis has to win the GIL back from busy sibling threads, and throughput of any view
    # doing I/O mid-request swings by half from run to run (docs/benchmarks.md).
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes.")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker.")
    parser.add_argument("--single", type=int, default=300, help="Requests of the single client.")
    parser.add_argument("--rounds", type=int, default=3, help="Bare/cached pairs of load runs.")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the benchmark database.")
    args = parser.parse_args()
    preflight(REDIS_URL)
    stack = STACK

    print(f"load average at the start (1, 5, 15 min): {load_average()}")
    stack.prepare_database(args.offers, args.fresh)
    stack.manage("collectstatic", "--noinput", "-v0")
    key = stack.manage("create_partner_key", "Benchmark", "--rate", "999999999/hour").split()[-1]
    detail = "/api/v1/stats/{}/{}/{}/".format(*stack.busiest_slice())
    stack.flush_cache()
    queries = queries_per_page(key)
    print(f"Slice: {detail}; list: {LIST}; gunicorn {args.workers} × {args.threads} threads")

    headers = {"Authorization": f"Api-Key {key}"}
    with stack.server(args.workers, args.threads):
        for path in ("/bench/bare-drf/", detail, LIST):
            for _ in range(20):
                response = stack.get(path, headers=headers)
                if response.status != 200:
                    sys.exit(f"{path} answers {response.status}: {response.body[:300]!r}")
        load = {"connections": args.connections, "headers": headers}
        wrk = stack.wrk
        wrk("/bench/bare-drf/", duration=max(2, args.duration // 5), **load)
        # Bare and cached runs alternate, so load from elsewhere on the machine hits both
        # alike; the ratio is the median of the rounds' ratios.
        rounds = []
        for _ in range(args.rounds):
            bare = wrk("/bench/bare-drf/", duration=args.duration, **load)
            cached = wrk(detail, duration=args.duration, **load)
            rounds.append((bare, cached))
        single = stack.uncached_single_client(LIST, args.single, headers)
    # Cache keys ignore parameters an endpoint does not read, so a junk query string no
    # longer forces a miss: the uncached run uses a server whose answers expire at once.
    stack.flush_cache()  # what the cached runs stored
    with stack.server(args.workers, args.threads, uncached=True):
        uncached = wrk(LIST, duration=args.duration, **load)
    psql("DELETE FROM salaries_partnerapikey WHERE name LIKE 'Benchmark #%'", DB)

    ratios = [cached["rps"] / bare["rps"] for bare, cached in rounds]
    ratio = statistics.median(ratios)
    bare, cached = sorted(rounds, key=lambda pair: pair[1]["rps"] / pair[0]["rps"])[
        len(rounds) // 2
    ]
    c = args.connections
    print_table(
        [
            (f"bare DRF view, {c} conns", bare),
            (f"cached slice detail, {c} conns", cached),
            (f"uncached stats list, {c} conns", uncached),
        ],
        ("uncached stats list, 1 client", single),
    )
    print(f"\nSQL queries per list page by page size: {queries}")
    print(f"load average at the end (1, 5, 15 min): {load_average()}")
    print(
        f"cached slice detail / bare DRF view: {ratio:.0%} (median of {len(rounds)} rounds: "
        f"{', '.join(f'{r:.0%}' for r in ratios)}; the table shows the median round)"
    )
    verdict = {True: "PASS", False: "FAIL"}
    print("\nTargets:")
    print(
        f"  cached detail >= 50% of the bare view ........ "
        f"{verdict[ratio >= TARGETS['cached_ratio']]}"
    )
    print(
        f"  uncached list median <= 40 ms, one client .... "
        f"{verdict[single['p50'] <= TARGETS['uncached_median_ms']]}"
    )
    print(
        f"  queries per list page constant ............... "
        f"{verdict[len(set(queries.values())) == 1]}"
    )
    print(
        f"  no errors under load ......................... "
        f"{verdict[not (bare['bad'] or cached['bad'] or uncached['bad'])]}"
    )


if __name__ == "__main__":
    main()
