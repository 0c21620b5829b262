"""Benchmark the public salary page: gunicorn, production settings, PostgreSQL and Redis.

With 1,000,000 generated offers in PostgreSQL, serves the site with gunicorn on 127.0.0.1
and measures, in one run and under the same server settings:

- a bare Django view returning a small fixed page (``bench/urls.py``): throughput;
- the cached salary page: throughput, and its ratio to the bare view (goal: at least 50%);
- the uncached salary page, one client, the cache flushed before each request: median and
  p90 latency (goal: median at most 30 ms);
- the uncached salary page at 32 connections (each request a query string never seen, so
  every one renders): throughput and latency.

    .venv/bin/python bench/bench_pages.py [--offers 1000000] [--duration 10] [--rounds 3]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), Redis on 127.0.0.1:6379
(database 15 is flushed) and wrk (``apt-get install wrk``). Loopback only; every load run
is bounded by ``--duration``. The benchmark database is kept between runs (``--fresh``
rebuilds it) because loading a million offers takes minutes.
"""

import argparse
import http.client
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT / "bench"))
from generate_offers import generate  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
DB = "portal_bench_pages"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
HOST, PORT = "127.0.0.1", 8765
TARGETS = {"cached_ratio": 0.5, "uncached_median_ms": 30}


def env() -> dict:
    values = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{PG}/{DB}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return values


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def manage(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(), capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_database(offers: int, fresh: bool) -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'") == "1"
    if exists and not fresh:
        try:
            count = int(psql("SELECT count(*) FROM salaries_offer", DB) or 0)
            stats = int(psql("SELECT count(*) FROM salaries_salarystat", DB) or 0)
        except subprocess.CalledProcessError:
            count = stats = 0
        if count == offers and stats:
            manage("migrate", "-v0")
            print(f"Reusing {DB}: {count:,} offers, {stats:,} published slices.")
            return
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    manage("migrate", "-v0")
    path = DATA / f"offers-{offers}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as out:
            generate(offers, out)
    started = time.perf_counter()
    manage("import_offers", str(path))
    manage("compute_salary_stats")
    seconds = time.perf_counter() - started
    print(f"Loaded {offers:,} offers and computed statistics in {seconds:.0f} s.")


def busiest_salary_page() -> str:
    """The concrete slice with the most offers in the newest year: the heaviest page."""
    row = psql(
        "SELECT s.slug, t.slug, st.year FROM salaries_salarystat st "
        "JOIN salaries_specialization s ON s.id = st.specialization_id "
        "JOIN salaries_technology t ON t.id = st.technology_id "
        "ORDER BY st.year DESC, st.offers DESC LIMIT 1",
        DB,
    )
    spec, tech, year = row.split("|")
    return f"/salaries/{spec}/{tech}/{year}/"


class Server:
    def __init__(self, workers: int, threads: int):
        self.command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi:application",
            "--config", str(ROOT / "gunicorn.conf.py"),
            "--bind", f"{HOST}:{PORT}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--worker-class", "gthread" if threads > 1 else "sync",
            "--keep-alive", "5",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=env(), start_new_session=True, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def get(path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    conn = connection or http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, body


def wrk(path: str, *, duration: int, connections: int, script: str | None = None) -> dict:
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s",
    ]  # fmt: skip
    if script:
        command += ["-s", str(ROOT / "bench" / script)]
    command.append(f"http://{HOST}:{PORT}{path}")
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)

    def percentile(name: str) -> float:
        value, unit = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": rps,
        "requests": requests,
        "p50": percentile("50"),
        "p90": percentile("90"),
        "p99": percentile("99"),
        "bad": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def combine(runs: list[dict]) -> dict:
    """Several equal-length wrk runs as one: mean throughput, the worst percentiles."""
    return {
        "rps": statistics.fmean(r["rps"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p90": max(r["p90"] for r in runs),
        "p99": max(r["p99"] for r in runs),
        "bad": sum(r["bad"] for r in runs),
        "socket_errors": "; ".join(r["socket_errors"] for r in runs if r["socket_errors"]),
    }


def uncached_single_client(path: str, requests: int) -> dict:
    store = redis.Redis.from_url(REDIS_URL)
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    timings = []
    for _ in range(requests):
        store.flushdb()
        started = time.perf_counter()
        status, _ = get(path, conn)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            sys.exit(f"{path} answered {status}")
    conn.close()
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p90": timings[int(len(timings) * 0.9) - 1],
        "requests": requests,
    }


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
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        sys.exit("PostgreSQL is not answering on 127.0.0.1:5432; start it and try again.")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        sys.exit(f"Redis is not answering at {REDIS_URL}; start it and try again.")

    prepare_database(args.offers, args.fresh)
    manage("collectstatic", "--noinput", "-v0")
    page = busiest_salary_page()
    redis.Redis.from_url(REDIS_URL).flushdb()
    kind = (
        f"{args.workers} sync workers"
        if args.threads == 1
        else (f"{args.workers} workers × {args.threads} threads")
    )
    print(f"Salary page: {page}; gunicorn {kind}")

    with Server(args.workers, args.threads):
        for path in ("/bench/bare/", page):
            for _ in range(20):
                if get(path)[0] != 200:
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
        single = uncached_single_client(page, args.single)
        uncached = wrk(
            page, duration=args.duration, connections=args.connections, script="unique_query.lua"
        )

    ratio = cached["rps"] / bare["rps"]
    per_round = ", ".join(f"{c['rps'] / b['rps']:.0%}" for b, c in rounds)
    c = args.connections
    print(f"\n{'':34} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in (
        (f"bare Django view, {c} conns", bare),
        (f"cached salary page, {c} conns", cached),
        (f"uncached salary page, {c} conns", uncached),
    ):
        print(
            f"{name:34} {r['rps']:>8,.0f} {r['p50']:>8.1f} {r['p90']:>8.1f} {r['p99']:>8.1f} "
            f"{r['bad']:>8}{'  socket errors: ' + r['socket_errors'] if r['socket_errors'] else ''}"
        )
    print(
        f"{'uncached salary page, 1 client':34} {'':>8} {single['p50']:>8.1f} "
        f"{single['p90']:>8.1f} {'':>8} {'':>8}  "
        f"({single['requests']} requests, cache flushed before each)"
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
