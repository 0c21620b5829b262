"""Facets on the salary page: the filter form without JavaScript, the current choice and
its one-click removal, the breakdown tables, what search engines are told, and 400s."""

import random
import re

import pytest

from portal.tests.support import text_of
from salaries.engine.refresh import salary_stats_refresh
from salaries.facets import value_label
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.models import SalaryStat
from salaries.selectors import salary_stat_narrowed
from salaries.tests.test_rank import reference

pytestmark = pytest.mark.django_db

PAGE = "/salaries/back-end/flask/2024/"


@pytest.fixture
def faceted():
    rng = random.Random(7)
    spec, flask = (
        SpecializationFactory(slug="back-end"),
        TechnologyFactory(slug="flask", name="Flask"),
    )
    people = [CandidateFactory() for _ in range(40)]
    for _ in range(160):
        OfferFactory(
            specialization=spec,
            technologies=[flask],
            candidate=rng.choice(people),
            salary=rng.randint(2500, 11000),
            seniority=rng.choice(["junior", "middle", "senior", "expert"]),
            english_level=rng.choice(["intermediate", "upper-intermediate", "advanced"]),
            remote=rng.random() < 0.4,
            country=rng.choice(["UA", "UA", "PL", "DE", "PT"]),
        )
    OfferFactory(specialization=spec, technologies=[flask], candidate=people[0], country="MT")
    salary_stats_refresh()
    return SalaryStat.objects.get(technology=flask, specialization=spec)


def test_the_filter_form_is_a_get_form_with_a_select_per_facet(client, faceted):
    html = client.get(PAGE).content.decode()
    form = re.search(r'<form class="facet-form.*?</form>', html, flags=re.S).group(0)
    assert 'method="get"' in form and f'action="{PAGE}"' in form
    for name in ("seniority", "english_level", "remote", "country"):
        assert f'<select id="facet-{name}" name="{name}">' in form
    assert (
        '<option value="UA">Ukraine</option>' in form
        and '<option value="true">Remote</option>' in form
    )


def test_a_narrowed_page_says_what_it_shows_and_keeps_out_of_search_engines(client, faceted):
    response = client.get(f"{PAGE}?seniority=senior&remote=true")
    assert response.status_code == 200
    html = response.content.decode()
    title = "Back End Developer with Flask Salary in 2024: Senior, Remote"
    assert re.search(rf"<h1>\s*{title}\s*</h1>", html)
    assert f"<title>{title} · " in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert f'<link rel="canonical" href="http://testserver{PAGE}">' in html
    assert "application/ld+json" not in html
    narrowed = salary_stat_narrowed(stat=faceted, facets={"seniority": "senior", "remote": "true"})
    text = text_of(response)
    assert f"{narrowed.offers:,}" in text and f"${narrowed.median:,}" in text
    assert '<option value="senior" selected>' in html


def test_each_choice_is_removable_in_one_click(client, faceted):
    html = client.get(f"{PAGE}?seniority=senior&remote=true").content.decode()
    chips = re.search(r'<p class="facet-chips".*?</p>', html, flags=re.S).group(0)
    assert f'href="{PAGE}?remote=true"' in chips  # removes seniority
    assert f'href="{PAGE}?seniority=senior"' in chips  # removes remote
    assert f'href="{PAGE}"' in chips
    assert client.get(PAGE).content.decode().count('class="facet-chips"') == 0


def test_the_plain_page_stays_indexable(client, faceted):
    html = client.get(PAGE).content.decode()
    assert 'content="noindex"' not in html


def test_breakdown_tables_show_every_entry_as_published(client, faceted):
    response = client.get(PAGE)
    text = text_of(response)
    html = response.content.decode()
    for heading in ("By English level", "Remote or office", "Top countries"):
        assert heading in text
    ua = faceted.by_country["UA"]
    per = f"{ua['offers'] / ua['candidates']:.1f}"
    figures = f"{ua['candidates']:,} ({per} offers per candidate) ${ua['median']:,}"
    assert f"Ukraine {ua['offers']:,} {figures}" in text
    assert f'href="{PAGE}?country=UA"' in html
    malta = faceted.by_country["MT"]
    assert malta["withheld"] == "min_offers"
    withheld = "not enough data to publish (fewer than 5 offers)"
    assert f"Malta 1 1 (1.0 offers per candidate) {withheld}" in text


def test_a_combination_matching_nothing_says_so(client, faceted):
    response = client.get(f"{PAGE}?country=zz")
    assert response.status_code == 200
    text = text_of(response)
    assert "not enough data to publish" in text.lower()


@pytest.mark.parametrize(
    ("query", "words"),
    [("seniority=guru", "junior, middle, senior, expert"), ("remote=1&remote=0", "given 2 times")],
)
def test_bad_facets_are_a_400_page_saying_why(client, faceted, query, words):
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    assert words in response.content.decode()


def test_the_histogram_csv_follows_the_page_facets(client, faceted):
    response = client.get("/salaries/back-end/flask/2024/histogram.csv?remote=true")
    narrowed = salary_stat_narrowed(stat=faceted, facets={"remote": "true"})
    rows = response.content.decode().splitlines()[1:]
    assert sum(int(row.split(",")[-1]) for row in rows) == narrowed.offers


# --- The explorer with one facet ---


def test_the_explorer_lists_one_facets_entries_linking_to_narrowed_pages(client, faceted):
    response = client.get("/salaries/?country=pl&technology=flask")
    assert response.status_code == 200
    html = response.content.decode()
    entry = faceted.by_country["PL"]
    assert f'href="{PAGE}?country=PL"' in html
    text = text_of(response)
    per = f"{entry['offers'] / entry['candidates']:.1f}"
    cells = f"{entry['offers']:,} {entry['candidates']:,} ({per} offers per candidate)"
    assert f"{cells} ${entry['median']:,}" in text
    assert f"{faceted.offers:,} ${faceted.median:,}" not in text


def test_the_explorer_refuses_two_facets_pointing_to_the_salary_page(client, faceted):
    response = client.get("/salaries/?country=PL&remote=true")
    assert response.status_code == 400
    assert "one facet at a time" in response.content.decode()


def test_where_do_i_stand_on_a_narrowed_page_answers_for_the_narrowed_offers(client, faceted):
    query = "seniority=senior&remote=true"
    html = client.get(f"{PAGE}?{query}").content.decode()
    form = re.search(r'<form class="rank__form".*?</form>', html, flags=re.S).group(0)
    assert '<input type="hidden" name="seniority" value="senior">' in form
    assert '<input type="hidden" name="remote" value="true">' in form
    answer = client.get(f"{PAGE}?{query}&salary=6000")
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    narrowed = salary_stat_narrowed(stat=faceted, facets={"seniority": "senior", "remote": "true"})
    text = text_of(answer)
    expected = reference(list(narrowed_salaries(faceted)), 6000)
    assert f"{expected}% of the {narrowed.offers:,} offers in 2024" in text


def narrowed_salaries(stat):
    from salaries.models import Offer

    return Offer.objects.filter(
        specialization=stat.specialization,
        technologies=stat.technology,
        offered_on__year=stat.year,
        seniority="senior",
        remote=True,
    ).values_list("salary", flat=True)


def chart_rows(html: str, facet: str) -> dict[str, tuple[str, bool]]:
    """``label -> (value text, drawn as a bar)`` of one breakdown chart on a page."""
    svg = re.search(rf'<svg [^>]*aria-labelledby="breakdown-{facet}-title.*?</svg>', html, re.S)
    rows = {}
    for row in re.findall(r'<g class="chart__row[^"]*">(.*?)</g>', svg.group(0), re.S):
        label = re.search(r'<text class="chart__label"[^>]*>([^<]*)</text>', row).group(1)
        value = re.search(r'<text class="chart__value[^"]*"[^>]*>([^<]*)</text>', row).group(1)
        rows[label] = (value, 'class="chart__bar"' in row)
    return rows


@pytest.mark.parametrize(
    ("facet", "labels"),
    [
        ("english_level", {"intermediate": "Intermediate", "upper-intermediate":
                           "Upper-intermediate", "advanced": "Advanced"}),
        ("remote", {"true": "Remote", "false": "Office"}),
        ("country", {"UA": "Ukraine", "PL": "Poland", "DE": "Germany", "PT": "Portugal",
                     "MT": "Malta"}),
    ],
)  # fmt: skip
def test_each_breakdown_has_a_chart_whose_bars_are_the_tables_medians(
    client, faceted, facet, labels
):
    html = client.get(PAGE).content.decode()
    drawn = chart_rows(html, facet)
    entries = getattr(faceted, f"by_{facet}")
    assert set(drawn) == set(labels.values())
    for value, label in labels.items():
        median = entries[value]["median"]
        if median is None:
            assert drawn[label] == ("not enough data to publish", False)
        else:
            assert drawn[label] == (f"${median:,}", True)
    assert drawn.get("Malta", ("not enough data to publish", False))[1] is False


def test_a_narrowed_pages_charts_follow_its_narrowed_breakdowns(client, faceted):
    html = client.get(f"{PAGE}?remote=true").content.decode()
    narrowed = salary_stat_narrowed(stat=faceted, facets={"remote": "true"})
    drawn = chart_rows(html, "country")
    for country, entry in narrowed.by_country.items():
        shown = f"${entry['median']:,}" if entry["median"] is not None else None
        assert drawn[value_label("country", country)][0] == (shown or "not enough data to publish")
        assert drawn[value_label("country", country)][1] is (shown is not None)


def test_breakdown_tables_read_like_the_seniority_table_and_stack_on_a_phone(client, faceted):
    html = client.get(PAGE).content.decode()
    for facet in ("english_level", "remote", "country"):
        section = re.search(
            rf'<section class="panel breakdown" aria-labelledby="breakdown-{facet}-heading">.*?'
            r"</section>",
            html,
            re.S,
        ).group(0)
        assert '<table class="table-stack">' in section
        headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', section)
        assert headings[1:] == ["Offers", "Candidates", "Median per month", "Middle half"]
        assert "offers per candidate" in section
        assert "Proposals" not in section
