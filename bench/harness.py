"""What the HTTP benchmarks and the load runs share: a PostgreSQL database of generated
offers, the site served by gunicorn with production settings and Redis, and wrk to load it.

One ``Stack`` per benchmark (its own database, Redis database and port, so benchmarks
never disturb each other's data); everything runs on 127.0.0.1. The page and API
benchmarks use the machine's PostgreSQL on port 5432 and ``bench.settings``; the load runs
(``bench/load/run_load.py``) point a ``Stack`` at a cluster and a Redis server of their own.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import redis

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT / "bench"))
from generate_offers import generate  # noqa: E402

HOST = "127.0.0.1"
PG_PORT = 5432
STARTUP_SECONDS = 120  # for gunicorn's first answer
STOP_SECONDS = 40  # gunicorn.conf.py gives workers 30 s to finish what they serve
INSTALL_HINTS = {"wrk": "apt-get install wrk", "redis-server": "apt-get install redis-server"}


def psql(sql: str, database: str = "postgres", *, port: int = PG_PORT) -> str:
    result = subprocess.run(
        ["psql", "-h", HOST, "-p", str(port), "-U", "postgres", "-d", database, "-Atqc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def pg_ready(port: int = PG_PORT) -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", HOST, "-p", str(port)]).returncode == 0


def require(*tools: str) -> None:
    """Stop early, with the fix, when a command-line tool is missing."""
    for tool in tools:
        if not shutil.which(tool):
            hint = INSTALL_HINTS.get(tool, "see the benchmark's docstring")
            sys.exit(f"{tool} is not installed: {hint}")


def preflight(redis_url: str) -> None:
    """Stop early, with the fix, when a tool or a service is missing."""
    require("wrk")
    if not pg_ready():
        sys.exit(f"PostgreSQL is not answering on {HOST}:{PG_PORT}; start it and try again.")
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.exceptions.ConnectionError:
        sys.exit(f"Redis is not answering at {redis_url}; start it and try again.")


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, for the record."""
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())


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


def parse_wrk(out: str) -> dict:
    """wrk's report: throughput, requests, p50/p90/p99 in ms, non-2xx/3xx responses,
    socket errors, and the status counts a script prints as ``STATUS <code>=<n> ...``
    (``bench/load/mixed.lua``; empty without such a line)."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    status_line = re.search(r"^STATUS ?(.*)$", out, re.M)
    statuses = Counter()
    for part in status_line.group(1).split() if status_line else ():
        code, count = part.split("=")
        statuses[int(code)] += int(count)

    def percentile(name: str) -> float:
        value, unit = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": percentile("50"),
        "p90": percentile("90"),
        "p99": percentile("99"),
        "bad": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "statuses": statuses,
    }


class Response(NamedTuple):
    status: int
    headers: dict
    body: bytes


class Stack:
    """A database, a Redis URL and an HTTP port on 127.0.0.1, and how to run the project's
    commands, gunicorn and wrk against them. ``pg_port``, ``settings`` and ``env`` point it
    at another PostgreSQL server, settings module and environment (the load runs)."""

    def __init__(
        self,
        database: str,
        redis_url: str,
        port: int,
        *,
        pg_port: int = PG_PORT,
        settings: str = "bench.settings",
        env: dict | None = None,
    ):
        self.database, self.redis_url, self.port = database, redis_url, port
        self.pg_port, self.settings, self.extra_env = pg_port, settings, env or {}
        self.secret_key = secrets.token_urlsafe(64)

    @property
    def dsn(self) -> str:
        return f"postgres://postgres@{HOST}:{self.pg_port}/{self.database}"

    def env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings,
            "DATABASE_URL": self.dsn,
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            **self.extra_env,
        }

    def psql(self, sql: str) -> str:
        """``sql`` in this stack's database."""
        return psql(sql, self.database, port=self.pg_port)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """``manage.py <args>`` on this stack, whatever its outcome."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
        )

    def manage(self, *args: str) -> str:
        """``manage.py <args>`` on this stack: its output, or the end of the run if it fails."""
        result = self.run(*args)
        if result.returncode != 0:
            sys.exit(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def prepare_database(self, offers: int, fresh: bool) -> None:
        """The benchmark database with ``offers`` generated offers and their statistics,
        kept between runs (loading a million offers takes minutes) unless ``fresh``."""
        db = self.database
        exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'", port=self.pg_port)
        exists = exists == "1"
        if exists and not fresh:
            try:
                count = int(self.psql("SELECT count(*) FROM salaries_offer") or 0)
                stats = int(self.psql("SELECT count(*) FROM salaries_salarystat") or 0)
            except subprocess.CalledProcessError:
                count = stats = 0
            if count == offers and stats:
                if "Applying" in self.manage("migrate", "-v1"):
                    # The schema moved on since the statistics were computed.
                    self.manage("compute_salary_stats")
                print(f"Reusing {db}: {count:,} offers, {stats:,} published slices.")
                return
        psql(f"DROP DATABASE IF EXISTS {db}", port=self.pg_port)
        psql(f"CREATE DATABASE {db}", port=self.pg_port)
        self.manage("migrate", "-v0")
        path = DATA / f"offers-{offers}.csv"
        if not path.exists():
            DATA.mkdir(parents=True, exist_ok=True)
            with path.open("w", newline="", encoding="utf-8") as out:
                generate(offers, out)
        started = time.perf_counter()
        self.manage("import_offers", str(path))
        self.manage("compute_salary_stats")
        seconds = time.perf_counter() - started
        print(f"Loaded {offers:,} offers and computed statistics in {seconds:.0f} s.")

    def busiest_slice(self) -> tuple[str, str, str]:
        """(specialization, technology, year) of the concrete slice with the most offers
        in the newest year: the heaviest page and API answer."""
        row = self.psql(
            "SELECT s.slug, t.slug, st.year FROM salaries_salarystat st "
            "JOIN salaries_specialization s ON s.id = st.specialization_id "
            "JOIN salaries_technology t ON t.id = st.technology_id "
            "ORDER BY st.year DESC, st.offers DESC LIMIT 1"
        )
        spec, tech, year = row.split("|")
        return spec, tech, year

    def flush_cache(self) -> None:
        redis.Redis.from_url(self.redis_url).flushdb()

    def server(
        self, workers: int, threads: int = 1, *, uncached: bool = False, log: Path | None = None
    ) -> Server:
        """gunicorn on this stack; ``uncached``: responses are built every time (they are
        still looked up, and their writes expire at once), to measure the uncached path
        under load on the same URL as the cached one."""
        env = {"SALARY_PAGE_CACHE_SECONDS": "0", "API_CACHE_SECONDS": "0"} if uncached else {}
        return Server(self, workers, threads, env, log=log)

    def get(
        self,
        path: str,
        connection: http.client.HTTPConnection | None = None,
        headers: dict | None = None,
        *,
        timeout: float = 10,
    ) -> Response:
        """One GET: status, headers and body. On ``connection`` if given (kept open)."""
        conn = connection or http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return Response(response.status, dict(response.getheaders()), response.read())
        finally:
            if connection is None:
                conn.close()

    def wrk(
        self,
        path: str = "",
        *,
        duration: int,
        connections: int,
        headers: dict | None = None,
        script: str | Path | None = None,
        script_args: tuple[str, ...] = (),
        timeout: int = 5,
    ) -> dict:
        """One wrk run (2 threads) against ``path``, or against whatever ``script`` (a path
        under ``bench/`` or an absolute one) requests, given ``script_args`` after ``--``.
        Returns ``parse_wrk``'s figures."""
        command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", f"-T{timeout}s", "--latency"]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        if script:
            command += ["-s", str(ROOT / "bench" / script)]
        command.append(f"http://{HOST}:{self.port}{path}")
        if script_args:
            command += ["--", *script_args]
        return parse_wrk(subprocess.run(command, check=True, capture_output=True, text=True).stdout)

    def uncached_single_client(self, path: str, requests: int, headers=None) -> dict:
        """One client, the cache flushed before each request: median and p90 in ms."""
        store = redis.Redis.from_url(self.redis_url)
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        timings = []
        for _ in range(requests):
            store.flushdb()
            started = time.perf_counter()
            status = self.get(path, conn, headers).status
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


class Server:
    """gunicorn with ``gunicorn.conf.py`` and the stack's settings, for a ``with`` block.

    gunicorn's output goes to a log file (``log``, by default
    ``bench/data/gunicorn-<port>.log``, appended to), never to a pipe nobody reads: a full
    pipe would block the workers as soon as they log much, as they do during a fault."""

    def __init__(
        self,
        stack: Stack,
        workers: int,
        threads: int = 1,
        env: dict | None = None,
        *,
        log: Path | None = None,
    ):
        self.stack = stack
        self.env = {**stack.env(), **(env or {})}
        self.log = log or DATA / f"gunicorn-{stack.port}.log"
        options = {
            "--config": str(ROOT / "gunicorn.conf.py"),
            "--bind": f"{HOST}:{stack.port}",
            "--workers": str(workers),
            "--threads": str(threads),
            "--worker-class": "gthread" if threads > 1 else "sync",
            "--keep-alive": "5",
            "--log-level": "warning",
        }
        self.command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi:application",
            *(part for option in options.items() for part in option),
        ]
        self.process = None

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                start_new_session=True,
                stdout=log,
                stderr=log,
            )
        # Five workers import the whole site before the first answer: seconds on an idle
        # machine, far longer on a busy one.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if self.stack.get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        exited = self.process.poll()
        self.__exit__()
        tail = self.log.read_text(errors="replace")[-2000:]
        reason = (
            f"gunicorn exited with status {exited}"
            if exited is not None
            else f"gunicorn did not answer /healthz within {STARTUP_SECONDS} s"
        )
        sys.exit(f"{reason}; the end of {self.log}:\n{tail}")

    def __exit__(self, *exc):
        """Stop gunicorn and its workers; kill them if they outlast the graceful timeout."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def print_table(rows: list[tuple[str, dict]], single: tuple[str, dict] | None = None) -> None:
    """wrk results as a table, and the single client's latencies under it."""
    width = max(len(name) for name, _ in [*rows, *([single] if single else [])]) + 2
    print(f"\n{'':{width}} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in rows:
        errors = f"  socket errors: {r['socket_errors']}" if r["socket_errors"] else ""
        print(
            f"{name:{width}} {r['rps']:>8,.0f} {r['p50']:>8.1f} {r['p90']:>8.1f} "
            f"{r['p99']:>8.1f} {r['bad']:>8}{errors}"
        )
    if single:
        name, r = single
        print(
            f"{name:{width}} {'':>8} {r['p50']:>8.1f} {r['p90']:>8.1f} {'':>8} {'':>8}  "
            f"({r['requests']} requests, cache flushed before each)"
        )
