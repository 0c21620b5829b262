"""Load and fault runs of the production stack: 1,000,000 offers, gunicorn, PostgreSQL, Redis.

Everything runs on loopback against a stack of its own, so nothing here can disturb other
work on the machine: a PostgreSQL cluster made for it (``bench/data/load-pg``, port 5440)
holding a copy of the page benchmark's 1,000,000-offer database plus the demo articles,
a Redis server on port 6390, and gunicorn with production settings and
``gunicorn.conf.py`` on port 8790. Three phases, each bounded in time:

``load``
    Mixed traffic from ``mixed.lua`` (salary pages, the explorer, specialization pages,
    articles, the partner API with keys) at 64 connections for 60 s while
    ``import_offers`` writes 100,000 new offers and ``compute_salary_stats`` runs twice
    (the second after the import, so it publishes the new offers). Records throughput,
    p50/p99, every status seen, and checks that no response mixes two statistics runs: a
    sampler fetches salary pages, slice details and a list (cached and uncached) all
    along, while a poller snapshots the published rows of every run; each sampled
    response's figures must all belong to the one run it says it was computed from.
``redis``
    The same traffic for 40 s; at 10 s the Redis server is stopped, at 20 s started
    again (empty). The site must keep serving from the database and use the cache again.
``postgres``
    The same traffic for 40 s; at 10 s PostgreSQL is stopped (fast shutdown), at 15 s
    started again. Requests that need the database must get a clean 503, never a 500,
    and the site must recover by itself.

A probe client requests a cached page, an uncached page and an API slice in turn every
50 ms during the fault runs and prints what it saw in each phase.

    .venv/bin/python bench/load/run_load.py [--phases load,redis,postgres] [--duration 60]

Needs PostgreSQL 15 binaries (``initdb``, ``pg_ctl``; run as root they run as the
``postgres`` user), the ``portal_bench_pages`` database on 127.0.0.1:5432 (made by
``bench/bench_pages.py``) to copy from, ``redis-server`` and ``wrk``.

The stack is in ``stack.py``, the traffic in ``traffic.py``, the consistency check in
``consistency.py``; what they share with the page and API benchmarks (the database,
``manage.py``, gunicorn, wrk, HTTP requests) is ``bench/harness.py``.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from consistency import Sampler, Snapshots, check_sample, label_lag
from stack import (
    DATA,
    HOST,
    HTTP_PORT,
    IMPORT_PREFIX,
    LOAD_PG_PORT,
    STACK,
    RedisServer,
    get,
    log,
    pg_ctl,
    pg_start,
    prepare_cluster,
    prepare_data,
)
from traffic import describe, make_keys, status_counts, write_urls, wrk

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/
from generate_offers import generate  # noqa: E402
from harness import load_average, pg_ready, require  # noqa: E402

IMPORT_ROWS = 100_000


# --- Phases -------------------------------------------------------------------------------


def import_file() -> Path:
    """100,000 new offers: the generator's rows under offer ids no earlier run used."""
    path = DATA / f"load-import-{IMPORT_ROWS}.csv"
    if not path.exists():
        buffer = io.StringIO()
        generate(IMPORT_ROWS, buffer, seed=99)
        buffer.seek(0)
        reader = csv.reader(buffer)
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(next(reader))
            for row in reader:
                row[0] = IMPORT_PREFIX + row[0]
                writer.writerow(row)
    return path


def timed_job(timeline: list, name: str, *args: str) -> threading.Thread:
    def run():
        started = time.monotonic()
        timeline.append((started, f"{name} started"))
        done = STACK.run(*args)
        summary = (done.stdout.strip().splitlines() or [""])[-1][:160]
        state = "finished" if done.returncode == 0 else f"FAILED ({done.stderr[-300:]})"
        took = time.monotonic() - started
        timeline.append((time.monotonic(), f"{name} {state} in {took:.1f} s: {summary}"))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def phase_load(urls: Path, keys: list[str], args) -> bool:
    slices = [
        tuple(line.split("|")[:2]) + (int(line.split("|")[2]),)
        for line in STACK.psql(
            "SELECT s.slug, t.slug, st.year FROM salaries_salarystat st "
            "JOIN salaries_specialization s ON s.id = st.specialization_id "
            "JOIN salaries_technology t ON t.id = st.technology_id "
            "WHERE st.year >= 2024 AND st.median IS NOT NULL "
            "ORDER BY st.offers DESC LIMIT 6"
        ).splitlines()
    ]
    snapshots = Snapshots(sorted({spec for spec, _, _ in slices}))
    snapshots.start()
    samplers = [Sampler(slices, keys[0], seed) for seed in range(2)]
    path = import_file()
    timeline: list[tuple[float, str]] = []
    log(
        f"Load: {args.connections} connections for {args.duration} s, mixed traffic; "
        f"import of {IMPORT_ROWS:,} offers and two statistics runs during it"
    )
    for sampler in samplers:
        sampler.start()
    begin = time.monotonic()

    def jobs():
        time.sleep(3)
        importing = timed_job(timeline, "import_offers", "import_offers", str(path))
        first = timed_job(timeline, "compute_salary_stats #1", "compute_salary_stats")
        importing.join()
        first.join()
        timed_job(timeline, "compute_salary_stats #2", "compute_salary_stats").join()

    background = threading.Thread(target=jobs, daemon=True)
    background.start()
    result = wrk(urls, keys, duration=args.duration, connections=args.connections)
    load_end = time.monotonic()
    # The jobs take longer than the measured window on two cores: the same traffic goes on
    # in 10-second runs until they finish, so every job runs under load; reported apart.
    overtime = []
    while background.is_alive() and time.monotonic() - begin < 600:
        overtime.append(wrk(urls, keys, duration=10, connections=args.connections))
    background.join(timeout=600)
    for sampler in samplers:
        sampler.stop.set()
        sampler.join()
    snapshots.stop.set()
    snapshots.join()

    for at, event in sorted(timeline):
        log(f"  t+{at - begin:5.1f} s  {event}")
    log(f"  t+{load_end - begin:5.1f} s  load ended")
    samples = [s for sampler in samplers for s in sampler.samples]
    failures = sum((sampler.failures for sampler in samplers), Counter())
    per_run, bad, lagging = Counter(), [], []
    for sample in samples:
        claimed, problems = check_sample(sample, snapshots.runs)
        per_run[claimed] += 1
        if label_lag(sample, claimed):
            lagging.append((sample["kind"], sample["slice"], claimed, sample["headers"]["ETag"]))
        if problems:
            bad.append((sample["kind"], sample["slice"], claimed, problems[:3]))
    late = [event for at, event in timeline if at > load_end]
    everything = [result, *overtime]
    statuses = sum((r["statuses"] for r in everything), Counter())
    errors = sum(n for code, n in statuses.items() if code >= 500)
    errors += sum(n for code, n in statuses.items() if 400 <= code < 500 and code != 404)
    socket_errors = "; ".join(r["socket_errors"] for r in everything if r["socket_errors"])
    log(f"Load result, first {args.duration} s: " + describe(result))
    if overtime:
        log(
            f"  then {len(overtime)} × 10 s until the jobs finished: "
            f"{sum(r['requests'] for r in overtime):,} requests, "
            f"{statistics.fmean(r['rps'] for r in overtime):,.0f} req/s, "
            f"p99 up to {max(r['p99'] for r in overtime):.1f} ms; statuses "
            + status_counts(sum((r["statuses"] for r in overtime), Counter()))
        )
    log(
        f"  runs published during the load: {sorted(snapshots.runs)}; "
        f"{snapshots.mixed_polls} polls saw two runs at once"
    )
    log(
        f"  consistency: {len(samples):,} sampled responses ("
        + ", ".join(f"run #{run}: {n:,}" for run, n in sorted(per_run.items(), key=str))
        + f"), {len(bad)} mixing figures of two runs; sampler failures: {dict(failures)}"
    )
    for problem in bad[:10]:
        log(f"    {problem}")
    log(
        f"  API answers whose ETag names the previous generation (figures all of the new "
        f"run): {len(lagging)}"
    )
    for lag in lagging[:5]:
        log(f"    {lag}")
    if late:
        log(f"  after the first {args.duration} s: {late}")
    return not (errors or bad or failures or socket_errors)


class Probe(threading.Thread):
    """One client, every 50 ms: a cached page, an uncached page, an API slice in turn."""

    def __init__(self, paths: list[tuple[str, str, dict | None]]):
        super().__init__(daemon=True)
        self.paths = paths
        self.seen: list[tuple[float, str, int | str, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        turn = 0
        while not self.stop.is_set():
            label, path, headers = self.paths[turn % len(self.paths)]
            turn += 1
            path = path.replace("{n}", str(turn))
            started = time.monotonic()
            try:
                status, got, _ = get(path, headers, timeout=5)
                if status == 503 and "Retry-After" not in got:
                    status = "503 without Retry-After"
            except OSError as error:
                status = type(error).__name__
            self.seen.append((started, label, status, time.monotonic() - started))
            time.sleep(0.05)


def phase_fault(kind: str, urls: Path, keys: list[str], redis_server: RedisServer, args) -> bool:
    spec, tech, year = STACK.busiest_slice()
    page = f"/salaries/{spec}/{tech}/{year}/"
    # The salary page reads no parameter, so a query string would share its cached entry:
    # the uncached page is the explorer with a min_offers never asked for (ending in 1 in
    # the Redis run, 2 in the PostgreSQL run), rendered from the database every time.
    uncached = f"/salaries/?specialization={spec}&year={year}&min_offers={{n}}"
    uncached += "1" if kind == "redis" else "2"
    probe = Probe(
        [
            ("cached page", page, None),
            ("uncached page", uncached, None),
            (
                "API slice",
                f"/api/v1/stats/{spec}/{tech}/{year}/",
                {"Authorization": f"Api-Key {keys[0]}"},
            ),
        ]
    )
    down_at, up_at = 10.0, 20.0 if kind == "redis" else 15.0
    marks: dict[str, float] = {}

    def fault():
        time.sleep(down_at)
        marks["down"] = time.monotonic()
        if kind == "redis":
            redis_server.stop()
        else:
            pg_ctl("stop", "-m", "fast")
        marks["stopped"] = time.monotonic()
        time.sleep(max(0.0, up_at - (time.monotonic() - begin)))
        marks["up"] = time.monotonic()
        if kind == "redis":
            redis_server.start()
        else:
            pg_start()
        marks["started"] = time.monotonic()

    log(
        f"Fault run ({kind}): {args.connections} connections for {args.fault_duration} s; "
        f"{kind} stopped at t+{down_at:.0f} s, started at t+{up_at:.0f} s"
    )
    begin = time.monotonic()
    probe.start()
    faulting = threading.Thread(target=fault, daemon=True)
    faulting.start()
    result = wrk(urls, keys, duration=args.fault_duration, connections=args.connections)
    faulting.join()
    probe.stop.set()
    probe.join()

    for name in ("down", "stopped", "up", "started"):
        log(f"  t+{marks[name] - begin:5.1f} s  {kind} {name}")
    phases = [
        ("before", begin, marks["down"]),
        ("during", marks["down"], marks["started"]),
        ("after", marks["started"], float("inf")),
    ]
    for name, start, end in phases:
        seen = [s for s in probe.seen if start <= s[0] < end]
        statuses = Counter((s[1], s[2]) for s in seen)
        slow = statistics.median(s[3] * 1000 for s in seen) if seen else 0
        log(
            f"  probe {name:6} {len(seen):4} requests, median {slow:6.1f} ms: "
            + ", ".join(f"{p} {c}: {n}" for (p, c), n in sorted(statuses.items(), key=str))
        )
    timeline = " ".join(
        f"{s[0] - begin:.1f}-{s[0] + s[3] - begin:.1f}:{s[2]}"
        for s in probe.seen
        if s[1] == "uncached page" and marks["down"] - 1 <= s[0] <= marks["started"] + 1
    )
    log(f"  uncached page probes around the fault (sent-answered s: status): {timeline}")
    uncached_ok = [
        s[0]
        for s in probe.seen
        if s[0] >= marks["started"] and s[2] == 200 and s[1] == "uncached page"
    ]
    if uncached_ok:
        log(
            f"  first uncached page answered 200 {uncached_ok[0] - marks['started']:.2f} s "
            f"after {kind} was started again"
        )
    after = [s for s in probe.seen if s[0] >= marks["started"] + 2]
    log(f"Fault run ({kind}): " + describe(result))
    bad_codes = {code for code in result["statuses"] if code >= 500 and code != 503}
    if kind == "redis":
        bad_codes |= {code for code in result["statuses"] if code == 503}
    recovered = bool(after) and all(s[2] == 200 for s in after)
    log(
        f"  recovered (every probe 200 from 2 s after the restart): {recovered}; "
        f"unclean statuses: {sorted(bad_codes) or 'none'}"
    )
    return recovered and not bad_codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--phases", default="load,redis,postgres", help="Comma-separated: load, redis, postgres."
    )
    parser.add_argument("--duration", type=int, default=60, help="Seconds of the load run.")
    parser.add_argument("--fault-duration", type=int, default=40, help="Seconds of a fault run.")
    parser.add_argument("--connections", type=int, default=64, help="Concurrent connections.")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (sync).")
    args = parser.parse_args()
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    require("wrk", "redis-server", "pg_ctl", "initdb", "pg_dump")
    DATA.mkdir(parents=True, exist_ok=True)
    log(f"load average at the start (1, 5, 15 min): {load_average()}")

    cluster_was_running = pg_ready(LOAD_PG_PORT)
    prepare_cluster()
    redis_server = RedisServer()
    redis_server.start()
    verdicts = {}
    try:
        prepare_data()
        keys = make_keys(4)
        urls = DATA / "load-urls.txt"
        distinct = write_urls(urls)
        offers = int(STACK.psql("SELECT count(*) FROM salaries_offer"))
        log(
            f"{offers:,} offers; {distinct:,} distinct URLs in the mix; gunicorn "
            f"{args.workers} sync workers on {HOST}:{HTTP_PORT}"
        )
        with STACK.server(args.workers, log=DATA / "load-gunicorn.log"):
            # Not measured: fill the page and API caches as a running site has them.
            wrk(urls, keys, duration=5, connections=args.connections)
            if "load" in phases:
                verdicts["load"] = phase_load(urls, keys, args)
            for kind in ("redis", "postgres"):
                if kind in phases:
                    verdicts[kind] = phase_fault(kind, urls, keys, redis_server, args)
        STACK.psql("DELETE FROM salaries_partnerapikey WHERE name LIKE 'Load partner%'")
    finally:
        redis_server.stop()
        if not cluster_was_running and pg_ready(LOAD_PG_PORT):
            pg_ctl("stop", "-m", "fast")  # the data stay in bench/data/load-pg for next time
    log(f"load average at the end (1, 5, 15 min): {load_average()}")
    for name, passed in verdicts.items():
        log(f"{name:9} {'PASS' if passed else 'FAIL'}")
    sys.exit(0 if all(verdicts.values()) else 1)


if __name__ == "__main__":
    main()
