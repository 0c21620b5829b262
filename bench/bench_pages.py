"""Benchmark the public salary page: gunicorn, production settings, PostgreSQL and Redis.

With 1,000,000 generated offers in PostgreSQL, serves the site with gunicorn on 127.0.0.1
and measures, in one run and under the same server settings:

- a bare Django view returning a small fixed page (``bench/urls.py``): throughput;
- the cached salary page: throughput, and its ratio to the bare view (goal: at least 50%);
- the uncached salary page, one client, the cache flushed before each request: median and
  p90 latency (goal: median at most 30 ms);
- the uncached salary page at 32 connections (a server whose cached pages expire at once,
  so every request renders): throughput and latency.

    .venv/bin/python bench/bench_pages.py [--offers 1000000] [--duration 10] [--rounds 3]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), Redis on 127.0.0.1:6379
(database 15 is flushed) and wrk (``apt-get install wrk``). Loopback only; every load run
is bounded by ``--duration``. The benchmark database is kept between runs (``--fresh``
rebuilds it) because loading a million offers takes minutes.
"""

import argparse
import multiprocessing
import os
import sys

from harness import Stack, combine, preflight, print_table

DB = "portal_bench_pages"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
PORT = 8765
TARGETS = {"cached_ratio": 0.5, "uncached_median_ms": 30}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=1_000_000, help="Offers in the database.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of each load run.")
    parser.add_argument("--connections", type=int, default=32, help="Concurrent connections.")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * multiprocessing.cpu_count() + 1,
        help="gunicorn worker processes (default as in gunicorn.conf.py: 2 × cores + 1).",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="Threads per worker (1: sync workers)."
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="Alternating bare / cached load runs."
    )
    parser.add_argument("--single", type=int, default=300, help="Requests of the single client.")
    parser.add_argument("--fresh", action="store_true", help="Rebuild the benchmark database.")
    args = parser.parse_args()
    preflight(REDIS_URL)
    stack = Stack(DB, REDIS_URL, PORT)
    stack.prepare_database(args.offers, args.fresh)
    stack.manage("collectstatic", "--noinput", "-v0")
    page = "/salaries/{}/{}/{}/".format(*stack.busiest_slice())
    stack.flush_cache()
    kind = (
        f"{args.workers} sync workers"
        if args.threads == 1
        else (f"{args.workers} workers × {args.threads} threads")
    )
    print(f"Salary page: {page}; gunicorn {kind}")

    wrk = stack.wrk
    with stack.server(args.workers, args.threads):
        for path in ("/bench/bare/", page):
            for _ in range(20):
                if stack.get(path).status != 200:
                    sys.exit(f"{path} does not answer 200")
        warm = max(2, args.duration // 5)
        wrk("/bench/bare/", duration=warm, connections=args.connections)
        wrk(page, duration=warm, connections=args.connections)
        # Bare and cached runs alternate, so that anything else the machine does weighs on
        # both alike; the ratio is taken over all rounds.
        rounds = []
        for _ in range(args.rounds):
            rounds.append(
                (
                    wrk("/bench/bare/", duration=args.duration, connections=args.connections),
                    wrk(page, duration=args.duration, connections=args.connections),
                )
            )
        bare, cached = (combine([r[i] for r in rounds]) for i in (0, 1))
        single = stack.uncached_single_client(page, args.single)
    # The cache keys ignore parameters a page does not read, so a junk query string no
    # longer forces a miss: the uncached run uses a server whose page entries expire at once.
    stack.flush_cache()  # what the cached runs stored
    with stack.server(args.workers, args.threads, uncached=True):
        uncached = wrk(page, duration=args.duration, connections=args.connections)

    ratio = cached["rps"] / bare["rps"]
    per_round = ", ".join(f"{c['rps'] / b['rps']:.0%}" for b, c in rounds)
    c = args.connections
    print_table(
        [
            (f"bare Django view, {c} conns", bare),
            (f"cached salary page, {c} conns", cached),
            (f"uncached salary page, {c} conns", uncached),
        ],
        ("uncached salary page, 1 client", single),
    )
    print(f"\ncached page / bare view: {ratio:.0%} (rounds: {per_round})")
    verdict = {True: "PASS", False: "FAIL"}
    print("\nTargets:")
    print(
        f"  cached page >= 50% of the bare view ...... {verdict[ratio >= TARGETS['cached_ratio']]}"
    )
    print(
        f"  uncached median <= 30 ms, one client ..... "
        f"{verdict[single['p50'] <= TARGETS['uncached_median_ms']]}"
    )
    print(f"  no errors under load ..................... "
          f"{verdict[not (bare['bad'] or cached['bad'] or uncached['bad'])]}")  # fmt: skip


if __name__ == "__main__":
    main()
