"""Demo articles: three salary guides written for this portal, stored as StreamField data.

Bodies are built from small helpers that produce the blocks' stored (JSON) form, so the
demo exercises the same blocks an editor uses in the admin. Catalogue references are slugs,
resolved to primary keys when the articles are loaded.

Live figures follow the newest year with data, the same year as the topic header every
article opens with, so the prose names no year and no live block repeats that header.
(Long because it is content: the three articles' text and code samples.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

Ref = Callable[[str], int]  # slug -> primary key


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    intro: str
    date: date
    tags: tuple[str, ...]
    specialization: str | None
    technology: str | None
    search_description: str
    body: Callable[[Ref, Ref], list[dict]] = field(repr=False)
    author: str = "Salary desk"


# -- block builders (stored form) ----------------------------------------------------------


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def code_value(language: str, source: str, caption: str = "") -> dict:
    return {"language": language, "code": source.strip("\n") + "\n", "caption": caption}


NO_CODE = {"language": "text", "code": "", "caption": ""}


def code(language: str, source: str, caption: str = "") -> dict:
    return {"type": "code", "value": code_value(language, source, caption)}


def alternative(name, link, summary, language, source, pros, cons) -> dict:
    return {
        "type": "alternative",
        "value": {
            "name": name,
            "link": link,
            "summary": summary,
            "code": code_value(language, source),
            "pros": list(pros),
            "cons": list(cons),
        },
    }


def seniority_table(caption: str, rows, specialization: int, technology: int, year: str) -> dict:
    return {
        "type": "seniority_table",
        "value": {
            "caption": caption,
            "rows": [
                {
                    "level": level,
                    "years": years,
                    "salary_from": low,
                    "salary_to": high,
                    "responsibilities": duties,
                }
                for level, years, low, high, duties in rows
            ],
            "show_live_median": True,
            "specialization": specialization,
            "technology": technology,
            "year": year,
        },
    }


def related_technologies(title: str, items) -> dict:
    return {
        "type": "related_technologies",
        "value": {
            "heading": title,
            "items": [
                {
                    "title": name,
                    "text": text,
                    "code": code_value(*sample) if sample else NO_CODE,
                }
                for name, text, sample in items
            ],
        },
    }


def timeline(title: str, items) -> dict:
    return {
        "type": "timeline",
        "value": {
            "heading": title,
            "items": [{"when": when, "title": what, "text": text} for when, what, text in items],
        },
    }


def callout(tone: str, title: str, html: str) -> dict:
    return {"type": "callout", "value": {"tone": tone, "title": title, "text": html}}


def table(rows: list[list[str]], caption: str = "") -> dict:
    return {
        "type": "table",
        "value": {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": True,
            "table_caption": caption,
        },
    }


def live_salary(
    specialization: int | None, technology: int | None, year: str, facets: dict | None = None
) -> dict:
    value = {
        "specialization": specialization,
        "technology": technology,
        "year": year,
        "show_histogram": True,
    }
    if facets:
        value["facets"] = facets
    return {"type": "live_salary", "value": value}


def salary_comparison(
    title: str,
    specialization: int,
    technologies: list[int],
    year: str,
    facets: dict | None = None,
):
    value = {
        "heading": title,
        "specialization": specialization,
        "technologies": technologies,
        "year": year,
    }
    if facets:
        value["facets"] = facets
    return {"type": "salary_comparison", "value": value}


# -- Back-End × Flask ----------------------------------------------------------------------


def flask_body(spec: Ref, tech: Ref) -> list[dict]:
    backend, flask = spec("back-end"), tech("flask")
    return [
        heading("What a back-end developer does"),
        paragraph(
            "<p>A back-end developer writes the part of a web product that runs on servers: "
            "the HTTP endpoints a browser or a mobile app calls, the business rules behind "
            "them, the database schema and its migrations, and the jobs that run when nobody "
            "is looking, such as sending e-mails, importing files or charging cards.</p>"
            "<p>With Flask the developer also chooses much of the stack. Flask handles "
            "routing, requests and responses, and leaves the database layer, forms, "
            "authentication and background work to libraries the team picks, so the job "
            "includes judging those libraries and wiring them together cleanly.</p>"
        ),
        heading("Skills the role needs", "h3"),
        paragraph(
            "<ul>"
            "<li><b>Python</b> beyond the basics: packaging, typing, context managers, "
            "decorators (Flask's routes are decorators).</li>"
            "<li><b>HTTP and REST</b>: status codes, caching headers, authentication with "
            "sessions or tokens, API versioning.</li>"
            "<li><b>SQL and a relational database</b>, usually PostgreSQL, through "
            "SQLAlchemy; reading a query plan when an endpoint gets slow.</li>"
            "<li><b>Testing</b> with pytest and Flask's test client.</li>"
            "<li><b>Operations</b>: containers, a WSGI server such as Gunicorn, logs and "
            "metrics, and background queues like Celery or RQ.</li>"
            "<li><b>Security habits</b>: parameterised queries, CSRF protection for forms, "
            "secrets kept out of the code.</li>"
            "</ul>"
        ),
        heading("Where Flask is used"),
        paragraph(
            "<p>Flask's small core makes it a common choice where a full-stack framework "
            "would bring more than the project needs:</p>"
            "<ul>"
            "<li><b>Internal APIs and microservices</b> that expose a handful of endpoints "
            "over an existing database.</li>"
            "<li><b>Serving machine-learning models</b>: data teams already write Python, and "
            "wrapping a model in a Flask endpoint is a short step.</li>"
            "<li><b>Prototypes and MVPs</b> that need to be online this week.</li>"
            "<li><b>Admin tools, dashboards and webhooks</b> that glue other systems "
            "together.</li>"
            "<li><b>Teaching</b>: a whole Flask application fits on one screen, which makes "
            "it a favourite of web development courses.</li>"
            "</ul>"
        ),
        code(
            "python",
            """
from flask import Flask, abort

app = Flask(__name__)

FIRST_RELEASE = {"django": 2005, "flask": 2010, "fastapi": 2018}


@app.get("/api/frameworks/<name>")
def framework(name: str):
    if name not in FIRST_RELEASE:
        abort(404)
    return {"framework": name, "first_release": FIRST_RELEASE[name]}
""",
            "A complete Flask application: one JSON endpoint, run with `flask --app app run`.",
        ),
        heading("Flask beyond the back end", "h3"),
        paragraph(
            "<p>Back-end roles are only part of Flask's market: full-stack developers use it "
            "behind their front ends, and data scientists use it to serve models. The "
            "figures below count every offer that names Flask, whatever the role, in the "
            "same year as the back-end figures at the top of this article.</p>"
        ),
        live_salary(None, flask, "latest"),
        heading("Alternatives to Flask"),
        paragraph(
            "<p>Teams that consider Flask usually compare it with three other ways of "
            "building a back end. Each card shows the same endpoint written with the "
            "alternative.</p>"
        ),
        alternative(
            "Django",
            "https://www.djangoproject.com/",
            "<p>Python's full-stack framework: ORM, migrations, forms, authentication and an "
            "admin interface ship in the box, with conventions for where everything goes.</p>",
            "python",
            """
# views.py
from django.http import Http404, JsonResponse

FIRST_RELEASE = {"django": 2005, "flask": 2010, "fastapi": 2018}


def framework(request, name):
    if name not in FIRST_RELEASE:
        raise Http404
    return JsonResponse({"framework": name, "first_release": FIRST_RELEASE[name]})

# urls.py: path("api/frameworks/<slug:name>", framework)
""",
            [
                "Admin, ORM and migrations save weeks on data-heavy products",
                "Strong security defaults (CSRF, XSS escaping, clickjacking headers)",
                "Long-term support releases and a large ecosystem",
            ],
            [
                "More structure than a tiny service needs",
                "The ORM and the rest of the stack come as a package",
            ],
        ),
        alternative(
            "Express.js",
            "https://expressjs.com/",
            "<p>The minimal web framework of Node.js, close to Flask in spirit: routing and "
            "middleware, everything else from npm.</p>",
            "javascript",
            """
const express = require("express");
const app = express();

const firstRelease = { django: 2005, flask: 2010, fastapi: 2018 };

app.get("/api/frameworks/:name", (req, res) => {
  const year = firstRelease[req.params.name];
  if (year === undefined) return res.sendStatus(404);
  res.json({ framework: req.params.name, first_release: year });
});

app.listen(3000);
""",
            [
                "One language, JavaScript or TypeScript, on the server and in the browser",
                "Non-blocking I/O suits many concurrent, I/O-bound requests",
                "Huge package ecosystem",
            ],
            [
                "Few conventions: every project assembles its own structure",
                "Validation, ORM and auth are all third-party choices",
            ],
        ),
        alternative(
            "FastAPI",
            "https://fastapi.tiangolo.com/",
            "<p>An async-first Python framework built on Starlette and Pydantic. Type hints "
            "on the function drive request validation and the OpenAPI documentation.</p>",
            "python",
            """
from fastapi import FastAPI, HTTPException

app = FastAPI()

FIRST_RELEASE = {"django": 2005, "flask": 2010, "fastapi": 2018}


@app.get("/api/frameworks/{name}")
async def framework(name: str) -> dict:
    if name not in FIRST_RELEASE:
        raise HTTPException(status_code=404)
    return {"framework": name, "first_release": FIRST_RELEASE[name]}
""",
            [
                "Validation and interactive API docs generated from type hints",
                "Native async for I/O-heavy services",
                "Very close to Flask in how routes are written",
            ],
            [
                "Async code needs async-aware libraries all the way down",
                "Still versioned 0.x: upgrades deserve a careful read of the notes",
            ],
        ),
        salary_comparison(
            "Flask and its alternatives: back-end medians",
            backend,
            [flask, tech("django"), tech("express"), tech("fastapi")],
            "latest",
        ),
        timeline(
            "Flask facts and history",
            [
                (
                    "1 April 2010",
                    "An April Fools' joke",
                    "Armin Ronacher publishes “Denied”, a spoof micro-framework packed into "
                    "a single file. The interest it draws convinces him to build the real "
                    "thing on top of his Werkzeug and Jinja libraries.",
                ),
                (
                    "0.1 · April 2010",
                    "First release",
                    "Flask 0.1 comes out two weeks later, as a micro-framework that keeps "
                    "its core small and leaves choices to extensions.",
                ),
                (
                    "1.0 · April 2018",
                    "Eight years to 1.0",
                    "A stable 1.0 after years of 0.x releases already running in production.",
                ),
                (
                    "2.0 · May 2021",
                    "Async views",
                    "Views can be async functions; route shortcuts such as @app.get and "
                    "@app.post and nested blueprints arrive; Python 2 support ends.",
                ),
                (
                    "3.0 · September 2023",
                    "Clean-up release",
                    "Long-deprecated code removed, alongside Werkzeug 3.0.",
                ),
                (
                    "3.1 · November 2024",
                    "Current line",
                    "Requires Python 3.9 or newer.",
                ),
            ],
        ),
        table(
            [
                ["", "Flask"],
                ["Author", "Armin Ronacher; maintained by the Pallets project"],
                ["Language", "Python"],
                ["Interface", "WSGI; async views run in an event loop per request"],
                ["Templates", "Jinja"],
                ["Licence", "BSD-3-Clause"],
            ],
            "Flask at a glance",
        ),
        heading("Salary by seniority"),
        paragraph(
            "<p>What employers expect at each level, with the ranges our editors see in "
            "offers. The last column is the live median of each level in the same year as "
            "the figures at the top of this article; a flag marks a level where the market "
            "has moved outside the editorial range.</p>"
        ),
        seniority_table(
            "Back-end developers with Flask",
            [
                (
                    "junior",
                    "0–2 years",
                    3500,
                    5500,
                    "Builds endpoints from a clear spec, writes tests, fixes bugs, learns the "
                    "codebase and its deployment.",
                ),
                (
                    "middle",
                    "2–5 years",
                    5500,
                    8000,
                    "Owns features end to end: schema changes, migrations, API design, code "
                    "review of juniors.",
                ),
                (
                    "senior",
                    "5–8 years",
                    8000,
                    11000,
                    "Designs services and their boundaries, sets performance and security "
                    "standards, mentors the team.",
                ),
                (
                    "expert",
                    "8+ years",
                    10500,
                    15000,
                    "Shapes the architecture across teams, leads migrations and incident "
                    "reviews, chooses the stack.",
                ),
            ],
            backend,
            flask,
            "latest",
        ),  # fmt: skip
        related_technologies(
            "Top technologies used with Flask",
            [
                (
                    "SQLAlchemy",
                    "<p>The database toolkit most Flask projects use, often through "
                    "Flask-SQLAlchemy.</p>",
                    (
                        "python",
                        """
from sqlalchemy import select

stmt = select(Offer).where(Offer.technology == "flask").limit(10)
offers = session.scalars(stmt).all()
""",
                    ),
                ),
                (
                    "PostgreSQL",
                    "<p>The relational database behind most production Flask services.</p>",
                    (
                        "sql",
                        """
SELECT technology, percentile_cont(0.5) WITHIN GROUP (ORDER BY salary)
FROM offers GROUP BY technology;
""",
                    ),
                ),
                (
                    "Celery",
                    "<p>Runs slow work, such as e-mails and imports, outside the request.</p>",
                    (
                        "python",
                        """
@celery.task
def send_welcome_email(user_id: int) -> None:
    ...

send_welcome_email.delay(user.id)
""",
                    ),
                ),
                (
                    "Redis",
                    "<p>Cache, rate-limit counters and the Celery broker in one service.</p>",
                    (
                        "python",
                        """
cache = redis.Redis()
cache.set("median:back-end:flask:2024", 7707, ex=300)
""",
                    ),
                ),
                (
                    "Docker",
                    "<p>Packages the application with its WSGI server for deployment.</p>",
                    (
                        "dockerfile",
                        """
FROM python:3.12-slim
COPY . /app
RUN pip install /app gunicorn
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
""",
                    ),
                ),
            ],
        ),
        callout(
            "info",
            "About these figures",
            "<p>Every figure on this page is live: it is read from the portal's published "
            "statistics and changes when they are recomputed. The median is offer-weighted "
            "and slices with too few offers show no salary figures.</p>",
        ),
    ]


# -- Back-End × Django ---------------------------------------------------------------------


def django_body(spec: Ref, tech: Ref) -> list[dict]:
    backend, django = spec("back-end"), tech("django")
    return [
        heading("What a Django developer does"),
        paragraph(
            "<p>Django developers build data-centred web products: marketplaces, content "
            "sites, booking systems, internal tools. Much of the day goes into modelling "
            "data, writing views and APIs (often with Django REST framework), keeping "
            "queries fast, and shaping the admin so colleagues can run the business from "
            "it.</p>"
            "<ul><li>Models, migrations and the ORM, and when to drop to SQL</li>"
            "<li>Views, forms and templates, or serializers for an API</li>"
            "<li>Caching, background tasks and deployment behind a WSGI or ASGI server</li>"
            "<li>Security: Django's defaults and how not to undo them</li></ul>"
        ),
        code(
            "python",
            """
from django.db import models


class Offer(models.Model):
    title = models.CharField(max_length=200)
    salary = models.PositiveIntegerField(help_text="USD per month")
    published = models.DateField()

    class Meta:
        ordering = ["-published"]
""",
            "A Django model: the migration and an admin form come from these few lines.",
        ),
        heading("Where Django is used"),
        paragraph(
            "<p>Django suits products where the data model is the heart of the business "
            "and an admin interface pays for itself from the first day: newsrooms and "
            "content platforms, e-commerce back offices, healthcare and public-sector "
            "portals, and APIs for mobile apps. Wagtail, the CMS that runs this portal, is "
            "built on Django.</p>"
        ),
        heading("Alternatives to Django"),
        alternative(
            "Flask",
            "https://flask.palletsprojects.com/",
            "<p>A micro-framework: routing and requests in the core, everything else from "
            "extensions the team chooses.</p>",
            "python",
            """
@app.get("/offers/<int:offer_id>")
def offer(offer_id: int):
    return db.get_or_404(Offer, offer_id).to_dict()
""",
            ["Small and explicit", "Easy to start and to read"],
            ["Each project assembles and maintains its own stack"],
        ),
        alternative(
            "FastAPI",
            "https://fastapi.tiangolo.com/",
            "<p>A typed, async-first framework for APIs.</p>",
            "python",
            """
@app.get("/offers/{offer_id}")
async def offer(offer_id: int) -> OfferOut:
    return await repository.get(offer_id)
""",
            ["Validation and OpenAPI docs from type hints", "Native async"],
            ["No admin, ORM or migrations included"],
        ),
        salary_comparison(
            "Django and its neighbours: back-end medians",
            backend,
            [django, tech("flask"), tech("fastapi"), tech("rails"), tech("laravel")],
            "latest",
        ),
        timeline(
            "Django facts and history",
            [
                (
                    "July 2005",
                    "Open-sourced",
                    "Released by the web team of the Lawrence Journal-World newspaper, where "
                    "Adrian Holovaty and Simon Willison started it.",
                ),
                (
                    "1.0 · September 2008",
                    "First stable release",
                    "The Django Software Foundation is founded the same year.",
                ),
                ("2.0 · December 2017", "Python 3 only", "Simplified URL routing with path()."),
                ("3.0 · December 2019", "ASGI support", "Async views follow in 3.1 (2020)."),
                (
                    "5.2 · April 2025",
                    "Long-term support",
                    "An LTS release with security fixes until April 2028.",
                ),
                (
                    "6.0 · December 2025",
                    "Current feature line",
                    "Background tasks framework and template partials arrive in core.",
                ),
            ],
        ),  # fmt: skip
        heading("Salary by seniority"),
        seniority_table(
            "Back-end developers with Django",
            [
                (
                    "junior",
                    "0–2 years",
                    3500,
                    5500,
                    "Implements views and forms from tickets, writes tests, learns the ORM.",
                ),
                (
                    "middle",
                    "2–5 years",
                    5500,
                    8000,
                    "Designs models and APIs, reviews migrations, tunes slow queries.",
                ),
                (
                    "senior",
                    "5–8 years",
                    8000,
                    11500,
                    "Owns architecture and performance, mentors, leads upgrades.",
                ),
                (
                    "expert",
                    "8+ years",
                    10000,
                    15000,
                    "Sets technical direction across teams and products.",
                ),
            ],
            backend,
            django,
            "latest",
        ),  # fmt: skip
        related_technologies(
            "Top technologies used with Django",
            [
                (
                    "PostgreSQL",
                    "<p>Django's best-supported database, with full-text "
                    "search and JSON fields in <code>django.contrib.postgres</code>.</p>",
                    None,
                ),
                (
                    "Celery",
                    "<p>Background jobs and schedules.</p>",
                    ("python", "@shared_task\ndef refresh_statistics():\n    ..."),
                ),
                (
                    "Redis",
                    "<p>Django's built-in cache backend since 4.0.</p>",
                    (
                        "python",
                        'CACHES = {"default": {\n    "BACKEND": '
                        '"django.core.cache.backends.redis.RedisCache",\n'
                        '    "LOCATION": "redis://127.0.0.1:6379",\n}}',
                    ),
                ),
                ("Docker", "<p>Packages the app with Gunicorn or Uvicorn.</p>", None),
            ],
        ),  # fmt: skip
    ]


# -- Back-End × FastAPI --------------------------------------------------------------------


def fastapi_body(spec: Ref, tech: Ref) -> list[dict]:
    backend, fastapi = spec("back-end"), tech("fastapi")
    return [
        heading("What a FastAPI developer does"),
        paragraph(
            "<p>FastAPI developers build HTTP APIs, often for single-page apps, mobile "
            "clients or machine-learning models. The framework turns the type hints of a "
            "function into request parsing, validation, error messages and an OpenAPI "
            "schema, so the work centres on designing clear data models with Pydantic and "
            "keeping the async code non-blocking.</p>"
        ),
        code(
            "python",
            """
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class OfferIn(BaseModel):
    title: str
    salary: int = Field(gt=0, description="USD per month")


@app.post("/offers", status_code=201)
async def create_offer(offer: OfferIn) -> OfferIn:
    # A body without a positive salary is rejected with a 422 before this line runs.
    return offer
""",
            "Validation and documentation from one Pydantic model.",
        ),
        heading("Where FastAPI is used"),
        paragraph(
            "<ul><li>Model serving and data products built by Python data teams</li>"
            "<li>Async gateways that call many other services</li>"
            "<li>Greenfield JSON APIs where the OpenAPI schema feeds generated clients</li>"
            "</ul>"
        ),
        heading("Alternatives to FastAPI"),
        alternative(
            "Flask",
            "https://flask.palletsprojects.com/",
            "<p>The older micro-framework FastAPI's routing style resembles.</p>",
            "python",
            '@app.post("/offers")\ndef create_offer():\n    return request.get_json(), 201',
            ["Mature, huge extension ecosystem"],
            ["Validation and API docs need extra libraries"],
        ),
        alternative(
            "Django REST framework",
            "https://www.django-rest-framework.org/",
            "<p>APIs on top of Django's ORM, admin and authentication.</p>",
            "python",
            "class OfferViewSet(viewsets.ModelViewSet):\n"
            "    queryset = Offer.objects.all()\n"
            "    serializer_class = OfferSerializer",
            ["Everything Django brings, plus browsable APIs"],
            ["Mostly synchronous", "Heavier for a small service"],
        ),
        salary_comparison(
            "FastAPI against other back-end stacks",
            backend,
            [fastapi, tech("flask"), tech("django"), tech("go"), tech("node-js")],
            "latest",
        ),
        timeline(
            "FastAPI facts and history",
            [
                (
                    "December 2018",
                    "First release",
                    "Created by Sebastián Ramírez on top of Starlette and Pydantic.",
                ),
                (
                    "July 2023",
                    "Pydantic 2",
                    "Release 0.100 adopts Pydantic 2 and its faster Rust-based core.",
                ),
                (
                    "Today",
                    "Still 0.x",
                    "Widely used in production, yet versioned below 1.0: pin the version and "
                    "read the release notes before upgrading.",
                ),
            ],
        ),  # fmt: skip
        heading("Salary by seniority"),
        seniority_table(
            "Back-end developers with FastAPI",
            [
                ("junior", "0–2 years", 3500, 5500, "Builds endpoints and Pydantic models."),
                ("middle", "2–5 years", 5500, 8500, "Designs APIs, async data access, tests."),
                ("senior", "5–8 years", 8500, 12000, "Owns services, performance, security."),
                ("expert", "8+ years", 10500, 15500, "Architecture across services and teams."),
            ],
            backend,
            fastapi,
            "latest",
        ),  # fmt: skip
        related_technologies(
            "Top technologies used with FastAPI",
            [
                ("Pydantic", "<p>Data models and validation.</p>", None),
                (
                    "Uvicorn",
                    "<p>The ASGI server that runs the app.</p>",
                    ("bash", "uvicorn app:app --host 0.0.0.0 --port 8000"),
                ),
                ("SQLAlchemy", "<p>Async sessions for the database.</p>", None),
                ("PostgreSQL", "<p>The usual database.</p>", None),
                ("Docker", "<p>Deployment.</p>", None),
            ],
        ),  # fmt: skip
    ]


ARTICLES = (
    DemoArticle(
        slug="back-end-developer-flask-salary-guide",
        title="Back-End Web Developer with Flask: role, skills and salary",
        intro=(
            "What back-end developers who work with Flask do, where Flask is used, how it "
            "compares with Django, Express.js and FastAPI, what each seniority level earns, "
            "and the technologies that come with it."
        ),
        date=date(2026, 11, 2),
        tags=("Flask", "Python", "Back-End", "Salary guide"),
        specialization="back-end",
        technology="flask",
        search_description=(
            "Flask back-end developer salary guide: live median and offers, skills, "
            "alternatives, seniority ranges and related technologies."
        ),
        body=flask_body,
    ),
    DemoArticle(
        slug="django-developer-salary-guide",
        title="Django developers: what they build and what they earn",
        intro=(
            "The batteries-included Python framework behind newsrooms, marketplaces and "
            "this portal: the job, the history and the live salary figures."
        ),
        date=date(2026, 10, 19),
        tags=("Django", "Python", "Back-End", "Salary guide"),
        specialization="back-end",
        technology="django",
        search_description="Django developer salary guide with live figures by seniority.",
        body=django_body,
    ),
    DemoArticle(
        slug="fastapi-developer-salary-guide",
        title="FastAPI developers: typed, async Python APIs and their pay",
        intro=(
            "Why FastAPI spread so fast, where it fits, what to compare it with, and what "
            "back-end developers who use it earn."
        ),
        date=date(2026, 11, 16),
        tags=("FastAPI", "Python", "Back-End", "Salary guide"),
        specialization="back-end",
        technology="fastapi",
        search_description="FastAPI developer salary guide with live figures by seniority.",
        body=fastapi_body,
    ),
)
