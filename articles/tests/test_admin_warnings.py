"""The editor is warned when a live salary block repeats the article's topic header."""

from html import unescape

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

from articles import demo
from articles.admin_warnings import repeated_topic_blocks
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db


def live(spec, tech, year="latest"):
    return (
        "live_salary",
        {
            "specialization": str(spec.pk) if spec else "",
            "technology": str(tech.pk) if tech else "",
            "year": year,
            "show_histogram": "on",
        },
    )


def form(c, blocks, slug="flask-guide"):
    return nested_form_data(
        {
            "title": "Flask guide",
            "slug": slug,
            "intro": "About Flask.",
            "date": "2026-11-20",
            "topic_specialization": str(c["back-end"].pk),
            "topic_technology": str(c["flask"].pk),
            "body": streamfield(blocks),
            "action-publish": "1",
        }
    )


WARNING = "shows the same figures as the article's topic header"


def test_saving_an_article_that_repeats_its_header_warns_the_editor(admin_client, published, index):
    c = published
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    response = admin_client.post(
        url,
        form(c, [live(c["back-end"], c["flask"]), live(c["back-end"], c["django"])]),
        follow=True,
    )
    assert response.status_code == 200
    text = unescape(response.content.decode())
    assert WARNING in text and "live salary block 1 of" in text
    page = ArticlePage.objects.get(slug="flask-guide")
    assert page.live, "a warning, not a refusal"
    # The newest year named explicitly repeats the header too; another year does not.
    assert repeated_topic_blocks(page) == [1]
    edit = f"/admin/pages/{page.pk}/edit/"
    response = admin_client.post(
        edit, form(c, [live(c["back-end"], c["flask"], "2024")]), follow=True
    )
    assert WARNING in unescape(response.content.decode())
    response = admin_client.post(
        edit, form(c, [live(c["back-end"], c["flask"], "2023")]), follow=True
    )
    assert WARNING not in unescape(response.content.decode())


def test_no_warning_without_a_topic_or_for_another_topic(admin_client, published, index):
    c = published
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    data = form(c, [live(c["back-end"], c["django"]), live(None, c["flask"])], slug="other")
    response = admin_client.post(url, data, follow=True)
    assert WARNING not in unescape(response.content.decode())
    assert repeated_topic_blocks(ArticlePage.objects.get(slug="other")) == []


def test_a_narrowed_block_on_the_headers_topic_is_no_repeat(published, make_article):
    c = published
    page = make_article(
        [
            demo.live_salary(c["back-end"].pk, c["flask"].pk, "latest", facets={"remote": "true"}),
            demo.live_salary(c["back-end"].pk, c["flask"].pk, "latest"),
        ],
        topic_specialization=c["back-end"],
        topic_technology=c["flask"],
    )
    assert repeated_topic_blocks(page) == [2]
