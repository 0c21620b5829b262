"""Generate a synthetic offers file in the import format, fast and deterministic.

Used by the benchmarks: ``python bench/generate_offers.py 1000000 bench/data/offers-1m.csv``.
About three technologies an offer, 10 specializations, 60 technologies, years 2021-2025,
salaries shaped by seniority, repeat candidates; facet fields as a real market spreads
them: a handful of large countries and a long tail of small ones, all five English levels,
about 40% remote, and a share of offers that leave each field empty.
"""

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

LEVELS = [("junior", 1500, 0.8), ("middle", 3500, 2.5), ("senior", 5500, 5.5), ("expert", 7000, 9)]
# A few large countries and a long tail (weights in parts of the offers that name one).
BIG_COUNTRIES = [("UA", 40), ("PL", 14), ("US", 10), ("DE", 7), ("PT", 4), ("RO", 3)]
TAIL_COUNTRIES = (
    "GB NL ES CZ LT LV EE GE AM BG HR SK SI HU IT FR CA IL TR KZ AZ MD RS CY MT".split()  # noqa: SIM905
)
COUNTRIES = [code for code, _ in BIG_COUNTRIES] + TAIL_COUNTRIES
COUNTRY_WEIGHTS = [weight for _, weight in BIG_COUNTRIES] + [22 / len(TAIL_COUNTRIES)] * len(
    TAIL_COUNTRIES
)
ENGLISH = ["basic", "intermediate", "upper-intermediate", "advanced", "fluent", ""]
ENGLISH_WEIGHTS = [6, 22, 34, 22, 8, 8]
HEADER = [
    "offer_id", "candidate_id", "offered_on", "specialization", "technologies", "salary",
    "experience_years", "seniority", "country", "english_level", "remote",
]  # fmt: skip


def generate(rows: int, out, *, seed: int = 2024, specializations: int = 10,
             technologies: int = 60, start_year: int = 2021, years: int = 5) -> None:  # fmt: skip
    rng = random.Random(seed)
    specs = [f"spec-{i:02d}" for i in range(specializations)]
    techs = [f"tech-{i:02d}" for i in range(technologies)]
    tech_pay = [rng.uniform(0.8, 1.3) for _ in techs]
    start = date(start_year, 1, 1)
    days = (date(start_year + years, 1, 1) - start).days
    candidates = max(1, rows // 4)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(rows):
        level, base, experience = rng.choice(LEVELS)
        picked = rng.sample(range(technologies), rng.choice((2, 3, 3, 4)))
        factor = sum(tech_pay[t] for t in picked) / len(picked)
        salary = max(300, min(100_000, int(rng.gauss(base * factor, base * 0.25)) // 50 * 50))
        writer.writerow(
            [
                f"b{i}",
                f"c{rng.randrange(candidates)}",
                (start + timedelta(days=rng.randrange(days))).isoformat(),
                rng.choice(specs),
                ";".join(techs[t] for t in picked),
                salary,
                f"{experience + rng.uniform(-0.7, 0.7):.1f}",
                level if rng.random() > 0.1 else "",
                rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0] if rng.random() > 0.05 else "",
                rng.choices(ENGLISH, ENGLISH_WEIGHTS)[0],
                ("true" if rng.random() < 0.42 else "false") if rng.random() > 0.06 else "",
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int, help="How many offers.")
    parser.add_argument("path", help="Where to write the CSV (- for standard output).")
    parser.add_argument("--seed", type=int, default=2024, help="Random seed.")
    args = parser.parse_args()
    if args.path == "-":
        generate(args.rows, sys.stdout, seed=args.seed)
        return
    Path(args.path).parent.mkdir(parents=True, exist_ok=True)
    with open(args.path, "w", newline="", encoding="utf-8") as out:
        generate(args.rows, out, seed=args.seed)


if __name__ == "__main__":
    main()
