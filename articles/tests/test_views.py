"""Search, feeds, sitemap, robots.txt and the headless content API."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from articles import demo
from portal.tests.support import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(make_article, catalogue):
    return [
        make_article(
            [demo.paragraph("<p>Flask keeps its core small and lets you choose.</p>")],
            title="Flask back-end guide",
            intro="Everything about Flask salaries.",
            date=datetime.date(2026, 5, 1),
            tags=["Flask"],
            author="Ada",
        ),
        make_article(
            [demo.paragraph("<p>Batteries included.</p>")],
            title="Django guide",
            intro="The admin and the ORM.",
            date=datetime.date(2026, 6, 1),
        ),
    ]


def test_search_finds_articles_by_body_and_technologies_by_name(client, articles):
    response = client.get("/search/", {"q": "core small"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Flask back-end guide" in html and "Django guide" not in html
    assert response["X-Robots-Tag"] == "noindex"
    html = client.get("/search/", {"q": "flask"}).content.decode()
    assert 'href="/salaries/technology/flask/"' in html or "/flask/" in html
    assert "Flask back-end guide" in html


def test_search_without_or_with_odd_queries_never_fails(client, articles):
    assert client.get("/search/").status_code == 200
    for query in ("", "   ", "a" * 5000, "OR AND NOT", 'flask" OR (', "c++ c# *:^"):
        assert client.get("/search/", {"q": query, "page": "x"}).status_code == 200, query
    html = client.get("/search/", {"q": "'\"<script>x</script>"}).content.decode()
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_rss_and_atom_feeds_list_articles_newest_first(client, articles):
    rss = client.get("/feeds/articles.rss")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(rss.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Django guide", "Flask back-end guide"]
    flask = items[1]
    assert flask.findtext("link") == f"http://testserver{articles[0].url}"
    assert flask.findtext("description") == "Everything about Flask salaries."
    assert flask.findtext("category") == "Flask"

    atom = client.get("/feeds/articles.atom")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(atom.content).findall("a:entry", ns)
    assert [entry.findtext("a:title", namespaces=ns) for entry in entries] == [
        "Django guide",
        "Flask back-end guide",
    ]
    assert entries[1].findtext("a:author/a:name", namespaces=ns) == "Ada"
    # RFC 4287: every entry has an <updated> date-time.
    for entry in entries:
        updated = entry.findtext("a:updated", namespaces=ns)
        assert updated and datetime.datetime.fromisoformat(updated).tzinfo is not None


def test_pages_link_the_feeds(client, articles):
    html = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in html and "/feeds/articles.rss" in html


def test_sitemap_lists_published_articles(client, articles, make_article):
    make_article(title="Draft", slug="draft-piece", publish=False)
    xml = client.get("/sitemap.xml").content.decode()
    for article in articles[:2]:
        # Under the request's origin, like the salary pages, whatever the Site record says.
        assert f"<loc>http://testserver{article.url}</loc>" in xml
    assert "draft-piece" not in xml


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    # Search and the newsletter say noindex themselves: a crawler must be let in to see it.
    assert not any(line.startswith("Disallow: /search") for line in lines)
    assert not any(line.startswith("Disallow: /newsletter") for line in lines)
    for path in ("/search/?q=flask", "/newsletter/"):
        assert 'name="robots" content="noindex' in client.get(path).content.decode()
    assert any(line.startswith("Sitemap: http") and line.endswith("/sitemap.xml") for line in lines)


def test_content_api_lists_articles_with_their_fields(client, articles):
    response = client.get(
        "/api/v2/pages/", {"type": "articles.ArticlePage", "fields": "intro,date,tags"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 2
    titles = {item["title"]: item for item in data["items"]}
    assert titles["Flask back-end guide"]["intro"] == "Everything about Flask salaries."
    assert titles["Flask back-end guide"]["tags"] == ["Flask"]
    detail = client.get(f"/api/v2/pages/{articles[0].pk}/").json()
    assert detail["body"][0]["type"] == "paragraph"
    assert "core small" in detail["body"][0]["value"]


def test_content_api_hides_drafts_and_rejects_bad_filters_cleanly(client, make_article):
    draft = make_article(title="Draft", publish=False)
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    response = client.get("/api/v2/pages/", {"type": "no.SuchType"})
    assert response.status_code == 400 and "message" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/articles/?tag=flask&tag=django",
        "/articles/?topic=flask&topic=django",
        "/articles/?page=1&page=2",
        "/search/?q=flask&q=django",
        "/newsletter/?topic=flask&topic=react",
    ],
)
def test_a_parameter_given_twice_is_a_400_naming_it(client, articles, url):
    name = url.split("?")[1].split("=")[0]
    response = client.get(url)
    assert response.status_code == 400
    assert f'The parameter "{name}" is given 2 times; give it once.' in text_of(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("offset=99999999999999999999", "offset must be a whole number from 0 to 1000000000"),
        ("offset=-1", "offset must be a whole number from 0 to 1000000000"),
        ("offset=²", "offset must be a whole number from 0 to 1000000000"),
        ("search=a&search_operator=xor", 'search_operator must be "and" or "or"'),
        ("search=a&search=b", 'The parameter "search" is given 2 times; give it once.'),
        ("limit=1&limit=2", 'The parameter "limit" is given 2 times; give it once.'),
    ],
)
def test_content_api_bad_parameters_are_a_json_400_saying_why(client, articles, query, message):
    for endpoint in ("pages", "images"):
        response = client.get(f"/api/v2/{endpoint}/?{query}")
        assert response.status_code == 400, endpoint
        assert response.json()["message"] == message


def test_content_api_offset_past_the_end_is_an_empty_page(client, articles):
    response = client.get("/api/v2/pages/?offset=1000000000&search_operator=and&search=flask")
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("first_published_at=yesterday", "first_published_at: 'yesterday' is not a valid value"),
        ("alias_of=99999999999999999999", "alias_of: '99999999999999999999' is out of range"),
        ("type=articles.ArticlePage&date=²", "date: '²' is not a valid value"),
        ("id=x", "id must be a whole number from 0 to 9223372036854775807"),
    ],
)
def test_content_api_field_filters_take_only_values_their_field_holds(
    client, articles, query, message
):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_content_api_find_by_a_malformed_id_is_a_400(client, articles):
    response = client.get("/api/v2/pages/find/?id=x")
    assert response.status_code == 400
    assert response.json()["message"].startswith("id must be a whole number")


@pytest.mark.parametrize("search", [" ", '"', "'\"<>&", 'flask"', "AND"])
def test_content_api_search_reads_words_only_and_a_blank_one_is_no_search(client, articles, search):
    response = client.get("/api/v2/pages/", {"search": search})
    assert response.status_code == 200
    found = client.get("/api/v2/pages/", {"search": 'flask"', "type": "articles.ArticlePage"})
    assert [item["title"] for item in found.json()["items"]] == ["Flask back-end guide"]
