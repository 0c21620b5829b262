"""The public salary pages over HTTP: what a visitor sees, what search engines read, and how
the pages cache. Figures on the pages are checked against the engine's own published rows."""

import csv
import datetime
import io
import json
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.tests.support import text_of
from salaries.charts import fold_histogram
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, TechnologyFactory, add_offers
from salaries.models import SalaryStat
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


# --- The specialization page ---


def test_specialization_page_ranks_its_technologies(client, published):
    response = client.get("/salaries/back-end/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Back-End Web Developer Salaries by Technology in 2024" in html
    charts = re.findall(r'<svg class="chart chart--bars".*?</svg>', html, re.S)
    assert len(charts) == 2
    by_offers = re.findall(r'class="chart__label"[^>]*>([^<]+)<', charts[0])
    assert by_offers == ["Flask", "Django", "FastAPI"]  # 60, 30, 3 offers
    by_median = re.findall(r'class="chart__label"[^>]*>([^<]+)<', charts[1])
    medians = {
        name: salary_stat_get(specialization="back-end", technology=slug, year=2024).median
        for name, slug in (("Flask", "flask"), ("Django", "django"))
    }
    assert by_median == sorted(medians, key=lambda name: -medians[name])  # FastAPI: too few


def test_specialization_page_year_parameter(client, published):
    response = client.get("/salaries/back-end/?year=2023")
    assert response.status_code == 200
    assert "in 2023" in response.content.decode()
    for bad in ("1999", "abc", "2024x", "²", "١٢٣", "1e400", "9" * 10_000, "2024,2023"):
        bad_response = client.get("/salaries/back-end/", {"year": bad})
        assert bad_response.status_code == 400, bad
        assert "Years with data: 2024, 2023" in text_of(bad_response)


def test_specialization_page_year_given_twice_is_a_400_naming_it(client, published):
    response = client.get("/salaries/back-end/?year=2024&year=2023")
    assert response.status_code == 400
    assert 'The parameter "year" is given 2 times; give it once.' in text_of(response)


def test_all_works_as_a_specialization(client, published):
    response = client.get("/salaries/all/")
    assert response.status_code == 200
    assert "Software Developer Salaries by Technology in 2024" in response.content.decode()


# --- The explorer ---


def test_explorer_lists_the_newest_year_ordered_by_offers(client, published):
    response = client.get("/salaries/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<td><a href="(/salaries/[^"]+)">', html)
    expected = (
        SalaryStat.objects.filter(year=2024, specialization__isnull=False, technology__isnull=False)
        .order_by("-offers")
        .select_related("specialization", "technology")
    )
    assert rows == [stat.get_absolute_url() for stat in expected]
    # Change against the year before, where both years have a median.
    flask = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    before = salary_stat_get(specialization="back-end", technology="flask", year=2023)
    change = (flask.median - before.median) * 100 / before.median
    assert f"{change:+.1f}%" in html


def test_explorer_filters_and_sorts_like_the_api(client, published):
    html = client.get("/salaries/?specialization=back-end&ordering=-median").content.decode()
    rows = re.findall(r'<td><a href="/salaries/([^"]+)">', html)
    # Published medians first, highest first; the thin slice last.
    assert rows == ["back-end/flask/2024/", "back-end/django/2024/", "back-end/fastapi/2024/"] or (
        rows == ["back-end/django/2024/", "back-end/flask/2024/", "back-end/fastapi/2024/"]
    )
    medians = [
        salary_stat_get(specialization="back-end", technology=r.split("/")[1], year=2024).median
        for r in rows[:2]
    ]
    assert medians == sorted(medians, reverse=True)
    roll_ups = client.get("/salaries/?specialization=all&technology=all").content.decode()
    assert re.findall(r'<td><a href="/salaries/([^"]+)">', roll_ups) == ["all/all/2024/"]
    older = client.get("/salaries/?year=2023").content.decode()
    assert re.findall(r'<td><a href="/salaries/([^"]+)">', older) == ["back-end/flask/2023/"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("technology=nope", "Technology"),
        ("specialization=DROP%20TABLE", "Specialization"),
        ("year=abc", "Year"),
        ("year=99999", "Year"),
        ("min_offers=-1", "Minimum offers"),
        ("ordering=salary", "Ordering"),
    ],
)
def test_explorer_bad_parameters_get_a_400_naming_the_field(client, published, query, field):
    response = client.get(f"/salaries/?{query}")
    assert response.status_code == 400
    text = text_of(response)
    assert "Those filters don't work" in text
    assert f"{field}:" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ordering=median,", '"median," has an empty item'),
        ("ordering=,median", '",median" has an empty item'),
        ("ordering=median,,offers", '"median,,offers" has an empty item'),
        ("year=2024&year=2023", 'The parameter "year" is given 2 times'),
        ("technology=flask&technology=django", 'The parameter "technology" is given 2 times'),
    ],
)
def test_explorer_odd_lists_and_repeats_get_a_400_saying_why(client, published, query, message):
    response = client.get(f"/salaries/?{query}")
    assert response.status_code == 400
    assert message in text_of(response)


def test_explorer_honours_a_repeated_ordering_as_one_combined_ordering(client, published):
    combined = client.get("/salaries/?ordering=-year,offers")
    repeated = client.get("/salaries/?ordering=-year&ordering=offers")
    assert repeated.status_code == combined.status_code == 200
    rows = re.findall(r'<td><a href="/salaries/([^"]+)">', repeated.content.decode())
    assert rows == re.findall(r'<td><a href="/salaries/([^"]+)">', combined.content.decode())
    assert len(rows) > 1
    assert 'name="ordering" value="-year,offers"' in repeated.content.decode()


def test_explorer_page_given_twice_is_a_400(client, published):
    response = client.get("/salaries/?page=1&page=2")
    assert response.status_code == 400
    assert 'The parameter "page" is given 2 times' in text_of(response)


@pytest.mark.parametrize("page", ["999", "abc", "-1", "1.5"])
def test_explorer_page_parameter_never_fails(client, published, page):
    assert client.get(f"/salaries/?page={page}").status_code == 200


def test_explorer_paginates(client, catalogue):
    rng = random.Random(7)
    spec = catalogue["back-end"]
    for i in range(55):
        tech = TechnologyFactory(slug=f"t-{i:02d}", name=f"T {i:02d}")
        add_offers(spec, [tech], 2024, 1, rng=rng)
    salary_stats_refresh(min_offers=5)
    first = client.get("/salaries/").content.decode()
    assert len(re.findall(r'<td><a href="/salaries/', first)) == 50
    assert "page 1 of 2" in first
    second = client.get("/salaries/?page=2").content.decode()
    assert len(re.findall(r'<td><a href="/salaries/', second)) == 5


def test_explorer_before_any_statistics(client, db):
    response = client.get("/salaries/")
    assert response.status_code == 200
    assert "No statistics have been published yet" in text_of(response)


def test_explorer_filters_matching_nothing_say_so(client, published):
    response = client.get("/salaries/?min_offers=100000")
    assert response.status_code == 200
    assert "No figures match these filters" in text_of(response)


# --- Sitemap ---


def test_sitemap_lists_only_slices_with_money_figures(client, published):
    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/salaries/back-end/flask/2024/" in body
    assert "http://testserver/salaries/all/all/2024/" in body
    assert "/salaries/back-end/fastapi/2024/" not in body  # 3 offers
    published_count = SalaryStat.objects.filter(median__isnull=False).count()
    assert body.count("/salaries/") == published_count


# --- Disclosure control: what a withheld figure looks like to a visitor ---

DOMINATED = "9,111"  # conftest.DOMINATED_SALARY as a page would print it


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/salaries/back-end/flask/2024/", "one candidate holds half or more of the offers"),
        ("/salaries/all/flask/2024/", "one candidate holds half or more of the offers"),
        ("/salaries/front-end/react/2024/", "fewer than 5 candidates"),
    ],
)
def test_a_withheld_slice_says_not_enough_data_to_publish_and_why(
    client, withheld_slices, path, reason
):
    response = client.get(path)
    assert response.status_code == 200
    text = text_of(response)
    assert "Median salary expectation i What is this? Not enough data to publish" in text
    assert reason.capitalize() in text
    assert f"there is not enough data to publish salary figures ({reason})" in text
    assert "Not enough data to publish 10 offers from" in text, "counts stay published"
    html = response.content.decode()
    assert DOMINATED not in html and "9111" not in html
    assert "application/ld+json" not in html and "chart--bars" not in html
    assert response["X-Robots-Tag"] == "noindex"
    assert not re.search(r"\$\d", text.split("How the figures are computed")[0])


def test_a_slice_withheld_for_its_tails_shows_the_rest(client, withheld_slices):
    response = client.get("/salaries/back-end/django/2024/")
    text, html = text_of(response), response.content.decode()
    reason = "fewer than 10 candidates for the 10th and 90th percentiles"
    assert "Median salary expectation i What is this? $4,400" in text
    assert f"10th percentile not enough data to publish ({reason})" in text
    assert f"90th percentile not enough data to publish ({reason})" in text
    assert "4,080" not in html and "4,720" not in html, "p10 and p90 appear nowhere"
    assert "strip__whisker" not in html
    assert not response.has_header("X-Robots-Tag"), "published: search engines may index it"
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    distribution = json.loads(raw)["estimatedSalary"][0]
    assert distribution["median"] == 4400
    assert "percentile10" not in distribution and "percentile90" not in distribution


def test_a_level_withheld_by_the_complement_rule_says_so(client, withheld_slices):
    text = text_of(client.get("/salaries/back-end/fastapi/2024/"))
    assert (
        "Senior 10 5 not enough data to publish (too few people outside this group "
        "(fewer than 5 other candidates))"
    ) in text
    assert "Median salary expectation i What is this? $6,100" in text, "the slice publishes"


def test_the_methodology_explains_the_rules_with_the_configured_numbers(
    client, withheld_slices, settings
):
    settings.SALARY_MIN_CANDIDATES = 7
    settings.SALARY_MIN_CANDIDATES_TAILS = 12
    text = text_of(client.get("/salaries/back-end/django/2024/"))
    methodology = text.split("How the figures are computed")[1]
    assert "at least 5 offers from at least 7 different candidates" in methodology
    assert "no single candidate holds half or more of its offers" in methodology
    assert "from at least 7 candidates, so that one published figure cannot be" in methodology
    assert "The 10th and 90th percentiles need at least 12 candidates" in methodology


def test_lists_say_why_a_median_is_missing(client, withheld_slices):
    reason = "not enough data to publish (one candidate holds half or more of the offers)"
    explorer = text_of(client.get("/salaries/?year=2024&specialization=back-end"))
    assert f"Back-End Flask 10 {reason}" in explorer
    ranking = text_of(client.get("/salaries/back-end/"))
    assert f"Flask 10 6 {reason}" in ranking
    related = text_of(client.get("/salaries/back-end/django/2024/"))
    assert f"Flask 10 {reason}" in related
    for page in (explorer, ranking, related):
        assert DOMINATED not in page


def test_the_sitemap_leaves_out_every_withheld_slice_but_keeps_tails_only_ones(
    client, withheld_slices
):
    body = client.get("/sitemap.xml").content.decode()
    assert "/salaries/back-end/flask/2024/" not in body  # dominance
    assert "/salaries/all/flask/2024/" not in body
    assert "/salaries/front-end/react/2024/" not in body  # min_candidates
    assert "/salaries/back-end/django/2024/" in body  # only the tails withheld
    assert "/salaries/back-end/fastapi/2024/" in body  # only a level withheld


def test_a_withheld_histogram_has_no_csv(client, withheld_slices):
    assert client.get("/salaries/back-end/flask/2024/histogram.csv").status_code == 404
    assert client.get("/salaries/back-end/django/2024/histogram.csv").status_code == 200


# --- Speed: caching, conditional requests, query counts ---


def test_second_visit_is_served_from_the_cache_without_queries(
    client, published, django_assert_num_queries
):
    first = client.get(SALARY_PAGE)
    with django_assert_num_queries(0):
        second = client.get(SALARY_PAGE)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_conditional_requests_get_304(client, published):
    first = client.get(SALARY_PAGE)
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    not_modified = client.get(SALARY_PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert client.get(SALARY_PAGE, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_recompute_makes_cached_pages_fresh_at_once(
    client, published, django_capture_on_commit_callbacks
):
    before = client.get(SALARY_PAGE)
    flask_offers = salary_stat_get(specialization="back-end", technology="flask", year=2024).offers
    OfferFactory(
        specialization=published["back-end"],
        technologies=[published["flask"]],
        salary=50_000,
        offered_on=datetime.date(2024, 3, 3),
    )
    assert client.get(SALARY_PAGE).content == before.content  # still the published set
    with django_capture_on_commit_callbacks(execute=True):
        salary_stats_refresh(min_offers=5)
    after = client.get(SALARY_PAGE)
    assert f"Total offers i What is this? {flask_offers + 1}" in text_of(after)
    assert after["ETag"] != before["ETag"]
    assert client.get(SALARY_PAGE, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_renaming_a_technology_refreshes_cached_pages(client, published):
    client.get(SALARY_PAGE)
    flask = published["flask"]
    flask.name = "Flask (Python)"
    flask.save()
    assert "with Flask (Python) Salary" in client.get(SALARY_PAGE).content.decode()


@pytest.mark.parametrize(
    "path", [SALARY_PAGE, "/salaries/", "/salaries/back-end/", SALARY_PAGE + "histogram.csv"]
)
def test_public_pages_set_no_cookie_and_do_not_vary_on_one(client, published, path):
    for _ in range(2):  # rendered, then from the cache
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


def _queries_for(client, path) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", [SALARY_PAGE, "/salaries/", "/salaries/back-end/", "/salaries/all/all/2024/"]
)
def test_query_count_does_not_grow_with_the_data(client, published, path):
    small = _queries_for(client, path)
    assert small <= 10
    rng = random.Random(10)
    c = published
    extra = [TechnologyFactory(slug=f"extra-{i}", name=f"Extra {i}") for i in range(10)]
    c["flask"].related.add(*extra[:5])
    for tech in extra:
        add_offers(c["back-end"], [tech, c["flask"]], rng.choice([2023, 2024]), 60, rng=rng)
    add_offers(c["back-end"], [c["flask"]], 2022, 40, rng=rng)
    salary_stats_refresh(min_offers=5)
    assert _queries_for(client, path) == small
