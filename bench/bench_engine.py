"""Benchmark the salaries engine on PostgreSQL: import_offers, compute_salary_stats with
its four breakdowns, and faceted slices on demand.

For each size: a fresh PostgreSQL database, a generated CSV, the real commands run as
subprocesses (wall time and peak RSS), then DuckDB computing the same figures (the four
breakdowns included) over the same file as the speed-of-light reference, a cross-check of
figures between the two, and faceted slices timed on demand (``probe_facets.py``).

    .venv/bin/python bench/bench_engine.py [--sizes 100000 1000000]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and duckdb installed
(``pip install -e '.[bench]'``). Loopback only; bounded by the sizes given. The database
it drops and makes is ``portal_bench`` unless ``BENCH_ENGINE_DB`` names another (so that
two people can run it on one server).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT / "bench"))
from generate_offers import generate  # noqa: E402

PG = "postgres://postgres@127.0.0.1:5432"
DB = os.environ.get("BENCH_ENGINE_DB", "portal_bench")  # a database of its own
TARGETS = {"import_rows_per_s": 20_000, "import_rss_mb": 300, "compute_s": 15, "ratio": 5}
FACET_COLUMNS = {"l": "seniority", "e": "english_level", "r": "remote", "k": "country"}


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def manage(*args: str) -> tuple[float, float, str]:
    """Run manage.py; return (wall seconds, peak RSS in MB, stdout)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "manage.py", *args]
    timer = shutil.which("time") or "/usr/bin/time"
    if Path(timer).exists():
        command = [timer, "-f", "RSS_KB=%M", *command]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    found = re.search(r"RSS_KB=(\d+)", result.stderr)
    return wall, int(found.group(1)) / 1024 if found else float("nan"), result.stdout


def manage_python(script: str) -> str:
    """Run a script of bench/ against the benchmark database; its standard output."""
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"{script} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def duckdb_reference(path: Path) -> tuple[float, float, dict]:
    import duckdb

    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        f"CREATE TABLE offers AS SELECT * FROM read_csv('{path}', header = true, "
        "all_varchar = true)"
    )
    load = time.perf_counter() - started
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE o AS SELECT specialization AS s, CAST(salary AS INTEGER) AS p, "
        "year(CAST(offered_on AS DATE)) AS y, coalesce(seniority, '') AS l, "
        "coalesce(english_level, '') AS e, coalesce(remote, '') AS r, "
        "coalesce(country, '') AS k, candidate_id AS c, technologies FROM offers"
    )
    con.execute(
        "CREATE TABLE f AS SELECT s, unnest(string_split(technologies, ';')) AS t, y, l, e, r, "
        "k, p, c FROM o"
    )
    figures = (
        "count(*) AS offers, count(DISTINCT c) AS candidates, "
        "quantile_cont(p, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q, avg(p) AS mean"
    )
    level_figures = "count(*), count(DISTINCT c), quantile_cont(p, [0.25, 0.5, 0.75])"
    slices = con.execute(
        f"SELECT coalesce(s, 'all'), t, y, {figures} FROM f "
        "GROUP BY GROUPING SETS ((s, t, y), (t, y)) "
        f"UNION ALL SELECT coalesce(s, 'all'), 'all', y, {figures} FROM o "
        "GROUP BY GROUPING SETS ((s, y), (y))"
    ).fetchall()
    for d in FACET_COLUMNS:  # the four breakdowns, each entry with its own figures
        con.execute(
            f"SELECT coalesce(s, 'all'), t, y, {d}, {level_figures} FROM f WHERE {d} <> '' "
            f"GROUP BY GROUPING SETS ((s, t, y, {d}), (t, y, {d})) "
            f"UNION ALL SELECT coalesce(s, 'all'), 'all', y, {d}, {level_figures} FROM o "
            f"WHERE {d} <> '' GROUP BY GROUPING SETS ((s, y, {d}), (y, {d}))"
        ).fetchall()
    con.execute(
        "SELECT coalesce(s, 'all'), t, y, p // 500, count(*) FROM f "
        "GROUP BY GROUPING SETS ((s, t, y, p // 500), (t, y, p // 500)) "
        "UNION ALL SELECT coalesce(s, 'all'), 'all', y, p // 500, count(*) FROM o "
        "GROUP BY GROUPING SETS ((s, y, p // 500), (y, p // 500))"
    ).fetchall()
    compute = time.perf_counter() - started
    return load, compute, {(s, t, y): (n, c, q, m) for s, t, y, n, c, q, m in slices}


def half_up(value: float) -> int:
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cross_check(reference: dict, samples: int = 40) -> int:
    """Compare sampled slices from PostgreSQL's published set with DuckDB's figures."""
    import psycopg

    rng = random.Random(1)
    keys = rng.sample(sorted(reference), min(samples, len(reference)))
    mismatches = 0
    with psycopg.connect(f"{PG}/{DB}") as con:
        for s, t, y in keys:
            row = con.execute(
                "SELECT st.offers, st.candidates, st.median, st.p10, st.p90, st.withheld "
                "FROM salaries_salarystat st "
                "LEFT JOIN salaries_specialization sp ON sp.id = st.specialization_id "
                "LEFT JOIN salaries_technology te ON te.id = st.technology_id "
                "WHERE coalesce(sp.slug, 'all') = %s AND coalesce(te.slug, 'all') = %s "
                "AND st.year = %s",
                (s, t, y),
            ).fetchone()
            n, c, q, _ = reference[(s, t, y)]
            expected = (n, c, half_up(q[2]), half_up(q[0]), half_up(q[4]))
            if row is not None:
                # DuckDB knows no disclosure rules: compare only what the slice publishes.
                *row, withheld = row
                median = expected[2] if withheld in (None, "tails") else None
                p10, p90 = expected[3:] if withheld is None else (None, None)
                expected = (n, c, median, p10, p90)
            if row is None or tuple(row) != expected:
                mismatches += 1
                print(f"  mismatch {s} × {t} × {y}: ours {row}, DuckDB {expected}")
    return mismatches


def run_size(rows: int) -> dict:
    path = DATA / f"offers-{rows}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as out:
            generate(rows, out)
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    manage("migrate", "-v0")
    import_s, import_rss, _ = manage("import_offers", str(path))
    compute_wall, compute_rss, out = manage("compute_salary_stats")
    compute_s = float(re.search(r"in ([\d.]+) s", out).group(1))
    load_s, duck_s, reference = duckdb_reference(path)
    mismatches = cross_check(reference)
    probe = json.loads(manage_python("bench/probe_facets.py"))
    return {
        "rows": rows,
        "import_s": import_s,
        "import_rows_per_s": rows / import_s,
        "import_rss_mb": import_rss,
        "compute_s": compute_s,
        "compute_wall_s": compute_wall,
        "compute_rss_mb": compute_rss,
        "duckdb_load_s": load_s,
        "duckdb_s": duck_s,
        "ratio": compute_s / duck_s,
        "slices": len(reference),
        "mismatches": mismatches,
        "facet_busiest": probe["busiest"],
        "facet_all": probe["all"],
    }


def machine() -> str:
    """What the figures were measured on: CPU, cores, load, PostgreSQL, and a yardstick
    of this machine's Python speed (the same loop everywhere), since the targets are in
    seconds and machines of one kind differ several-fold."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else model
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Atc"]
    shown = subprocess.run(
        [*command, "SHOW server_version"], capture_output=True, text=True, check=False
    )
    server = shown.stdout.split(" ")[0].strip() or "?"
    started, total = time.perf_counter(), 0
    for i in range(10_000_000):
        total += i
    yardstick = time.perf_counter() - started
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{model}, {os.cpu_count()} cores, load {load}; PostgreSQL {server}, Python "
        f"{sys.version.split()[0]}; yardstick (10 million additions in Python): {yardstick:.2f} s"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="Numbers of offers to benchmark.")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database.")
    args = parser.parse_args()
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        sys.exit("PostgreSQL is not answering on 127.0.0.1:5432; start it and try again.")
    before = machine()
    results = [run_size(rows) for rows in args.sizes]
    print(f"\nMachine at the start: {before}\nMachine at the end:   {machine()}")
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DB}")
    print(
        f"\n{'offers':>10} {'import/s':>10} {'RSS MB':>7} {'compute s':>10} {'RSS MB':>7} "
        f"{'DuckDB s':>9} {'ratio':>6} {'slices':>7} {'mismatch':>8} {'facet ms':>9} "
        f"{'all ms':>7} {'stmts':>5}"
    )
    for r in results:
        print(
            f"{r['rows']:>10,} {r['import_rows_per_s']:>10,.0f} {r['import_rss_mb']:>7.0f} "
            f"{r['compute_s']:>10.2f} {r['compute_rss_mb']:>7.0f} {r['duckdb_s']:>9.2f} "
            f"{r['ratio']:>6.1f} {r['slices']:>7,} {r['mismatches']:>8} "
            f"{r['facet_busiest']['p50_ms']:>9.1f} {r['facet_all']['p50_ms']:>7.1f} "
            f"{r['facet_all']['statements']:>5}"
        )
    largest = results[-1]
    busiest, every = largest["facet_busiest"], largest["facet_all"]
    print(f"\nTargets at {largest['rows']:,} offers:")
    print("| figure | target | measured | verdict |")
    print("| --- | --- | --- | --- |")
    rows = [
        ("compute_salary_stats, four breakdowns", "<= 15 s", f"{largest['compute_s']:.1f} s",
         largest["compute_s"] <= 15),
        ("  ... against DuckDB, same figures, same run", "<= 5x",
         f"{largest['ratio']:.1f}x ({largest['duckdb_s']:.2f} s)", largest["ratio"] <= 5),
        ("import_offers rate", ">= 20,000 rows/s", f"{largest['import_rows_per_s']:,.0f} rows/s",
         largest["import_rows_per_s"] >= 20_000),
        ("import_offers peak RSS", "< 300 MB", f"{largest['import_rss_mb']:.0f} MB",
         largest["import_rss_mb"] < 300),
        (f"faceted slice p50, busiest ({busiest['slice']}, senior+remote)", "<= 50 ms",
         f"{busiest['p50_ms']:.1f} ms", busiest["p50_ms"] <= 50),
        (f"faceted slice p50, {every['slice']} (senior+remote)", "<= 150 ms",
         f"{every['p50_ms']:.1f} ms", every["p50_ms"] <= 150),
        ("statements per faceted slice", "constant",
         f"{every['statements']} (busiest: {busiest['statements']})",
         every["statements"] == busiest["statements"]),
        ("figures equal DuckDB's (sampled slices)", "0 mismatches", str(largest["mismatches"]),
         largest["mismatches"] == 0),
    ]  # fmt: skip
    for name, target, measured, ok in rows:
        print(f"| {name} | {target} | {measured} | {verdict(ok)} |")


if __name__ == "__main__":
    main()
