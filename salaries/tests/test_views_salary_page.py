"""The salary page of a slice over HTTP: what a visitor sees and what search engines read;
figures checked against the engine's own published rows."""

import csv
import io
import json
import re

import pytest

from portal.tests.support import text_of
from salaries.charts import fold_histogram
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, TechnologyFactory
from salaries.selectors import salary_stat_get
from salaries.topics import TopicArticle, _finders, register_topic_article_finder

pytestmark = pytest.mark.django_db

SALARY_PAGE = "/salaries/back-end/flask/2024/"


def money(value) -> str:
    return f"${value:,}"


# --- The salary page ---


def test_salary_page_shows_the_engines_figures_as_a_visitor_reads_them(client, published):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    response = client.get(SALARY_PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    title = "Back-End Web Developer with Flask Salary in 2024"
    assert f"<title>{title} · DevSalaries</title>" in html
    assert re.search(rf"<h1>\s*{title}\s*</h1>", html)
    text = text_of(response)
    assert f"Total offers i What is this? {stat.offers:,}" in text
    assert f"Median salary expectation i What is this? {money(stat.median)}" in text
    assert f"Proposals i What is this? {stat.candidates:,}" in text
    for label, value in [
        ("10th percentile", stat.p10),
        ("25th percentile", stat.p25),
        ("Median", stat.median),
        ("75th percentile", stat.p75),
        ("90th percentile", stat.p90),
        ("Mean", stat.mean),
    ]:
        assert f"{label} {money(value)}" in text
    assert "How the figures are computed" in text
    assert "at least 5 offers" in text or "from 5 offers up" in text


def test_histogram_is_an_svg_with_one_bar_per_band_and_a_full_data_table(client, published):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    html = client.get(SALARY_PAGE).content.decode()
    svg = re.search(r'<svg class="chart chart--bars".*?</svg>', html, flags=re.S).group(0)
    shown = fold_histogram(stat.histogram)
    assert svg.count('class="chart__bar"') == len(shown)
    assert '<title id="histogram-title">' in svg and '<desc id="histogram-desc">' in svg
    assert 'role="img"' in svg and 'aria-labelledby="histogram-title histogram-desc"' in svg
    for band in shown:
        assert f">{band['label']}</text>" in svg
    # The median's band is highlighted and the median named in the chart.
    median_band = next(b for b in shown if b["from"] <= stat.median < b["to"])
    highlighted = re.search(r'chart__row--highlight">.*?chart__label[^>]*>([^<]+)<', svg, re.S)
    assert highlighted.group(1) == median_band["label"]
    assert f"median {money(stat.median)}" in svg
    # The text alternative lists every band, folded or not, with its count.
    table = re.search(r"<caption>Offers per \$500 salary band.*?</table>", html, re.S).group(0)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>.*?<td>([\d,]+)</td></tr>', table)
    assert rows == [(b["label"], f"{b['offers']:,}") for b in stat.histogram]


def test_trend_seniority_and_related_sections(client, published):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    before = salary_stat_get(specialization="back-end", technology="flask", year=2023)
    django = salary_stat_get(specialization="back-end", technology="django", year=2024)
    response = client.get(SALARY_PAGE)
    text = text_of(response)
    html = response.content.decode()
    # Trend: both years plotted, with the change between them.
    trend = re.search(r'<svg class="chart chart--trend".*?</svg>', html, re.S).group(0)
    assert trend.count("<circle") == 2
    assert f"2023 {before.offers} {money(before.median)}" in text
    assert f"2024 {stat.offers} {money(stat.median)}" in text
    # Seniority: each level present, small groups said to be too small.
    for level, figures in stat.by_seniority.items():
        row = re.search(rf"{level.title()} {figures['offers']} {figures['candidates']} (\S+)", text)
        assert row, level
        if figures["median"] is None:
            assert row.group(1) == "not", "not enough data to publish"
        else:
            assert row.group(1) == money(figures["median"])
    # Related: the editor's related technologies, linked, with the difference in median.
    delta = django.median - stat.median
    sign = "+" if delta > 0 else "−"
    assert f"Django {django.offers} {money(django.median)} {sign}{money(abs(delta))}" in text
    assert 'href="/salaries/back-end/django/2024/"' in html
    assert "FastAPI 3 not enough data to publish (fewer than 5 offers)" in text


def test_year_switcher_lists_the_years_with_data(client, published):
    html = client.get(SALARY_PAGE).content.decode()
    nav = re.search(r'<nav class="year-switcher".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', nav) == [
        "/salaries/back-end/flask/2023/",
        "/salaries/back-end/flask/2024/",
    ]
    assert 'aria-current="page">2024<' in nav


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/salaries/all/flask/2024/", "Flask Developer Salary in 2024"),
        ("/salaries/back-end/all/2024/", "Back-End Web Developer Salary in 2024"),
        ("/salaries/all/all/2024/", "Software Developer Salary in 2024"),
        ("/salaries/front-end/react/2024/", "Front-End Developer with React Salary in 2024"),
    ],
)
def test_roll_ups_read_naturally(client, published, path, title):
    response = client.get(path)
    assert response.status_code == 200
    assert re.search(rf"<h1>\s*{title}\s*</h1>", response.content.decode())


def test_roll_up_figures_cover_every_offer_of_the_year(client, published):
    stat = salary_stat_get(specialization="all", technology="all", year=2024)
    assert stat.offers == 60 + 30 + 3 + 25
    assert f"Total offers i What is this? {stat.offers}" in text_of(
        client.get("/salaries/all/all/2024/")
    )


def test_thin_slice_shows_counts_and_says_there_is_not_enough_data(client, published):
    response = client.get("/salaries/back-end/fastapi/2024/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Not enough data to publish 3 offers from" in text
    assert "Total offers i What is this? 3" in text
    assert "Median salary expectation i What is this? Not enough data to publish" in text
    assert "Fewer than 5 offers" in text
    html = response.content.decode()
    assert "chart--bars" not in html and "application/ld+json" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert not re.search(r"\$\d", text.split("How the figures are computed")[0])


def test_json_ld_describes_the_salary_distribution(client, published):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    html = client.get(SALARY_PAGE).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Occupation"
    assert data["name"] == "Back-End Web Developer with Flask"
    distribution = data["estimatedSalary"][0]
    assert distribution["@type"] == "MonetaryAmountDistribution"
    assert (distribution["currency"], distribution["duration"]) == ("USD", "P1M")
    assert [
        distribution[k] for k in ("percentile10", "percentile25", "median", "percentile75")
    ] == [stat.p10, stat.p25, stat.median, stat.p75]
    assert distribution["percentile90"] == stat.p90
    assert data["sampleSize"] == stat.offers


def test_meta_canonical_open_graph_and_share_links(client, published):
    html = client.get(SALARY_PAGE).content.decode()
    url = "http://testserver/salaries/back-end/flask/2024/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Back-End Web Developer with Flask Salary' in html
    description = re.search(r'<meta name="description" content="([^"]+)"', html).group(1)
    assert "median of $" in description
    assert "linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver%2Fsalaries" in html
    assert "mailto:?subject=" in html and "Copy link" in html
    # No third-party script: the only script is the site's own.
    assert re.findall(r'<script src="([^"]+)"', html) == ["/static/js/share.js"]


def test_histogram_csv_has_every_band(client, published):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    response = client.get(SALARY_PAGE + "histogram.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "back-end-flask-2024-histogram.csv" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "from,to,label,offers"
    assert lines[1:] == [
        f"{b['from']},{b['to']},{b['label']},{b['offers']}" for b in stat.histogram
    ]
    assert client.get("/salaries/back-end/fastapi/2024/histogram.csv").status_code == 404


def test_histogram_csv_of_a_hostile_named_slice_is_inert(client, catalogue):
    evil = TechnologyFactory(slug="-cmd", name="=cmd|' /C calc'!A0")
    for salary in (4000, 5000, 6000, 7000, 8000):
        OfferFactory(specialization=catalogue["back-end"], technologies=[evil], salary=salary)
    salary_stats_refresh(min_offers=5)
    response = client.get("/salaries/back-end/-cmd/2024/histogram.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["from", "to", "label", "offers"] and len(rows) > 2
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


@pytest.mark.parametrize(
    "path",
    [
        "/salaries/nope/flask/2024/",
        "/salaries/back-end/nope/2024/",
        "/salaries/front-end/flask/2024/",  # both exist, never together
        "/salaries/back-end/flask/0000/",
        "/salaries/nope/",
        "/salaries/nope/flask/",
        "/salaries/back-end/flask/2024/extra/",
    ],
)
def test_unknown_slugs_and_years_get_the_sites_404_page(client, published, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content or b"No " in response.content


def test_a_year_without_data_lists_the_years_that_have_it(client, published):
    response = client.get("/salaries/back-end/flask/2019/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No Back-End Web Developer with Flask figures for 2019" in html
    assert 'href="/salaries/back-end/flask/2023/"' in html
    assert 'href="/salaries/back-end/flask/2024/"' in html


def test_specialization_and_technology_redirects_to_the_newest_year(client, published):
    response = client.get("/salaries/back-end/flask/")
    assert response.status_code == 302
    assert response["Location"] == SALARY_PAGE
    assert client.get("/salaries/all/all/")["Location"] == "/salaries/all/all/2024/"


def test_mixed_case_slugs_move_to_the_canonical_address(client, published):
    response = client.get("/salaries/Back-End/Flask/2024/")
    assert response.status_code == 301
    assert response["Location"] == SALARY_PAGE


def test_an_article_about_the_topic_appears_below_the_figures(client, published):
    def finder(specialization, technology):
        if specialization and technology and technology.slug == "flask":
            return TopicArticle(title="What a Flask developer does", url="/articles/flask/")
        return None

    register_topic_article_finder(finder)
    try:
        html = client.get(SALARY_PAGE).content.decode()
        other = client.get("/salaries/back-end/django/2024/").content.decode()
    finally:
        _finders.remove(finder)
    assert '<a href="/articles/flask/">What a Flask developer does</a>' in html
    assert html.index("What a Flask developer does") > html.index("Trend over the years")
    assert "What a Flask developer does" not in other
