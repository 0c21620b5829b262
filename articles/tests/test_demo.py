"""The demo articles: loaded by ``load_demo_data``, safe to load twice, the Flask guide
carries every section of the reference page with live figures, and no article contradicts
itself (one year throughout, no live block twice, editorial ranges the market agrees with)."""

import re
from collections import defaultdict
from decimal import Decimal
from html import unescape
from io import StringIO
from math import floor

import numpy as np
import pytest
from django.core.management import call_command

from articles.blocks import topic_stat
from articles.demo import ARTICLES
from articles.models import ArticlePage
from salaries.demo import YEARS, demo_offers

FLASK_GUIDE = "/articles/back-end-developer-flask-salary-guide/"


@pytest.fixture
def demo_loaded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", "--offers", "0", stdout=StringIO())
        call_command("compute_salary_stats", stdout=StringIO())


@pytest.fixture
def demo_market(django_capture_on_commit_callbacks):
    """The articles over a market of several years (the reference year is not the newest)."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", "--offers", "3000", stdout=StringIO())
        call_command("compute_salary_stats", stdout=StringIO())


@pytest.mark.django_db
def test_demo_articles_are_published_once_however_often_the_loader_runs(demo_loaded):
    assert ArticlePage.objects.live().count() == len(ARTICLES) >= 3
    output = StringIO()
    call_command("load_demo_data", "--offers", "0", stdout=output)
    assert ArticlePage.objects.count() == len(ARTICLES)
    assert f"0 published, {len(ARTICLES)} already there" in output.getvalue()


@pytest.mark.django_db
def test_an_edited_demo_article_is_left_as_the_editor_has_it(demo_loaded):
    page = ArticlePage.objects.get(slug="django-developer-salary-guide")
    page.title = "Django, edited"
    page.save_revision().publish()
    call_command("load_demo_data", "--offers", "0", stdout=StringIO())
    assert ArticlePage.objects.get(pk=page.pk).title == "Django, edited"


@pytest.mark.django_db
def test_flask_guide_has_every_section_and_the_reference_figures(client, demo_loaded):
    response = client.get(FLASK_GUIDE)
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    # The live salary block for Back-End × Flask × 2024.
    assert "Back-End Web Developer with Flask Salary in 2024" in text
    assert "Total offers 571" in text and "Median salary expectation $7,707" in text
    for section in (
        "What a back-end developer does",
        "Skills the role needs",
        "Where Flask is used",
        "Alternatives to Flask",
        "Flask facts and history",
        "Salary by seniority",
        "Top technologies used with Flask",
    ):
        assert section in text, section
    for alternative in ("Django", "Express.js", "FastAPI"):
        assert re.search(rf'rel="noopener">{re.escape(alternative)}</a></h3>', html)
    assert html.count('class="code-block"') >= 8  # samples in the body, cards and the list
    for fact in (
        "April Fools",
        "0.1 · April 2010",
        "1.0 · April 2018",
        "2.0 · May 2021",
        "3.0 · September 2023",
    ):
        assert fact in text, fact
    for level in ("Junior", "Middle", "Senior", "Expert"):
        assert re.search(rf'<th scope="row">{level}</th>', html)


@pytest.mark.django_db
def test_every_demo_article_renders_with_its_live_topic_header(client, demo_loaded):
    for article in ARTICLES:
        page = ArticlePage.objects.get(slug=article.slug)
        html = client.get(page.url).content.decode()
        assert article.title in html
        assert 'class="topic-header"' in html


def live_slices(page):
    """Every slice an article shows live figures of: (what, specialization, technology,
    the year shown), the topic header first."""
    header = topic_stat(page.topic_specialization, page.topic_technology)
    found = [("topic header", page.topic_specialization, page.topic_technology, header.year)]
    for block in page.body:
        value = block.value
        if block.block_type not in ("live_salary", "seniority_table", "salary_comparison"):
            continue
        if block.block_type == "seniority_table" and not value["show_live_median"]:
            continue
        year = None if value["year"] == "latest" else int(value["year"])
        technologies = value.get("technologies") or [value["technology"]]
        for technology in technologies:
            stat = topic_stat(value["specialization"], technology, year)
            if stat is not None:
                found.append((block.block_type, value["specialization"], technology, stat.year))
    return found


@pytest.mark.django_db
def test_every_demo_article_shows_one_year_and_no_live_block_twice(client, demo_market):
    for article in ARTICLES:
        page = ArticlePage.objects.get(slug=article.slug)
        slices = live_slices(page)
        assert {year for *_, year in slices} == {YEARS[-1]}, (article.slug, slices)
        live = [
            (spec, tech, year)
            for kind, spec, tech, year in slices
            if kind in ("topic header", "live_salary")
        ]
        assert len(live) == len(set(live)), f"{article.slug} repeats a live block"
        # What a reader sees: every live title names the same year, none twice.
        html = client.get(page.url).content.decode()
        text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
        assert set(re.findall(r"Salary in (\d{4})", text)) == {str(YEARS[-1])}, article.slug
        titles = re.findall(
            r'class="(?:topic-header|live-salary)__title"><a [^>]*>([^<]+)</a>', html
        )
        assert titles and len(titles) == len(set(titles)), (article.slug, titles)


PROSE = {
    "heading": ("text",),
    "paragraph": (),
    "callout": ("title", "text"),
    "salary_comparison": ("heading",),
    "seniority_table": ("caption",),
}


def test_demo_articles_prose_names_no_year_its_live_figures_do_not_show():
    """Live figures follow the newest year; prose that named one would go stale."""
    for article in ARTICLES:
        body = article.body(lambda slug: 1, lambda slug: 1)
        pinned = {
            b["value"]["year"]
            for b in body
            if isinstance(b["value"], dict) and b["value"].get("year", "latest") != "latest"
        }
        assert not pinned, f"{article.slug} pins a live block to a year"
        prose = [
            b["value"] if not keys else " ".join(b["value"][k] for k in keys)
            for b in body
            if (keys := PROSE.get(b["type"])) is not None
        ]
        years = set(re.findall(r"\b20[0-9]{2}\b", " ".join(prose) + article.intro + article.title))
        assert not years, (article.slug, years)


def level_of(row) -> str:
    """The offer's seniority as the import format derives it."""
    if row["seniority"] or not row["experience_years"]:
        return row["seniority"]
    years = Decimal(row["experience_years"])
    return "junior" if years < 2 else "middle" if years < 5 else "senior" if years < 8 else "expert"


def test_demo_seniority_ranges_hold_the_live_medians_of_the_full_demo():
    """On the demo ``make demo`` loads, no seniority table flags a level as outside its
    editorial range: each level's median in the newest year (computed here from the
    generated offers) falls within the range the article gives."""
    offers = list(demo_offers())
    newest = max(int(row["offered_on"][:4]) for row in offers)
    checked = 0
    for article in ARTICLES:
        body = article.body(lambda slug: slug, lambda slug: slug)
        for block in body:
            if block["type"] != "seniority_table":
                continue
            value = block["value"]
            levels = defaultdict(list)
            for row in offers:
                if (
                    row["specialization"] == value["specialization"]
                    and value["technology"] in row["technologies"].split(";")
                    and row["offered_on"].startswith(f"{newest}-")
                ):
                    levels[level_of(row)].append(row["salary"])
            for row in value["rows"]:
                median = floor(np.percentile(levels[row["level"]], 50, method="linear") + 0.5)
                assert row["salary_from"] <= median <= row["salary_to"], (
                    article.slug,
                    row["level"],
                    median,
                )
                checked += 1
    assert checked == 4 * len(ARTICLES)
