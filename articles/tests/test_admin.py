"""The editors' side: pages created through the Wagtail admin forms with every block,
preview with live figures, scheduled publishing, revisions and the admin menu."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from articles.models import ArticleIndexPage, ArticlePage
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db


def list_block(values):
    return {
        "count": len(values),
        **{
            str(i): {"value": value, "deleted": "", "order": i, "id": ""}
            for i, value in enumerate(values)
        },
    }


def code_form(code="print('hi')", language="python", caption=""):
    return {"language": language, "code": code, "caption": caption}


def every_block_form(c, image):
    """Admin form data for a body with one of each block (what an editor types)."""
    spec, flask, django = str(c["back-end"].pk), str(c["flask"].pk), str(c["django"].pk)
    return streamfield(
        [
            ("heading", {"text": "What a back-end developer does", "level": "h2"}),
            ("paragraph", rich_text("<p>Back-end developers build <b>APIs</b>.</p>")),
            ("code", code_form("from flask import Flask", caption="Import")),
            (
                "alternative",
                {
                    "name": "Django",
                    "link": "https://www.djangoproject.com/",
                    "summary": rich_text("<p>Batteries included.</p>"),
                    "code": code_form("def view(request): ..."),
                    "pros": list_block(["Admin included"]),
                    "cons": list_block(["Heavier"]),
                },
            ),
            (
                "seniority_table",
                {
                    "caption": "Flask levels",
                    "rows": list_block(
                        [
                            {
                                "level": "senior",
                                "years": "5–8 years",
                                "salary_from": "6000",
                                "salary_to": "9000",
                                "responsibilities": "Designs services.",
                            }
                        ]
                    ),
                    "show_live_median": "on",
                    "specialization": spec,
                    "technology": flask,
                    "year": "2024",
                },
            ),
            (
                "related_technologies",
                {
                    "heading": "Used with Flask",
                    "items": list_block(
                        [
                            {
                                "title": "SQLAlchemy",
                                "text": rich_text("<p>The ORM.</p>"),
                                "code": code_form(""),
                            }
                        ]
                    ),
                },
            ),
            (
                "timeline",
                {
                    "heading": "History",
                    "items": list_block([{"when": "2010", "title": "Flask 0.1", "text": ""}]),
                },
            ),
            ("callout", {"tone": "tip", "title": "Tip", "text": rich_text("<p>Live.</p>")}),
            (
                "image",
                {"image": {"image": str(image.pk), "alt_text": "An office"}, "caption": "Desk"},
            ),
            (
                "table",
                json.dumps(
                    {
                        "data": [["Framework", "Since"], ["Flask", "2010"]],
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                        "table_caption": "Years",
                        "table_header_choice": "row",
                    }
                ),
            ),
            (
                "live_salary",
                {
                    "specialization": spec,
                    "technology": flask,
                    "year": "2024",
                    "show_histogram": "on",
                },
            ),
            (
                "salary_comparison",
                {
                    "heading": "Compared",
                    "specialization": spec,
                    "technologies": list_block([flask, django]),
                    "year": "latest",
                },
            ),
        ]
    )


def article_form(c, image, **extra):
    return nested_form_data(
        {
            "title": "Flask in the admin",
            "slug": "flask-in-the-admin",
            "intro": "Written in the admin.",
            "author": "Editor",
            "date": "2026-11-20",
            "tags": "Flask, Python",
            "topic_specialization": str(c["back-end"].pk),
            "topic_technology": str(c["flask"].pk),
            "body": every_block_form(c, image),
            **extra,
        }
    )


def test_an_editor_publishes_an_article_with_every_block(admin_client, published, index, image):
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {**article_form(published, image), "action-publish": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ArticlePage.objects.get(slug="flask-in-the-admin")
    assert page.live and page.get_parent().specific == index
    assert [block.block_type for block in page.body] == list(
        ArticlePage.body.field.stream_block.child_blocks
    )
    assert sorted(tag.name for tag in page.tags.all()) == ["Flask", "Python"]

    html = admin_client.get(page.url).content.decode()
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert f"${stat.median:,}" in html and "Batteries included." in html
    assert 'alt="An office"' in html and "Designs services." in html


def test_the_admin_explains_bad_block_input_and_keeps_the_rest(
    admin_client, published, index, image
):
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    data = article_form(published, image)
    data["body-10-value-year"] = "20x4"  # the live salary block's year
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="flask-in-the-admin").exists()
    html = response.content.decode()
    assert "The page could not be created due to validation errors" in html
    assert "Enter a year from 2000 to 2100" in html
    assert "Written in the admin." in html  # what the editor typed is still there


def test_an_editor_narrows_a_live_block_and_a_bad_country_is_explained_on_the_block(
    admin_client, published, index, image
):
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    data = article_form(published, image)
    data["body-10-value-facets-seniority"] = "senior"
    data["body-10-value-facets-country"] = "Ukraine"
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="flask-in-the-admin").exists()
    html = response.content.decode()
    assert "The page could not be created due to validation errors" in html
    assert "is not a valid country; use a two-letter ISO 3166-1 country code" in html

    data["body-10-value-facets-country"] = "ua"
    data["body-11-value-facets-remote"] = "true"
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ArticlePage.objects.get(slug="flask-in-the-admin")
    live, comparison = page.body[10].value, page.body[11].value
    assert dict(live["facets"]) == {
        "seniority": "senior",
        "english_level": "",
        "remote": "",
        "country": "UA",
    }
    assert comparison["facets"]["remote"] == "true"
    text = admin_client.get(page.url).content.decode()
    assert "Salary in 2024: Senior, Ukraine" in text


def test_an_editor_creates_an_articles_section(admin_client, home):
    url = f"/admin/pages/add/articles/articleindexpage/{home.pk}/"
    data = nested_form_data(
        {"title": "Guides", "slug": "guides", "intro": rich_text("<p>All guides.</p>")}
    )
    response = admin_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert ArticleIndexPage.objects.get(slug="guides").live


def test_a_second_home_page_cannot_be_added(admin_client, home):
    root = Page.objects.get(depth=1)
    response = admin_client.get(f"/admin/pages/add/articles/homepage/{root.pk}/")
    assert response.status_code in (302, 403)


def test_preview_renders_live_figures_before_anything_is_published(
    admin_client, published, index, image
):
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/preview/"
    response = admin_client.post(url, article_form(published, image))
    assert response.json() == {"is_valid": True, "is_available": True}
    preview = admin_client.get(url)
    assert preview.status_code == 200
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    html = preview.content.decode()
    assert "Flask in the admin" in html and f"${stat.median:,}" in html
    assert not ArticlePage.objects.filter(slug="flask-in-the-admin").exists()


def test_scheduled_publishing_waits_for_its_time(admin_client, published, index, image):
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    later = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    data = {**article_form(published, image, go_live_at=later), "action-publish": "1"}
    assert admin_client.post(url, data).status_code == 302
    page = ArticlePage.objects.get(slug="flask-in-the-admin")
    assert not page.live and page.go_live_at is not None
    assert admin_client.get(f"{index.url}flask-in-the-admin/").status_code == 404
    assert page.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_edits_are_kept_as_revisions(admin_client, published, index, image):
    url = f"/admin/pages/add/articles/articlepage/{index.pk}/"
    admin_client.post(url, {**article_form(published, image), "action-publish": "1"})
    page = ArticlePage.objects.get(slug="flask-in-the-admin")
    edit = f"/admin/pages/{page.pk}/edit/"
    data = article_form(published, image, title="Flask, revised")
    assert admin_client.post(edit, data).status_code == 302  # saved as a draft
    page.refresh_from_db()
    assert page.title == "Flask in the admin" and page.has_unpublished_changes
    assert page.revisions.count() == 2
    assert page.get_latest_revision_as_object().title == "Flask, revised"


def test_admin_menu_groups_what_editors_manage(admin_client):
    html = admin_client.get("/admin/").content.decode()
    menu = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    labels = menu.group(1) if menu else html
    for label in ("Pages", "Salaries", "Newsletter", "Images"):
        assert f'"{label}"' in labels, label


def test_catalogue_choosers_search_by_name(admin_client, catalogue):
    """Live blocks pick a specialization and a technology from choosers that can search:
    the catalogue has dozens of technologies, more than one page of the chooser."""
    from salaries.models import Technology

    viewset = Technology.snippet_viewset.chooser_viewset
    url = reverse(viewset.get_url_name("choose_results"))
    html = admin_client.get(url, {"q": "fla"}).content.decode()
    assert "Flask" in html and "Django" not in html
    modal = admin_client.get(reverse(viewset.get_url_name("choose")))
    assert 'name="q"' in modal.json()["html"]


def test_the_admin_login_and_header_say_the_sites_name_not_wagtail(client, admin_client):
    login = client.get("/admin/login/").content.decode()
    assert "<h1>Sign in to DevSalaries</h1>" in login
    assert "Wagtail" not in re.search(r"<title>(.*?)</title>", login, re.S)[1]
    assert "DevSalaries" in re.search(r"<title>(.*?)</title>", login, re.S)[1]
    assert "Sign in to Wagtail" not in login
    home = admin_client.get("/admin/").content.decode()
    title = re.search(r"<title>(.*?)</title>", home, re.S)[1]
    assert "DevSalaries" in title and "Wagtail" not in title
    logo = re.search(r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", home, re.S)
    assert "DevSalaries" in logo[1]
