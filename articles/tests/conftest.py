"""Fixtures for the editorial tests: the page tree the migrations create, and articles."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from articles.models import ArticleIndexPage, ArticlePage, HomePage


@pytest.fixture
def home():
    return HomePage.objects.get()


@pytest.fixture
def index():
    return ArticleIndexPage.objects.get(slug="articles")


@pytest.fixture
def make_article(index):
    """Publish an article under the Articles section; ``body`` in StreamField's stored form."""
    counter = iter(range(1, 1000))

    def make(body=(), *, title=None, tags=(), publish=True, **fields):
        number = next(counter)
        page = ArticlePage(
            title=title or f"Article {number}",
            slug=fields.pop("slug", f"article-{number}"),
            intro=fields.pop("intro", f"Intro of article {number}."),
            body=list(body),
            live=publish,
            **fields,
        )
        index.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def image(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), (30, 90, 160)).save(buffer, "PNG")
    return Image.objects.create(
        title="Office", file=ImageFile(buffer, name="office.png"), description="An office"
    )
