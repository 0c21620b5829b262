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
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "bench"))
from generate_offers import generate  # noqa: E402
from harness import DATA, HOST, PG_PORT, Stack, load_average, pg_ready, psql, require  # noqa: E402

PG_DIR = DATA / "load-pg"
LOAD_PG_PORT, REDIS_PORT, HTTP_PORT = 5440, 6390, 8790
DB = "portal_load"
SOURCE_DB = "portal_bench_pages"  # on the machine's main cluster, port 5432; read only
IMPORT_ROWS = 100_000
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


# --- The stack: its own PostgreSQL cluster and Redis server -------------------------------


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


# --- Traffic ----------------------------------------------------------------------------


def make_keys(count: int) -> list[str]:
    keys = []
    for number in range(count):
        name = f"Load partner {number}"
        out = STACK.manage("create_partner_key", name, "--rate", "999999999/hour")
        keys.append(out.split()[-1])
    return keys


def write_urls(path: Path) -> int:
    """The traffic mix, as weighted lines: salary pages 40%, the API 30% (with keys),
    articles and the home page 15%, the explorer 10%, specialization pages 5%, and 2% more
    API lists with a ``min_offers`` never asked for (always built from the database)."""
    rows = [
        line.split("|")
        for line in STACK.psql(
            "SELECT coalesce(s.slug, 'all'), coalesce(t.slug, 'all'), st.year "
            "FROM salaries_salarystat st "
            "LEFT JOIN salaries_specialization s ON s.id = st.specialization_id "
            "LEFT JOIN salaries_technology t ON t.id = st.technology_id "
            "WHERE st.offers >= 5"
        ).splitlines()
    ]
    specs = sorted({spec for spec, _, _ in rows})
    years = sorted({int(year) for _, _, year in rows})
    articles = STACK.psql(
        "SELECT p.url_path FROM wagtailcore_page p JOIN articles_articlepage a "
        "ON a.page_ptr_id = p.id WHERE p.live"
    ).splitlines()
    rng = random.Random(7)
    pages = [f"/salaries/{s}/{t}/{y}/" for s, t, y in rows]
    api = [f"KEY /api/v1/stats/{s}/{t}/{y}/" for s, t, y in rows]
    api += [f"KEY /api/v1/stats/?specialization={s}&year={y}" for s in specs for y in years]
    api += ["KEY /api/v1/specializations/", "KEY /api/v1/technologies/"]
    # Articles are served under the home page: the tree's url_path starts at the root.
    editorial = ["/", "/articles/"] + ["/" + p.strip("/").split("/", 1)[1] + "/" for p in articles]
    explorer = ["/salaries/"] + [f"/salaries/?year={y}" for y in years]
    explorer += [f"/salaries/?specialization={s}&ordering=-median" for s in specs]
    spec_pages = [f"/salaries/{s}/" for s in specs]
    # A min_offers value never asked for before (mixed.lua adds it): the list misses the
    # cache and is built from the database.
    uncached = [f"BUST /api/v1/stats/?year={y}" for y in years]
    lines = (
        rng.choices(pages, k=400)
        + rng.choices(api, k=300)
        + rng.choices(editorial, k=150)
        + rng.choices(explorer, k=100)
        + rng.choices(spec_pages, k=50)
        + rng.choices(uncached, k=20)
    )
    path.write_text("\n".join(lines) + "\n")
    return len(set(lines))


def wrk(urls: Path, keys: list[str], *, duration: int, connections: int) -> dict:
    """The mix in ``urls`` (``mixed.lua``, the partner keys in turn); wrk's figures and every
    status seen."""
    script_args = (str(urls), ",".join(keys))
    return STACK.wrk(
        duration=duration,
        connections=connections,
        script=HERE / "mixed.lua",
        script_args=script_args,
        timeout=10,
    )


def status_counts(statuses: Counter) -> str:
    return ", ".join(f"{code}: {n:,}" for code, n in sorted(statuses.items()))


def describe(result: dict) -> str:
    return (
        f"{result['requests']:,} requests, {result['rps']:,.0f} req/s, p50 {result['p50']:.1f} ms,"
        f" p90 {result['p90']:.1f} ms, p99 {result['p99']:.1f} ms; statuses "
        + status_counts(result["statuses"])
        + (f"; socket errors: {result['socket_errors']}" if result["socket_errors"] else "")
    )


# --- Consistency: no response mixes two statistics runs -----------------------------------


class Snapshots(threading.Thread):
    """Polls the published rows of the sampled specializations; the table only changes
    when a run commits, so each poll (one statement) sees exactly one run."""

    def __init__(self, specs: list[str]):
        super().__init__(daemon=True)
        self.specs = specs
        self.runs: dict[int, dict] = {}  # run id -> {"computed_at": ts, "rows": {...}}
        self.mixed_polls = 0
        self.stop = threading.Event()

    def poll(self, conn) -> None:
        rows = conn.execute(
            "SELECT st.run_id, coalesce(s.slug, 'all'), coalesce(t.slug, 'all'), st.year, "
            "st.offers, st.candidates, st.median, st.computed_at "
            "FROM salaries_salarystat st "
            "LEFT JOIN salaries_specialization s ON s.id = st.specialization_id "
            "LEFT JOIN salaries_technology t ON t.id = st.technology_id "
            "WHERE s.slug = ANY(%s)",
            [self.specs],
        ).fetchall()
        runs = {row[0] for row in rows}
        if len(runs) != 1:
            self.mixed_polls += len(runs) > 1
            return
        run = runs.pop()
        if run not in self.runs:
            self.runs[run] = {
                "computed_at": rows[0][7],
                "rows": {(r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in rows},
            }
            log(f"  published set now: statistics run #{run} ({len(rows)} sampled rows)")

    def run(self) -> None:
        conn = psycopg.connect(STACK.dsn, autocommit=True)
        while not self.stop.is_set():
            self.poll(conn)
            time.sleep(0.2)
        self.poll(conn)
        conn.close()


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _timestamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


PAGE_MAIN = re.compile(
    r"received ([\d,]+) job offers?, at a median salary expectation of <strong>\$([\d,]+)<"
)
PAGE_TREND = re.compile(
    r'<tr(?: class="is-current")?><th scope="row">(\d{4})</th><td class="num">([\d,]+)</td>'
    r'<td class="num">(?:\$([\d,]+))?'
)


class Sampler(threading.Thread):
    """Fetches salary pages, slice details and a list, cached and uncached, in a loop;
    keeps what each response says and the run its figures claim."""

    def __init__(self, slices: list[tuple[str, str, int]], key: str, seed: int):
        super().__init__(daemon=True)
        self.slices = slices
        self.key = key
        self.rng = random.Random(seed)
        self.samples: list[dict] = []
        self.failures = Counter()
        self.stop = threading.Event()

    def run(self) -> None:
        counter = 0
        while not self.stop.is_set():
            counter += 1
            spec, tech, year = self.rng.choice(self.slices)
            kind = self.rng.choice(("page", "detail", "list"))
            headers = {"Authorization": f"Api-Key {self.key}"}
            # Pages and details come as served (cached, or rendered after each run); every
            # other list asks for a min_offers value seldom seen, so it is built afresh.
            # (Junk query strings no longer miss: cache keys ignore unread parameters.)
            if kind == "page":
                path = f"/salaries/{spec}/{tech}/{year}/"
            elif kind == "detail":
                path = f"/api/v1/stats/{spec}/{tech}/{year}/"
            else:
                path = f"/api/v1/stats/?specialization={spec}&year={year}&page_size=500"
                path += f"&min_offers={counter % 997}" if counter % 2 else ""
            try:
                status, got, body = get(path, headers if kind != "page" else None)
            except OSError as error:
                self.failures[type(error).__name__] += 1
                continue
            if status != 200:
                self.failures[status] += 1
                continue
            self.samples.append(
                {"kind": kind, "slice": (spec, tech, year), "headers": got, "body": body}
            )


def check_sample(sample: dict, runs: dict[int, dict]) -> tuple[int | None, list[str]]:
    """The run a response's figures claim, and every figure that does not belong to it."""
    by_time = {int(run["computed_at"].timestamp()): number for number, run in runs.items()}
    spec, tech, year = sample["slice"]
    problems = []
    if sample["kind"] == "page":
        html = sample["body"].decode()
        modified = parsedate_to_datetime(sample["headers"]["Last-Modified"])
        claimed = by_time.get(int(modified.timestamp()))
        if claimed is None:
            return None, ["Last-Modified names no published run"]
        rows = runs[claimed]["rows"]
        main = PAGE_MAIN.search(html)
        offers, _, median = rows[(spec, tech, year)]
        if (_number(main.group(1)), _number(main.group(2))) != (offers, median):
            problems.append(f"headline {main.groups()} vs run #{claimed} {(offers, median)}")
        trend = PAGE_TREND.findall(html)
        if not trend:
            problems.append("no trend rows found on the page")
        for trend_year, trend_offers, trend_median in trend:
            want = rows.get((spec, tech, int(trend_year)))
            got = (_number(trend_offers), _number(trend_median) if trend_median else None)
            if want is None or got != (want[0], want[2]):
                problems.append(f"trend {trend_year} {got} vs run #{claimed} {want}")
        return claimed, problems
    data = json.loads(sample["body"])
    items = [data] if sample["kind"] == "detail" else data["results"]
    stamps = {_timestamp(item["computed_at"]) for item in items}
    if sample["kind"] == "list":  # the list's own citation, read in a query of its own
        stamps.add(_timestamp(data["computed_at"]))
    if len(stamps) != 1:
        return None, [f"items computed at {len(stamps)} different times"]
    claimed = by_time.get(int(stamps.pop()))
    if claimed is None:
        return None, ["computed_at names no published run"]
    rows = runs[claimed]["rows"]
    for item in items:
        want = rows.get((item["specialization"], item["technology"], item["year"]))
        got = (item["offers"], item["candidates"], item["median"])
        if want != got:
            problems.append(f"{item['specialization']}/{item['technology']}: {got} vs {want}")
    return claimed, problems


def label_lag(sample: dict, claimed: int | None) -> bool:
    """An API answer whose ETag names the generation before the run its figures are from:
    the generation was read before the run committed, the figures after."""
    etag = re.match(r'"g(\d+)-', sample["headers"].get("ETag", ""))
    return bool(etag and claimed is not None and int(etag.group(1)) != claimed)


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
    probe = Probe(
        [
            ("cached page", page, None),
            ("uncached page", page + f"?probe={kind}-{{n}}", None),
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
