"""Fixtures shared by every app's tests."""

import io
import random

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from articles.factories import ArticlePageFactory
from articles.models import ArticleIndexPage, HomePage
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
    add_offers,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, as a fresh server would."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_tasks(monkeypatch):
    """Run the background tasks queued so far, as the real worker does
    (``db_worker --backend background --batch``), in this process and this test's
    transaction; returns how many tasks ran."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops database connections that a request would; inside a test's
    # transaction that would be this test's own connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        before = DBTaskResult.objects.exclude(status="READY").count()
        call_command(
            "db_worker",
            "--backend=background",
            "--queue-name=*",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval=0",
            verbosity=0,
        )
        return DBTaskResult.objects.exclude(status="READY").count() - before

    return run


@pytest.fixture
def catalogue():
    """A small catalogue named like the real one: Back-End and Front-End, Flask and friends."""
    back_end = SpecializationFactory(
        slug="back-end", name="Back-End", role_title="Back-End Web Developer"
    )
    front_end = SpecializationFactory(slug="front-end", name="Front-End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    django = TechnologyFactory(slug="django", name="Django")
    fastapi = TechnologyFactory(slug="fastapi", name="FastAPI")
    react = TechnologyFactory(slug="react", name="React")
    flask.related.add(django, fastapi)
    return {
        "back-end": back_end,
        "front-end": front_end,
        "flask": flask,
        "django": django,
        "fastapi": fastapi,
        "react": react,
    }


@pytest.fixture
def published(catalogue):
    """Random offers over the catalogue and published statistics (minimum 5 offers): Back-End
    × Flask in 2023 and 2024, Django in 2024, FastAPI under the threshold, React front-end."""
    rng = random.Random(2024)
    c = catalogue
    add_offers(c["back-end"], [c["flask"]], 2024, 60, rng=rng, base=7700)
    add_offers(c["back-end"], [c["flask"]], 2023, 40, rng=rng, base=7000)
    add_offers(c["back-end"], [c["django"]], 2024, 30, rng=rng, base=6500)
    add_offers(c["back-end"], [c["fastapi"]], 2024, 3, rng=rng, base=6000)  # under threshold
    add_offers(c["front-end"], [c["react"]], 2024, 25, rng=rng, base=5000)
    salary_stats_refresh(min_offers=5)
    return c


# What a dominated slice would publish if it could: no page, answer or block may show it.
DOMINATED_SALARY = 9111


@pytest.fixture
def withheld_slices(catalogue):
    """One slice per disclosure rule, under the default settings, all in 2024:

    - back-end × flask: 10 offers, one candidate holds 5 (exactly half): ``dominance``;
      every offer at $9,111, so any money figure of it would read 9,111;
    - front-end × react: 10 offers from 4 candidates: ``min_candidates``;
    - back-end × django: 9 candidates, one offer each at $4,000 to $4,800: median $4,400
      published, p10 ($4,080) and p90 ($4,720) withheld: ``tails``;
    - back-end × fastapi: 10 senior offers from 5 candidates and 4 offers without a level
      from 4 others: the slice publishes, its senior level is withheld by ``complement``.
    """
    c = catalogue
    people = iter(CandidateFactory() for _ in range(100))

    def offers(spec, tech, salaries, *, candidate=None, seniority=""):
        for salary in salaries:
            OfferFactory(
                specialization=c[spec],
                technologies=[c[tech]],
                candidate=candidate or next(people),
                salary=salary,
                seniority=seniority,
            )

    offers("back-end", "flask", [DOMINATED_SALARY] * 5, candidate=next(people))
    offers("back-end", "flask", [DOMINATED_SALARY] * 5, seniority="senior")
    for i in range(4):
        offers(
            "front-end", "react", [5000 + 100 * j for j in range(2 + i % 2)], candidate=next(people)
        )
    offers("back-end", "django", range(4000, 4801, 100))
    for person in [next(people) for _ in range(5)]:
        offers("back-end", "fastapi", [6000, 6200], candidate=person, seniority="senior")
    offers("back-end", "fastapi", [5000, 5500, 7000, 7500])
    salary_stats_refresh()
    return c


# --- Pages: the tree the migrations create, and articles in it ---


@pytest.fixture
def home():
    return HomePage.objects.get()


@pytest.fixture
def index():
    return ArticleIndexPage.objects.get(slug="articles")


@pytest.fixture
def make_article(index):
    """Publish an article under the Articles section; ``body`` in StreamField's stored form."""

    def make(body=(), *, title=None, tags=(), publish=True, **fields):
        if title is not None:
            fields["title"] = title
        return ArticlePageFactory(
            parent=index, body=list(body), tags=list(tags), live=publish, **fields
        )

    return make


@pytest.fixture
def image(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (30, 90, 160)).save(buffer, "PNG")
    return Image.objects.create(
        title="Office", file=ImageFile(buffer, name="office.png"), description="An office"
    )
