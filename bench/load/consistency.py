"""No response mixes two statistics runs: while the load phase runs an import and two
statistics runs, samplers fetch salary pages, slice details and lists, and a poller
snapshots the published rows of every run; each response's figures must all belong to the
one run it says it was computed from (pages: ``Last-Modified``; the API: ``computed_at``)."""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter
from datetime import datetime
from email.utils import parsedate_to_datetime

import psycopg
from stack import STACK, get, log


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
