"""The load runs' own stack, so stopping Redis or PostgreSQL disturbs nothing else on the
machine: a PostgreSQL cluster under ``bench/data/load-pg`` (port 5440) holding a copy of the
page benchmark's database plus the demo articles, a Redis server on port 6390, and the
harness's ``Stack`` pointed at them (production settings, gunicorn on port 8790)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from harness import DATA, HOST, PG_PORT, Stack, pg_ready, psql  # noqa: E402

PG_DIR = DATA / "load-pg"
LOAD_PG_PORT, REDIS_PORT, HTTP_PORT = 5440, 6390, 8790
DB = "portal_load"
SOURCE_DB = "portal_bench_pages"  # on the machine's main cluster, port 5432; read only
IMPORT_PREFIX = "load-"  # offer ids of the offers each load run imports (removed at setup)
STACK = Stack(
    DB,
    f"redis://{HOST}:{REDIS_PORT}/0",
    HTTP_PORT,
    pg_port=LOAD_PG_PORT,
    settings="portal.settings.production",
    env={"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "LOG_LEVEL": "ERROR"},
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def pg_ctl(action: str, *extra: str) -> None:
    data, logfile = str(PG_DIR / "data"), str(PG_DIR / "log")
    command = ["pg_ctl", "-D", data, "-l", logfile, "-w", "-t", "60", *extra, action]
    subprocess.run(as_postgres(command), check=True, capture_output=True)


def pg_start() -> None:
    options = f"-p {LOAD_PG_PORT} -k /tmp -c listen_addresses={HOST} -c max_connections=100"
    pg_ctl("start", "-o", options)


def prepare_cluster() -> None:
    if not (PG_DIR / "data" / "PG_VERSION").exists():
        log(f"Creating a PostgreSQL cluster for the load runs in {PG_DIR.relative_to(ROOT)}")
        PG_DIR.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(PG_DIR, "postgres")
        initdb = ["initdb", "-D", str(PG_DIR / "data"), "-U", "postgres", "--auth=trust"]
        subprocess.run(as_postgres([*initdb, "-E", "UTF8"]), check=True, capture_output=True)
    if not pg_ready(LOAD_PG_PORT):
        pg_start()
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'", port=LOAD_PG_PORT) != "1":
        if psql(f"SELECT 1 FROM pg_database WHERE datname = '{SOURCE_DB}'") != "1":
            sys.exit(f"{SOURCE_DB} is missing on port {PG_PORT}: run bench/bench_pages.py first.")
        log(f"Copying {SOURCE_DB} into the load cluster (pg_dump | pg_restore)")
        psql(f"CREATE DATABASE {DB}", port=LOAD_PG_PORT)
        dump = subprocess.Popen(
            ["pg_dump", "-h", HOST, "-p", str(PG_PORT), "-U", "postgres", "-Fc", "-Z0", SOURCE_DB],
            stdout=subprocess.PIPE,
        )
        restore = ["pg_restore", "-h", HOST, "-p", str(LOAD_PG_PORT), "-U", "postgres"]
        subprocess.run([*restore, "-d", DB, "--no-owner"], stdin=dump.stdout, check=True)
        dump.wait()


def prepare_data() -> None:
    STACK.manage("migrate", "--noinput", "-v0")
    imported = f"offer_id LIKE '{IMPORT_PREFIX}%'"
    stale = int(STACK.psql(f"SELECT count(*) FROM salaries_offer WHERE {imported}"))
    articles = int(STACK.psql("SELECT count(*) FROM articles_articlepage"))
    if stale:
        log(f"Removing the {stale:,} offers a previous load run imported")
        STACK.psql(
            "DELETE FROM salaries_offertechnology WHERE offer_id IN "
            f"(SELECT id FROM salaries_offer WHERE {imported}); "
            f"DELETE FROM salaries_offer WHERE {imported}"
        )
    if not articles:
        log("Publishing the demo articles (load_demo_data --offers 0)")
        STACK.manage("load_demo_data", "--offers", "0")
    if stale or not articles:
        log("Computing the statistics of the starting set")
        STACK.manage("compute_salary_stats")
    STACK.manage("collectstatic", "--noinput", "-v0")


class RedisServer:
    """A Redis server of the load runs' own, which the Redis fault run stops and starts."""

    def __init__(self):
        self.process = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(REDIS_PORT), "--bind", HOST, "--save", ""]
        self.process = subprocess.Popen(
            [*command, "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(50):
            ping = subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True)
            if ping.stdout.strip() == b"PONG":
                return
            time.sleep(0.1)
        sys.exit(f"redis-server on port {REDIS_PORT} did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def get(path: str, headers: dict | None = None, timeout: float = 10):
    """One GET naming the bare host, as the probes and samplers always have (wrk's requests
    name host and port, so the two fill cache entries of their own): status, headers, body."""
    return STACK.get(path, headers={"Host": HOST, **(headers or {})}, timeout=timeout)
