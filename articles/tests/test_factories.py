"""The page factories build what an editor would: pages in the tree, published or drafts."""

import pytest

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_an_article_is_published_under_the_articles_section(client, index):
    page = ArticlePageFactory(title="Flask in 2024", tags=["Flask", "Python"])
    assert page.get_parent().specific == index
    assert page.live and page.first_published_at is not None
    assert page.slug == "flask-in-2024"
    assert sorted(tag.name for tag in page.tags.all()) == ["Flask", "Python"]
    response = client.get(page.url)
    assert response.status_code == 200 and "Flask in 2024" in response.content.decode()


def test_a_draft_is_saved_but_not_served(client):
    page = ArticlePageFactory(live=False)
    assert not page.live and page.latest_revision is not None
    assert not ArticlePage.objects.live().filter(pk=page.pk).exists()


def test_a_section_sits_under_the_home_page_and_takes_articles(client, home):
    section = ArticleIndexPageFactory(title="Guides")
    assert section.get_parent().specific == home
    page = ArticlePageFactory(parent=section)
    assert client.get(page.url).status_code == 200
    assert page.url.startswith(section.url)
