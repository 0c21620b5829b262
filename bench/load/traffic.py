"""The load runs' traffic: the weighted URL mix ``mixed.lua`` picks from, the partner keys
it sends in turn, and one wrk run of it."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from stack import STACK

HERE = Path(__file__).resolve().parent


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
