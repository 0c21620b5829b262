"""Benchmark the partner API: gunicorn, production settings, PostgreSQL and Redis.

With 1,000,000 generated offers in PostgreSQL, serves the site with gunicorn on 127.0.0.1
and measures, in one run and under the same server settings, every API request carrying
a partner key (so authentication and the Redis rate-limit counter are part of the cost):

- a bare DRF view returning a small fixed JSON object (``bench/urls.py``): throughput;
- the cached slice detail: throughput, and its ratio to the bare view (goal: at least 50%),
  in alternating rounds so that other load on the machine weighs on both alike;
- ``/api/v1/stats/?year=2024`` (first page), one client, the cache flushed before each
  request: median and p90 latency (goal: median at most 40 ms);
- the same list uncached at 32 connections (each request a query string never seen);
- SQL queries per list page at page sizes 1, 50 and 500 (goal: the same number).

    .venv/bin/python bench/bench_api.py [--offers 1000000] [--duration 15] [--fresh]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), Redis on 127.0.0.1:6379
(database 12 is flushed; ``BENCH_API_REDIS_URL`` picks another) and wrk. Loopback only;
every load run is bounded by ``--duration``. The benchmark database is kept between runs
(``--fresh`` rebuilds it) because loading a million offers takes minutes.
"""

import argparse
import http.client
import json
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
DB = "portal_bench_api"
REDIS_URL = os.environ.get("BENCH_API_REDIS_URL", "redis://127.0.0.1:6379/12")
HOST, PORT = "127.0.0.1", 8766
LIST = "/api/v1/stats/?year=2024"
TARGETS = {"cached_ratio": 0.5, "uncached_median_ms": 40}
SECRET_KEY = secrets.token_urlsafe(64)

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


def env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{PG}/{DB}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


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


def busiest_slice() -> str:
    """The concrete slice with the most offers in the newest year."""
    row = psql(
        "SELECT s.slug, t.slug, st.year FROM salaries_salarystat st "
        "JOIN salaries_specialization s ON s.id = st.specialization_id "
        "JOIN salaries_technology t ON t.id = st.technology_id "
        "ORDER BY st.year DESC, st.offers DESC LIMIT 1",
        DB,
    )
    spec, tech, year = row.split("|")
    return f"/api/v1/stats/{spec}/{tech}/{year}/"


class Server:
    def __init__(self, workers: int, threads: int):
        self.command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi:application",
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


def get(path: str, connection=None, headers: dict | None = None) -> tuple[int, bytes]:
    conn = connection or http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, body


def wrk(path: str, *, duration: int, connections: int, key: str, script: str | None = None):
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s",
        "-H", f"Authorization: Api-Key {key}",
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


def uncached_single_client(path: str, requests: int, key: str) -> dict:
    store = redis.Redis.from_url(REDIS_URL)
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    headers = {"Authorization": f"Api-Key {key}"}
    timings = []
    for _ in range(requests):
        store.flushdb()
        started = time.perf_counter()
        status, _ = get(path, conn, headers)
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


def queries_per_page(key: str) -> dict[int, int]:
    out = manage("shell", "-c", QUERIES_SCRIPT % {"key": key, "path": LIST})
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
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        sys.exit("PostgreSQL is not answering on 127.0.0.1:5432; start it and try again.")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        sys.exit(f"Redis is not answering at {REDIS_URL}; start it and try again.")

    print(
        "load average at the start (1, 5, 15 min): "
        + ", ".join(f"{v:.1f}" for v in os.getloadavg())
    )
    prepare_database(args.offers, args.fresh)
    manage("collectstatic", "--noinput", "-v0")
    key = manage("create_partner_key", "Benchmark", "--rate", "999999999/hour").split()[-1]
    detail = busiest_slice()
    redis.Redis.from_url(REDIS_URL).flushdb()
    queries = queries_per_page(key)
    print(f"Slice: {detail}; list: {LIST}; gunicorn {args.workers} × {args.threads} threads")

    headers = {"Authorization": f"Api-Key {key}"}
    with Server(args.workers, args.threads):
        for path in ("/bench/bare-drf/", detail, LIST):
            for _ in range(20):
                status, body = get(path, headers=headers)
                if status != 200:
                    sys.exit(f"{path} answers {status}: {body[:300]!r}")
        load = {"connections": args.connections, "key": key}
        wrk("/bench/bare-drf/", duration=max(2, args.duration // 5), **load)
        # Bare and cached runs alternate, so load from elsewhere on the machine hits both
        # alike; the ratio is the median of the rounds' ratios.
        rounds = []
        for _ in range(args.rounds):
            bare = wrk("/bench/bare-drf/", duration=args.duration, **load)
            cached = wrk(detail, duration=args.duration, **load)
            rounds.append((bare, cached))
        single = uncached_single_client(LIST, args.single, key)
        uncached = wrk(LIST, duration=args.duration, script="unique_query.lua", **load)
    psql("DELETE FROM salaries_partnerapikey WHERE name LIKE 'Benchmark #%'", DB)

    ratios = [cached["rps"] / bare["rps"] for bare, cached in rounds]
    ratio = statistics.median(ratios)
    bare, cached = sorted(rounds, key=lambda pair: pair[1]["rps"] / pair[0]["rps"])[
        len(rounds) // 2
    ]
    c = args.connections
    print(f"\n{'':36} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in (
        (f"bare DRF view, {c} conns", bare),
        (f"cached slice detail, {c} conns", cached),
        (f"uncached stats list, {c} conns", uncached),
    ):
        print(
            f"{name:36} {r['rps']:>8,.0f} {r['p50']:>8.1f} {r['p90']:>8.1f} {r['p99']:>8.1f} "
            f"{r['bad']:>8}{'  socket errors: ' + r['socket_errors'] if r['socket_errors'] else ''}"
        )
    print(
        f"{'uncached stats list, 1 client':36} {'':>8} {single['p50']:>8.1f} "
        f"{single['p90']:>8.1f} {'':>8} {'':>8}  "
        f"({single['requests']} requests, cache flushed before each)"
    )
    print(f"\nSQL queries per list page by page size: {queries}")
    print(
        "load average at the end (1, 5, 15 min): " + ", ".join(f"{v:.1f}" for v in os.getloadavg())
    )
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
