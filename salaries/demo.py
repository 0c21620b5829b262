"""Deterministic, realistic demo data: a catalogue and offers in the import format.

The slice Back-End × Flask × 2024 is built to reproduce the reference salary page
exactly: 571 offers from 143 candidates, with a median of $7,707. No other generated
offer falls into that slice.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from salaries.stats import MAX_SALARY

YEARS = (2021, 2022, 2023, 2024, 2025)
REFERENCE = {"specialization": "back-end", "technology": "flask", "year": 2024}
REFERENCE_OFFERS, REFERENCE_MEDIAN, REFERENCE_CANDIDATES = 571, 7707, 143


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    role_title: str
    description: str
    pay: float  # relative to the market
    # (technology slug, weight): what offers in this role name, most common first
    stack: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Tech:
    slug: str
    name: str
    description: str
    pay: float = 1.0
    related: tuple[str, ...] = field(default=())


SPECIALIZATIONS = (
    Spec("back-end", "Back-End", "Back-End Web Developer",
         "Builds the server side of web applications: APIs, data and integrations.", 1.05,
         (("python", 9), ("java", 7), ("go", 5), ("node-js", 6), ("php", 5), ("flask", 4),
          ("django", 6), ("fastapi", 4), ("spring", 5), ("postgresql", 8), ("mysql", 4),
          ("redis", 5), ("docker", 6), ("kafka", 2), ("c-sharp", 4), ("dotnet", 3),
          ("laravel", 3), ("ruby", 2), ("rails", 2), ("mongodb", 3), ("aws", 4))),
    Spec("front-end", "Front-End", "Front-End Developer",
         "Builds what users see and touch in the browser.", 0.95,
         (("javascript", 9), ("typescript", 8), ("react", 8), ("vue", 4), ("angular", 4),
          ("next-js", 3), ("css", 5), ("redux", 3), ("webpack", 2), ("graphql", 2))),
    Spec("full-stack", "Full-Stack", "Full-Stack Developer",
         "Works across the browser and the server.", 1.0,
         (("javascript", 8), ("typescript", 7), ("react", 7), ("node-js", 7), ("python", 4),
          ("django", 3), ("postgresql", 5), ("mongodb", 3), ("docker", 4), ("php", 3),
          ("laravel", 2), ("next-js", 3), ("graphql", 2))),
    Spec("mobile", "Mobile", "Mobile Developer",
         "Builds apps for iOS and Android.", 1.0,
         (("swift", 7), ("kotlin", 7), ("flutter", 5), ("react-native", 5), ("java", 3),
          ("dart", 4), ("firebase", 3))),
    Spec("devops", "DevOps", "DevOps Engineer",
         "Automates building, shipping and running software.", 1.1,
         (("docker", 9), ("kubernetes", 8), ("aws", 7), ("terraform", 6), ("linux", 7),
          ("python", 4), ("go", 3), ("ansible", 4), ("gcp", 3), ("azure", 3))),
    Spec("data-science", "Data Science", "Data Scientist",
         "Turns data into models, forecasts and decisions.", 1.1,
         (("python", 10), ("pandas", 8), ("sql", 6), ("pytorch", 5), ("tensorflow", 4),
          ("scikit-learn", 6), ("spark", 3), ("airflow", 2))),
    Spec("qa", "QA", "QA Engineer",
         "Tests software by hand and with automated suites.", 0.8,
         (("selenium", 7), ("python", 4), ("java", 4), ("javascript", 4), ("cypress", 4),
          ("playwright", 3), ("postman", 5), ("sql", 3))),
    Spec("embedded", "Embedded", "Embedded Software Engineer",
         "Writes software for devices, firmware and real-time systems.", 1.0,
         (("c", 9), ("cpp", 8), ("rust", 3), ("linux", 5), ("python", 3))),
    Spec("game-dev", "Game Development", "Game Developer",
         "Builds games and interactive 3D experiences.", 0.95,
         (("c-sharp", 7), ("unity", 8), ("cpp", 6), ("unreal-engine", 5))),
)  # fmt: skip

TECHNOLOGIES = (
    Tech("python", "Python", "A general-purpose language loved for readability.", 1.05,
         ("django", "flask", "fastapi")),
    Tech("flask", "Flask", "A lightweight Python web framework.", 1.0,
         ("django", "fastapi", "node-js", "python")),
    Tech("django", "Django", "A batteries-included Python web framework.", 1.02,
         ("flask", "fastapi", "rails", "laravel")),
    Tech("fastapi", "FastAPI", "A modern, fast Python framework for APIs.", 1.08,
         ("flask", "django", "node-js")),
    Tech("sqlalchemy", "SQLAlchemy", "The Python SQL toolkit and ORM.", 1.03,
         ("django", "flask")),
    Tech("celery", "Celery", "Distributed task queues for Python.", 1.04, ("redis", "kafka")),
    Tech("java", "Java", "A statically typed language of the JVM.", 1.05, ("kotlin", "spring")),
    Tech("spring", "Spring", "The leading Java application framework.", 1.08,
         ("java", "dotnet", "django")),
    Tech("kotlin", "Kotlin", "A concise JVM language, Android's first choice.", 1.05,
         ("java", "swift")),
    Tech("go", "Go", "A simple, fast language for services.", 1.15, ("rust", "java")),
    Tech("rust", "Rust", "A memory-safe systems language.", 1.15, ("go", "cpp")),
    Tech("node-js", "Node.js", "JavaScript on the server.", 1.0, ("express", "flask")),
    Tech("express", "Express.js", "A minimal web framework for Node.js.", 0.98,
         ("node-js", "flask", "fastapi")),
    Tech("php", "PHP", "The language behind much of the web.", 0.88, ("laravel",)),
    Tech("laravel", "Laravel", "A PHP framework with expressive syntax.", 0.9,
         ("php", "django", "rails")),
    Tech("ruby", "Ruby", "A dynamic language focused on programmer happiness.", 1.05, ("rails",)),
    Tech("rails", "Ruby on Rails", "A convention-over-configuration web framework.", 1.06,
         ("ruby", "django", "laravel")),
    Tech("c-sharp", "C#", "Microsoft's general-purpose language.", 1.0, ("dotnet", "java")),
    Tech("dotnet", ".NET", "Microsoft's application platform.", 1.02, ("c-sharp", "spring")),
    Tech("javascript", "JavaScript", "The language of the browser.", 0.95,
         ("typescript", "node-js")),
    Tech("typescript", "TypeScript", "JavaScript with static types.", 1.02,
         ("javascript", "react", "angular")),
    Tech("react", "React", "A library for building user interfaces.", 1.02,
         ("vue", "angular", "next-js")),
    Tech("vue", "Vue.js", "A progressive front-end framework.", 0.95, ("react", "angular")),
    Tech("angular", "Angular", "A full front-end framework by Google.", 0.98, ("react", "vue")),
    Tech("next-js", "Next.js", "The React framework for production.", 1.05, ("react",)),
    Tech("redux", "Redux", "Predictable state for JavaScript apps.", 0.98, ("react",)),
    Tech("css", "CSS", "Styles for the web.", 0.85, ("javascript",)),
    Tech("webpack", "webpack", "A bundler for JavaScript applications.", 0.95, ("javascript",)),
    Tech("graphql", "GraphQL", "A query language for APIs.", 1.05, ("react", "node-js")),
    Tech("postgresql", "PostgreSQL", "The advanced open-source relational database.", 1.03,
         ("mysql", "mongodb", "redis")),
    Tech("mysql", "MySQL", "A popular open-source relational database.", 0.95,
         ("postgresql", "mongodb")),
    Tech("mongodb", "MongoDB", "A document database.", 0.98, ("postgresql", "redis")),
    Tech("redis", "Redis", "An in-memory data store and cache.", 1.05, ("postgresql", "kafka")),
    Tech("kafka", "Kafka", "A distributed event streaming platform.", 1.15, ("redis",)),
    Tech("docker", "Docker", "Containers for building and shipping software.", 1.03,
         ("kubernetes",)),
    Tech("kubernetes", "Kubernetes", "Container orchestration at scale.", 1.12,
         ("docker", "terraform")),
    Tech("aws", "AWS", "Amazon's cloud platform.", 1.08, ("gcp", "azure")),
    Tech("gcp", "Google Cloud", "Google's cloud platform.", 1.06, ("aws", "azure")),
    Tech("azure", "Azure", "Microsoft's cloud platform.", 1.03, ("aws", "gcp")),
    Tech("terraform", "Terraform", "Infrastructure as code.", 1.1, ("ansible", "kubernetes")),
    Tech("ansible", "Ansible", "Configuration management and automation.", 1.0, ("terraform",)),
    Tech("linux", "Linux", "The open-source operating system.", 1.0, ("docker",)),
    Tech("swift", "Swift", "Apple's language for iOS and macOS.", 1.08, ("kotlin", "flutter")),
    Tech("flutter", "Flutter", "Google's cross-platform UI toolkit.", 0.98,
         ("react-native", "swift")),
    Tech("dart", "Dart", "The language behind Flutter.", 0.97, ("flutter",)),
    Tech("react-native", "React Native", "Native apps with React.", 1.0, ("flutter", "react")),
    Tech("firebase", "Firebase", "Google's app development platform.", 0.95, ("flutter",)),
    Tech("pandas", "pandas", "Data analysis for Python.", 1.02, ("python", "spark")),
    Tech("sql", "SQL", "The language of relational data.", 0.98, ("postgresql", "pandas")),
    Tech("pytorch", "PyTorch", "A deep learning framework.", 1.15, ("tensorflow",)),
    Tech("tensorflow", "TensorFlow", "Google's machine learning platform.", 1.1, ("pytorch",)),
    Tech("scikit-learn", "scikit-learn", "Machine learning in Python.", 1.05, ("pandas",)),
    Tech("spark", "Apache Spark", "Large-scale data processing.", 1.12, ("airflow", "pandas")),
    Tech("airflow", "Apache Airflow", "Workflow orchestration.", 1.08, ("spark",)),
    Tech("selenium", "Selenium", "Browser automation for testing.", 0.95,
         ("playwright", "cypress")),
    Tech("cypress", "Cypress", "End-to-end testing for the web.", 0.98,
         ("playwright", "selenium")),
    Tech("playwright", "Playwright", "Reliable end-to-end browser testing.", 1.02,
         ("cypress", "selenium")),
    Tech("postman", "Postman", "An API platform for testing.", 0.9, ("selenium",)),
    Tech("c", "C", "The systems programming classic.", 1.0, ("cpp", "rust")),
    Tech("cpp", "C++", "A high-performance systems language.", 1.05, ("c", "rust")),
    Tech("unity", "Unity", "A real-time 3D engine for games.", 0.97, ("unreal-engine",)),
    Tech("unreal-engine", "Unreal Engine", "Epic's high-end game engine.", 1.02, ("unity",)),
)  # fmt: skip

LEVELS = (  # level, share of offers, typical experience years, monthly salary at pay 1.0
    ("junior", 0.22, 1.0, 1500),
    ("middle", 0.35, 3.3, 3300),
    ("senior", 0.30, 6.2, 5200),
    ("expert", 0.13, 10.0, 6600),
)
COUNTRIES = ("UA", "UA", "UA", "PL", "PL", "DE", "RO", "PT", "ES", "GB", "US", "")
ENGLISH = ("intermediate", "upper-intermediate", "upper-intermediate", "advanced", "fluent", "")


def _experience(rng: random.Random, typical: float) -> str:
    return f"{max(0.0, rng.gauss(typical, typical * 0.25)):.1f}"


def _day_in(rng: random.Random, year: int) -> date:
    start = date(year, 1, 1)
    return start + timedelta(days=rng.randrange((date(year + 1, 1, 1) - start).days))


def _salary(rng: random.Random, base: float, spread: float = 0.22) -> int:
    # Candidates state round figures; whole dollars, 1..100000.
    return max(300, min(MAX_SALARY, round(rng.lognormvariate(0, spread) * base / 50) * 50))


def _general_offers(count: int, rng: random.Random) -> Iterator[dict]:
    tech_pay = {t.slug: t.pay for t in TECHNOLOGIES}
    number, person = 0, 0
    while number < count:
        spec = rng.choices(SPECIALIZATIONS, weights=[len(s.stack) for s in SPECIALIZATIONS])[0]
        level, _, typical, pay = rng.choices(LEVELS, weights=[lv[1] for lv in LEVELS])[0]
        person += 1
        candidate = f"cand-{person:06d}"
        country, english = rng.choice(COUNTRIES), rng.choice(ENGLISH)
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6))):
            year = rng.choices(YEARS, weights=(14, 17, 20, 23, 26))[0]
            names, weights = zip(*spec.stack, strict=True)
            techs: list[str] = []
            while len(techs) < rng.choice((2, 3, 3, 4)):
                pick = rng.choices(names, weights=weights)[0]
                if pick not in techs:
                    techs.append(pick)
            if spec.slug == "back-end" and year == 2024 and "flask" in techs:
                techs.remove("flask")  # the reference slice is built on its own
            growth = 1.04 ** (year - 2021)
            factor = spec.pay * sum(tech_pay[t] for t in techs) / len(techs) * growth
            number += 1
            yield {
                "offer_id": f"demo-{number:06d}",
                "candidate_id": candidate,
                "offered_on": _day_in(rng, year).isoformat(),
                "specialization": spec.slug,
                "technologies": ";".join(techs),
                "salary": _salary(rng, pay * factor),
                "experience_years": _experience(rng, typical) if rng.random() > 0.08 else "",
                "seniority": level if rng.random() > 0.05 else "",
                "country": country,
                "english_level": english,
                "remote": rng.choice(("true", "true", "false", "")),
            }
            if number >= count:
                return


def _reference_offers(rng: random.Random) -> Iterator[dict]:
    """Back-End × Flask × 2024: 571 offers, 143 candidates, median exactly $7,707."""
    half = REFERENCE_OFFERS // 2
    low: list[int] = []
    high: list[int] = []
    while len(low) < half or len(high) < half:
        value = _salary(rng, 7600, spread=0.32)
        if value < REFERENCE_MEDIAN and len(low) < half:
            low.append(value)
        elif value > REFERENCE_MEDIAN and len(high) < half:
            high.append(value)
    salaries = sorted([*low, REFERENCE_MEDIAN, *high])
    companions = ("postgresql", "sqlalchemy", "redis", "docker", "celery", "aws")
    for rank, salary in enumerate(salaries):
        # Neighbouring expectations belong to the same person: 143 candidates, ~4 offers each.
        person = rank * REFERENCE_CANDIDATES // REFERENCE_OFFERS
        level_index = min(3, rank * 4 // REFERENCE_OFFERS + (1 if rng.random() < 0.15 else 0))
        level, _, typical, _ = LEVELS[level_index]
        extra = [t for t in companions if rng.random() < 0.45][:2]
        yield {
            "offer_id": f"demo-flask-2024-{rank:03d}",
            "candidate_id": f"flask-dev-{person:03d}",
            "offered_on": _day_in(rng, 2024).isoformat(),
            "specialization": "back-end",
            "technologies": ";".join(["flask", "python", *extra]),
            "salary": salary,
            "experience_years": _experience(rng, typical),
            "seniority": level,
            "country": rng.choice(COUNTRIES),
            "english_level": rng.choice(ENGLISH),
            "remote": rng.choice(("true", "false")),
        }


def demo_offers(count: int = 60_000, *, seed: int = 571) -> Iterator[dict]:
    """``count`` general offers followed by the reference slice, always the same."""
    rng = random.Random(seed)
    yield from _general_offers(count, rng)
    yield from _reference_offers(random.Random(seed + 7707))
