"""A restricted article (password, logged-in users, groups; on it or an ancestor) shows up
nowhere public: not in lists, search, feeds, the sitemap, the content API or as the
editorial article of a salary page."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from articles import demo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_a_restricted_article_is_listed_nowhere(client, admin_client, make_article, kind):
    page = make_article(
        [demo.paragraph("<p>Zebracorn salary notes.</p>")],
        title="Zebracorn private notes",
        intro="Zebracorn private intro.",
        tags=["zebracorn"],
    )
    PageViewRestriction.objects.create(page=page, restriction_type=kind, password="pw-123456")
    public = Client()
    for url in (
        "/",
        "/articles/",
        "/articles/?tag=zebracorn",
        "/search/?q=zebracorn",
        "/feeds/articles.rss",
        "/feeds/articles.atom",
        "/sitemap.xml",
        "/api/v2/pages/?search=zebracorn",
        "/api/v2/pages/?type=articles.ArticlePage&fields=intro",
    ):
        answer = public.get(url)
        assert answer.status_code == 200, url
        assert "Zebracorn" not in answer.content.decode(), url
    assert public.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    # Even after an editor has read it.
    assert admin_client.get(page.url).status_code == 200
    assert "Zebracorn" not in public.get("/articles/").content.decode()
