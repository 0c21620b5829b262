"""The page types: where they may live, what a visitor sees on each, and how they cache."""

import datetime
import json
import re

import pytest

from articles import demo
from articles.models import ArticleIndexPage, ArticlePage, HomePage
from portal.tests.support import text_of
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


# --- Where pages may live ---


def test_page_tree_rules(home, index):
    assert HomePage.allowed_subpage_models() == [ArticleIndexPage]
    assert ArticleIndexPage.allowed_subpage_models() == [ArticlePage]
    assert ArticlePage.allowed_parent_page_models() == [ArticleIndexPage]
    assert ArticlePage.allowed_subpage_models() == []
    assert ArticleIndexPage.can_create_at(home)
    assert ArticlePage.can_create_at(index)
    assert not ArticlePage.can_create_at(home)
    assert not HomePage.can_create_at(index)
    assert not HomePage.can_create_at(home.get_parent())  # only one home page


# --- Article pages ---


def test_article_with_a_topic_opens_with_live_figures_and_links_the_salary_page(
    client, published, make_article
):
    c = published
    page = make_article(
        [demo.paragraph("<p>Body.</p>")],
        title="Flask developers",
        topic_specialization=c["back-end"],
        topic_technology=c["flask"],
    )
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    response = client.get(page.url)
    text = text_of(response)
    header = text[text.index("Back-End Web Developer with Flask Salary in 2024") :]
    assert header.startswith(
        f"Back-End Web Developer with Flask Salary in 2024 Total offers {stat.offers:,} "
        f"Median salary expectation ${stat.median:,} per month Candidates {stat.candidates:,}"
    )
    html = response.content.decode()
    assert 'href="/salaries/back-end/flask/2024/"' in html
    assert 'aria-labelledby="topic-histogram-title topic-histogram-desc"' in html


def test_topic_salary_page_shows_the_article_below_the_figures(client, published, make_article):
    c = published
    page = make_article(
        title="All about Flask pay",
        topic_specialization=c["back-end"],
        topic_technology=c["flask"],
    )
    html = client.get("/salaries/back-end/flask/2024/").content.decode()
    assert "All about Flask pay" in html and f'href="{page.url}"' in html
    assert html.index("Median salary expectation") < html.index("All about Flask pay")


def test_a_topic_whose_figures_are_withheld_says_why_and_shows_none(
    client, withheld_slices, make_article
):
    c = withheld_slices
    page = make_article(topic_specialization=c["back-end"], topic_technology=c["flask"])
    response = client.get(page.url)
    text = text_of(response)
    assert (
        "Total offers 10 Median salary expectation Not enough data to publish One candidate "
        "holds half or more of the offers Candidates 6"
    ) in text
    html = response.content.decode()
    assert "9,111" not in html and "9111" not in html
    assert "topic-histogram" not in html


def test_home_page_charts_counts_only_so_withheld_slices_leak_nothing(
    client, withheld_slices, home
):
    response = client.get(home.url)
    html = response.content.decode()
    demand = html[html.index('id="demand-heading"') :]
    demand = demand[: demand.index("</section>")]
    assert "Flask 10" in text_of(response), "offers are always published"
    assert "$" not in demand and "9,111" not in html


def test_topic_without_published_figures_says_so(client, published, make_article):
    c = published
    page = make_article(topic_specialization=c["front-end"], topic_technology=c["django"])
    assert "No published salary figures for" in text_of(client.get(page.url))


def test_article_page_carries_seo_share_links_and_json_ld(client, make_article, image):
    page = make_article(
        [demo.heading("One"), demo.heading("Two"), demo.heading("Three")],
        title="A guide",
        author="Ada",
        date=datetime.date(2026, 3, 4),
        tags=["Python"],
        search_description="A guide about things.",
        social_image=image,
    )
    response = client.get(page.url)
    html = response.content.decode()
    data = json_ld(response)
    assert data["@type"] == "Article" and data["headline"] == "A guide"
    assert data["datePublished"] == "2026-03-04"
    assert data["author"] == {"@type": "Person", "name": "Ada"}
    assert data["keywords"] == ["Python"]
    assert '<meta name="description" content="A guide about things.">' in html
    # The request's origin, not the Site record's (portal.origin).
    assert f'<link rel="canonical" href="http://testserver{page.url}">' in html
    assert "https://www.linkedin.com/sharing/share-offsite/" in html
    assert re.search(r'<meta property="og:image" content="http[^"]+fill-1200x630[^"]*">', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:type" content="article">' in html
    # Three H2 headings make a table of contents.
    assert re.findall(r'<li><a href="#(\w+)">', html) == ["one", "two", "three"]


def test_article_response_is_cacheable_by_browsers_and_proxies(client, make_article):
    page = make_article([demo.paragraph("<p>Cache me.</p>")])
    first = client.get(page.url)
    assert first.status_code == 200
    assert "Set-Cookie" not in first.headers and not first.cookies
    assert "Cookie" not in first.headers.get("Vary", "")
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert "csrfmiddlewaretoken" not in first.content.decode()
    again = client.get(page.url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_publishing_an_edit_refreshes_the_cached_article(client, make_article):
    page = make_article([demo.paragraph("<p>First words.</p>")])
    assert "First words." in client.get(page.url).content.decode()
    page.body = [demo.paragraph("<p>Second words.</p>")]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Second words." in html and "First words." not in html


def test_drafts_are_not_served_or_listed(client, make_article, index):
    draft = make_article(title="Secret draft", publish=False)
    assert client.get(f"{index.url}{draft.slug}/").status_code == 404
    assert "Secret draft" not in client.get(index.url).content.decode()


# --- The articles index and the home page ---


def test_index_lists_newest_first_and_filters_by_tag_and_topic(
    client, published, make_article, index
):
    c = published
    make_article(
        title="Old Flask piece",
        date=datetime.date(2025, 1, 1),
        tags=["Flask"],
        topic_technology=c["flask"],
    )
    make_article(title="New Django piece", date=datetime.date(2026, 1, 1), tags=["Django"])
    text = text_of(client.get(index.url))
    assert text.index("New Django piece") < text.index("Old Flask piece")
    by_tag = text_of(client.get(index.url, {"tag": "django"}))
    assert "New Django piece" in by_tag and "Old Flask piece" not in by_tag
    by_topic = text_of(client.get(index.url, {"topic": "flask"}))
    assert "Old Flask piece" in by_topic and "New Django piece" not in by_topic


def test_index_paginates_and_survives_a_bad_page_number(client, make_article, index):
    for number in range(14):
        make_article(title=f"Piece {number:02d}", date=datetime.date(2026, 1, number + 1))
    first = text_of(client.get(index.url))
    assert "Piece 13" in first and "Piece 01" not in first
    second = text_of(client.get(index.url, {"page": "2"}))
    assert "Piece 01" in second and "Piece 13" not in second
    assert client.get(index.url, {"page": "nonsense"}).status_code == 200


def test_home_page_shows_latest_articles_demand_and_the_newsletter(client, published, make_article):
    make_article(title="Fresh guide")
    response = client.get("/")
    html = response.content.decode()
    assert "Fresh guide" in html
    assert "Most demanded technologies in 2024" in html
    assert 'action="/search/"' in html
    form = re.search(r'<form class="subscribe__form".*?</form>', html, re.S).group(0)
    assert 'method="post" action="/newsletter/"' in form and 'name="email"' in form
    assert "csrfmiddlewaretoken" not in form  # one step, and the page stays cacheable
    assert "Set-Cookie" not in response.headers


def test_index_pagination_links_keep_the_filter(client, make_article, index):
    for number in range(13):
        make_article(title=f"Tagged {number}", tags=["a&b"])
    html = client.get(index.url, {"tag": "ab"}).content.decode()
    assert 'href="?tag=ab&amp;page=2"' in html
