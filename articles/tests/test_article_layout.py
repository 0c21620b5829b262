"""The article page's structure: its heading first inside <article> (the breadcrumb sits
outside it), and a table of contents column only when there is a table of contents."""

import re

import pytest

pytestmark = pytest.mark.django_db


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def test_the_article_opens_with_its_heading_and_the_breadcrumb_is_outside(client, make_article):
    article = make_article([heading("One")], title="Short piece")
    html = client.get(article.url).content.decode()
    inside = re.search(r"<article[^>]*>(.*?)</article>", html, re.S).group(1)
    assert "breadcrumb" not in inside
    assert inside.index("<h1>") < inside.index("<h2") if "<h2" in inside else "<h1>" in inside
    assert html.index('class="breadcrumb"') < html.index("<article")


def test_the_toc_column_exists_only_with_a_toc(client, make_article):
    short = make_article([heading("One"), heading("Two")], title="Two headings")
    html = client.get(short.url).content.decode()
    assert 'class="toc"' not in html
    assert 'class="article__layout"' in html  # one column: the body takes the width
    long = make_article([heading(h) for h in ("One", "Two", "Three")], title="Three headings")
    html = client.get(long.url).content.decode()
    assert 'class="toc"' in html and "article__layout--toc" in html
