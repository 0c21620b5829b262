"""One public origin (``portal/origin.py``): the sitemap, canonical links, og:url and
JSON-LD name pages under the origin the request came to, never a second host from the
Wagtail Site record; every page has an og:image under it."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from wagtail.models import Site

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def other_site_host():
    """The Site record names a host that is not the one visitors use."""
    Site.objects.filter(is_default_site=True).update(hostname="internal.example", port=8080)


def locations(client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    return [loc.text for loc in ET.fromstring(index.content).findall("s:url/s:loc", NS)]


def test_the_sitemap_names_one_host_and_every_kind_of_page(
    client, published, make_article, other_site_host
):
    article = make_article(title="Flask guide", slug="flask-guide")
    urls = locations(client)
    assert urls and all(url.startswith("http://testserver/") for url in urls), urls
    for path in (
        "/",
        "/articles/",
        article.url,
        "/salaries/",
        "/salaries/back-end/",
        "/salaries/all/",
        "/api/",
        "/salaries/back-end/flask/2024/",
        "/salaries/compare/back-end/django-vs-flask/2024/",
    ):
        assert f"http://testserver{path}" in urls, path
    assert len(urls) == len(set(urls))


def test_canonical_og_url_and_json_ld_use_the_request_origin(
    client, published, make_article, other_site_host
):
    article = make_article(title="Flask guide", slug="flask-guide")
    for path in ("/", "/articles/", article.url, "/salaries/", "/salaries/back-end/flask/2024/"):
        html = client.get(path).content.decode()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        og_url = re.search(r'<meta property="og:url" content="([^"]+)"', html).group(1)
        assert canonical.startswith("http://testserver/"), (path, canonical)
        assert og_url == canonical, path
        assert "internal.example" not in html, path


def page_types(published, make_article):
    article = make_article(title="Flask guide", slug="flask-guide")
    return [
        "/",
        "/articles/",
        article.url,
        "/salaries/",
        "/salaries/back-end/",
        "/salaries/back-end/flask/2024/",
        "/salaries/compare/back-end/django-vs-flask/2024/",
        "/search/?q=flask",
        "/newsletter/",
        "/api/",
    ]


def test_every_page_has_an_absolute_og_image(client, published, make_article):
    for path in page_types(published, make_article):
        html = client.get(path).content.decode()
        images = re.findall(r'<meta property="og:image" content="([^"]+)"', html)
        assert len(images) == 1, path
        assert images[0].startswith("http://testserver/static/"), path
        assert finders.find(images[0].removeprefix("http://testserver/static/")), path


def json_ld(html: str) -> dict:
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )


def test_home_explorer_and_article_index_have_structured_data(client, published, make_article):
    make_article(title="Flask guide", slug="flask-guide")
    home = json_ld(client.get("/").content.decode())
    assert home["@type"] == "WebSite" and home["url"] == "http://testserver/"
    assert home["potentialAction"]["target"] == "http://testserver/search/?q={search_term_string}"
    assert home["publisher"]["logo"]["url"] == "http://testserver/static/img/logo-512.png"
    explorer = json_ld(client.get("/salaries/").content.decode())
    assert explorer["@type"] == "Dataset"
    assert explorer["distribution"][0]["contentUrl"].startswith("http://testserver/api/v1/")
    index = json_ld(client.get("/articles/").content.decode())
    assert index["@type"] == "Blog"
    assert [post["headline"] for post in index["blogPost"]] == ["Flask guide"]


def test_an_articles_publisher_has_a_logo(client, make_article):
    article = make_article(title="Flask guide", slug="flask-guide", author="")
    data = json_ld(client.get(article.url).content.decode())
    assert data["@type"] == "Article"
    logo = data["publisher"]["logo"]
    assert logo["@type"] == "ImageObject"
    assert finders.find(logo["url"].removeprefix("http://testserver/static/"))
    assert data["mainEntityOfPage"] == f"http://testserver{article.url}"
