"""The article blocks as readers and editors meet them: every block renders on a published
article, live blocks show the engine's current figures, and editors get clear errors."""

import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template
from wagtail.blocks import StructBlockValidationError

from articles import demo
from articles.blocks import (
    ArticleStreamBlock,
    SeniorityRowBlock,
    YearChoiceBlock,
    facets_caption,
)
from articles.models import ArticlePage
from portal.tests.support import text_of
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import CandidateFactory, OfferFactory, add_offers
from salaries.filters import MAX_YEAR, MIN_YEAR
from salaries.selectors import salary_stat_get, salary_stat_history

pytestmark = pytest.mark.django_db


def body_with_every_block(c, image):
    """One of each block, in stored form, about the ``published`` catalogue."""
    return [
        demo.heading("What a back-end developer does"),
        demo.paragraph("<p>Builds <b>APIs</b> and data models.</p>"),
        demo.code("python", "print('<hello>')", "Hello from Python"),
        demo.alternative(
            "Django",
            "https://www.djangoproject.com/",
            "<p>Batteries included.</p>",
            "python",
            "def view(request): ...",
            ["Admin included"],
            ["Heavier"],
        ),
        demo.seniority_table(
            "Back-end with Flask",
            [("middle", "2–5 years", 3000, 4000, "Owns features.")],
            c["back-end"].pk,
            c["flask"].pk,
            "2024",
        ),
        demo.related_technologies(
            "Used with Flask",
            [
                ("SQLAlchemy", "<p>The ORM.</p>", ("python", "select(Offer)")),
                ("Jinja", "<p>Templates.</p>", None),
            ],
        ),
        demo.timeline("Flask history", [("0.1 · April 2010", "First release", "Small core.")]),
        demo.callout("tip", "Good to know", "<p>Figures are live.</p>"),
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "decorative": False, "alt_text": "A quiet office"},
                "caption": "Where the code gets written",
            },
        },
        demo.table([["Framework", "Since"], ["Flask", "2010"]], "Release years"),
        demo.live_salary(c["back-end"].pk, c["flask"].pk, "2024"),
        demo.salary_comparison(
            "Flask against Django", c["back-end"].pk, [c["flask"].pk, c["django"].pk], "2024"
        ),
    ]


def test_every_block_renders_on_a_published_article(client, published, make_article, image):
    body = body_with_every_block(published, image)
    assert {block["type"] for block in body} == set(ArticleStreamBlock().child_blocks), (
        "a block type was added without a rendering test"
    )
    page = make_article(body, title="Every block")
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert '<h2 id="what-a-back-end-developer-does">What a back-end developer does</h2>' in html
    assert "Builds APIs and data models." in text
    assert 'class="highlight"' in html and "&lt;hello&gt;" in html  # Pygments, escaped
    assert "Django" in text and "Admin included" in text and "Heavier" in text
    assert "Owns features." in text and "$3,000–$4,000" in text
    assert re.search(r"<ol>\s*<li>\s*<h3>SQLAlchemy</h3>", html)
    assert "0.1 · April 2010" in text and "First release" in text
    assert 'class="callout callout--tip"' in html and "Figures are live." in text
    assert 'alt="A quiet office"' in html and "Where the code gets written" in text
    assert "Release years" in text and re.search(r"<td\s*>\s*2010\s*</td>", html)
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert f"Total offers {stat.offers:,}" in text
    assert f"Median salary expectation ${stat.median:,}" in text
    assert "Flask against Django" in text and html.count("<svg") >= 2
    # The table of contents lists the H2 headings of the body.
    assert '<a href="#flask-history">Flask history</a>' in html


@pytest.mark.parametrize("name", list(ArticleStreamBlock().child_blocks))
def test_every_block_has_a_template_icon_description_and_preview(name):
    block = ArticleStreamBlock().child_blocks[name]
    assert get_template(block.meta.template)
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert len(block.meta.description) > 15
    assert block.get_preview_value() is not None


def test_block_previews_render_in_the_admin(admin_client):
    """The block chooser's previews, with live blocks showing a placeholder without data."""
    for name, block in ArticlePage.body.field.stream_block.child_blocks.items():
        response = admin_client.get("/admin/block-preview/", {"id": block.definition_prefix})
        assert response.status_code == 200, name
    live = ArticlePage.body.field.stream_block.child_blocks["live_salary"]
    response = admin_client.get("/admin/block-preview/", {"id": live.definition_prefix})
    assert "No published salary figures yet" in response.content.decode()


def test_live_block_follows_a_statistics_recompute(
    client, published, make_article, django_capture_on_commit_callbacks
):
    c = published
    page = make_article([demo.live_salary(c["back-end"].pk, c["flask"].pk, "2024")])
    before = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    text = text_of(client.get(page.url))
    assert f"Total offers {before.offers:,}" in text
    assert f"Median salary expectation ${before.median:,}" in text

    add_offers(c["back-end"], [c["flask"]], 2024, 40, rng=random.Random(7), base=12000)
    with django_capture_on_commit_callbacks(execute=True):
        salary_stats_refresh(min_offers=5)
    after = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert after.offers == before.offers + 40 and after.median > before.median

    text = text_of(client.get(page.url))
    assert f"Total offers {after.offers:,}" in text
    assert f"Median salary expectation ${after.median:,}" in text
    assert f"${before.median:,}" not in text


def test_latest_means_the_newest_year_with_data(client, published, make_article):
    c = published
    page = make_article([demo.live_salary(c["back-end"].pk, c["flask"].pk, "latest")])
    newest = salary_stat_history(specialization="back-end", technology="flask").last()
    assert newest.year == 2024
    text = text_of(client.get(page.url))
    assert "Back-End Web Developer with Flask Salary in 2024" in text
    assert f"Total offers {newest.offers:,}" in text


def test_live_block_without_data_says_so_and_under_threshold_shows_no_salary(
    client, published, make_article
):
    c = published
    page = make_article(
        [
            demo.live_salary(c["front-end"].pk, c["flask"].pk, "2024"),
            demo.live_salary(c["back-end"].pk, c["fastapi"].pk, "2024"),
        ]
    )
    text = text_of(client.get(page.url))
    assert re.search(
        r"No published salary figures yet for Front-End[\w ]* with Flask in 2024", text
    )
    assert "Median salary expectation Not enough data to publish Fewer than 5 offers" in text
    fastapi = salary_stat_get(specialization="back-end", technology="fastapi", year=2024)
    assert f"Total offers {fastapi.offers}" in text


def test_seniority_table_flags_a_level_whose_live_median_leaves_the_range(
    client, published, make_article
):
    c = published
    live = salary_stat_get(specialization="back-end", technology="flask", year=2024).by_seniority
    senior = live["senior"]["median"]
    rows = [
        ("senior", "5–8 years", senior - 100, senior + 100, "Inside the range."),
        ("junior", "0–2 years", 1, 2, "Far below the market."),
    ]
    page = make_article(
        [demo.seniority_table("Flask", rows, c["back-end"].pk, c["flask"].pk, "2024")]
    )
    html = client.get(page.url).content.decode()
    flagged = re.findall(r'<tr class="is-flagged">\s*<th scope="row">(\w+)</th>', html)
    assert flagged == ["Junior"]
    assert f"${senior:,}" in html and f"${live['junior']['median']:,}" in html
    assert html.count("outside the range") == 1


def test_comparison_orders_the_chart_by_median_and_marks_missing_slices(
    client, published, make_article
):
    c = published
    page = make_article(
        [
            demo.salary_comparison(
                "Compared",
                c["back-end"].pk,
                [c["django"].pk, c["flask"].pk, c["react"].pk],
                "2024",
            )
        ]
    )
    html = client.get(page.url).content.decode()
    flask = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    django = salary_stat_get(specialization="back-end", technology="django", year=2024)
    section = html[html.index('class="salary-comparison"') :]
    chart = section[section.index("<svg") : section.index("</svg>")]
    first, second = sorted(
        [("Flask", flask.median), ("Django", django.median)], key=lambda r: -r[1]
    )
    assert chart.index(first[0]) < chart.index(second[0])
    assert f"${flask.median:,}" in html and f"${django.median:,}" in html
    assert "No published figures yet" in html  # React has no back-end slice


def test_live_blocks_never_carry_a_withheld_figure(client, withheld_slices, make_article):
    c = withheld_slices
    spec, flask, django, fastapi = (c[k].pk for k in ("back-end", "flask", "django", "fastapi"))
    page = make_article(
        [
            demo.live_salary(spec, flask, "2024"),
            demo.salary_comparison("Compared", spec, [flask, django], "2024"),
            demo.seniority_table(
                "Flask", [("senior", "5–8 years", 9000, 9200, "Leads.")], spec, flask, "2024"
            ),
            demo.seniority_table(
                "FastAPI", [("senior", "5–8 years", 5000, 7000, "Leads.")], spec, fastapi, "2024"
            ),
        ]
    )
    response = client.get(page.url)
    html, text = response.content.decode(), text_of(response)
    assert "9,111" not in html and "9111" not in html, "the dominated slice's salary"
    dominance = "one candidate holds half or more of the offers"
    assert (
        f"Total offers 10 Median salary expectation Not enough data to publish "
        f"{dominance.capitalize()} Candidates 6"
    ) in text
    assert (
        f"Flask 2024 10 6 (1.7 offers per candidate) not enough data to publish ({dominance})"
    ) in text
    section = html[html.index('class="salary-comparison"') :]
    chart = section[section.index("<svg") : section.index("</svg>")]
    assert "Django" in chart and "Flask" not in chart, "only published medians are charted"
    complement = "too few people outside this group (fewer than 5 other candidates)"
    assert text.count(f"$9,000–$9,200 not enough data to publish ({complement})") == 1
    assert text.count(f"$5,000–$7,000 not enough data to publish ({complement})") == 1
    assert "outside the range" not in html


def test_year_choice_accepts_a_year_or_latest_and_explains_anything_else():
    block = YearChoiceBlock()
    assert block.clean("2024") == "2024"
    assert block.clean(" Latest ") == "latest"
    for bad in ("20x4", "1999", "next"):
        with pytest.raises(ValidationError, match="Enter a year from 2000 to 2100"):
            block.clean(bad)


def test_year_choice_takes_the_years_the_explorer_and_api_take():
    block = YearChoiceBlock()
    assert block.clean(str(MIN_YEAR)) == str(MIN_YEAR)
    assert block.clean(str(MAX_YEAR)) == str(MAX_YEAR)
    for bad in (MIN_YEAR - 1, MAX_YEAR + 1):
        with pytest.raises(ValidationError, match=f"from {MIN_YEAR} to {MAX_YEAR}"):
            block.clean(str(bad))


def test_seniority_row_with_an_upside_down_range_is_refused():
    block = SeniorityRowBlock()
    value = block.to_python(
        {
            "level": "junior",
            "years": "0–2",
            "salary_from": 5000,
            "salary_to": 1000,
            "responsibilities": "x",
        }
    )
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert "below its bottom" in str(error.value.block_errors["salary_to"])


def test_code_block_escapes_markup_and_survives_an_unknown_language():
    from articles.blocks import highlight_code

    html = highlight_code("<script>alert(1)</script>", "no-such-language")
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- Facets on the live blocks ---

SENIOR_REMOTE = {"seniority": "senior", "remote": "true"}


@pytest.fixture
def faceted(catalogue):
    """Back-end × Flask and Django in 2024 with every facet field filled at random, and one
    offer from Malta (a country cell of one offer)."""
    rng = random.Random(12)
    c = catalogue
    people = [CandidateFactory() for _ in range(50)]
    for tech, count in (("flask", 200), ("django", 120)):
        for _ in range(count):
            OfferFactory(
                specialization=c["back-end"],
                technologies=[c[tech]],
                candidate=rng.choice(people),
                salary=rng.randint(2500, 11000),
                seniority=rng.choice(["junior", "middle", "senior", "expert"]),
                english_level=rng.choice(["intermediate", "upper-intermediate", "advanced"]),
                remote=rng.random() < 0.5,
                country=rng.choice(["UA", "UA", "PL", "PT"]),
            )
    OfferFactory(
        specialization=c["back-end"], technologies=[c["flask"]], candidate=people[0], country="MT"
    )
    salary_stats_refresh()
    return c


def api_cell(client, tech: str, query: str) -> dict:
    response = client.get(f"/api/v1/stats/back-end/{tech}/2024/?{query}")
    assert response.status_code == 200
    return response.json()


def live_block_html(html: str) -> str:
    return re.search(r'<section class="live-salary".*?</section>', html, re.S).group(0)


def test_a_faceted_live_block_shows_the_cell_the_api_answers(client, faceted, make_article):
    c = faceted
    page = make_article(
        [demo.live_salary(c["back-end"].pk, c["flask"].pk, "2024", facets=SENIOR_REMOTE)]
    )
    cell = api_cell(client, "flask", "seniority=senior&remote=true")
    plain = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert cell["filters"] == {"seniority": "senior", "remote": True}
    assert cell["median"] is not None and cell["offers"] < plain.offers

    response = client.get(page.url)
    text = text_of(response)
    block = live_block_html(response.content.decode())
    assert "Back-End Web Developer with Flask Salary in 2024: Senior, Remote" in text
    assert "Filtered to senior level and remote work." in text
    assert f"Total offers {cell['offers']:,}" in text
    assert f"Median salary expectation ${cell['median']:,}" in text
    assert f"Candidates {cell['candidates']:,}" in text
    assert f"Total offers {plain.offers:,}" not in text
    assert 'href="/salaries/back-end/flask/2024/?seniority=senior&amp;remote=true"' in block
    # The histogram is the cell's: its bands add up to the cell's offers.
    counts = re.findall(r'<text class="chart__value"[^>]*>([\d,]+)</text>', block)
    assert sum(int(n.replace(",", "")) for n in counts) == cell["offers"]


def test_an_unfaceted_live_block_shows_the_whole_slice(client, faceted, make_article):
    c = faceted
    page = make_article([demo.live_salary(c["back-end"].pk, c["flask"].pk, "2024")])
    plain = api_cell(client, "flask", "")
    response = client.get(page.url)
    text = text_of(response)
    block = live_block_html(response.content.decode())
    assert plain["filters"] == {}
    assert f"Total offers {plain['offers']:,}" in text
    assert f"Median salary expectation ${plain['median']:,}" in text
    assert "Filtered to" not in text
    assert "Back-End Web Developer with Flask Salary in 2024:" not in text
    assert (
        'href="/salaries/back-end/flask/2024/"' in block
        and "?" not in re.findall(r'<p class="live-salary__title"><a href="([^"]*)"', block)[0]
    )


def test_a_faceted_comparison_compares_the_cells_the_api_answers(client, faceted, make_article):
    c = faceted
    page = make_article(
        [
            demo.salary_comparison(
                "In Ukraine",
                c["back-end"].pk,
                [c["flask"].pk, c["django"].pk],
                "2024",
                facets={"country": "ua"},
            )
        ]
    )
    response = client.get(page.url)
    html, text = response.content.decode(), text_of(response)
    section = re.search(r'<section class="salary-comparison">.*?</section>', html, re.S).group(0)
    chart = section[section.index("<svg") : section.index("</svg>")]
    assert "Filtered to offers from Ukraine." in text
    assert "Median salary expectation: Back-End Web Developer, Ukraine" in chart
    for tech, name in (("flask", "Flask"), ("django", "Django")):
        cell = api_cell(client, tech, "country=UA")
        per = f"{cell['offers'] / cell['candidates']:.1f}"
        assert (
            f"{name} 2024 {cell['offers']:,} {cell['candidates']:,} ({per} offers per candidate) "
            f"${cell['median']:,} ${cell['p25']:,}–${cell['p75']:,}"
        ) in text
        assert f'href="/salaries/back-end/{tech}/2024/?country=UA"' in section
        assert f"${cell['median']:,}" in chart
    assert 'href="/salaries/back-end/flask/2024/"' not in section


def test_a_faceted_block_whose_cell_is_withheld_says_why(client, faceted, make_article):
    c = faceted
    page = make_article(
        [demo.live_salary(c["back-end"].pk, c["flask"].pk, "2024", facets={"country": "MT"})]
    )
    cell = api_cell(client, "flask", "country=MT")
    assert cell["offers"] == 1 and cell["median"] is None
    response = client.get(page.url)
    text = text_of(response)
    assert "Median salary expectation Not enough data to publish Fewer than 5 offers" in text
    assert "Total offers 1" in text
    assert "<svg" not in live_block_html(response.content.decode()), "no histogram"


def test_a_faceted_block_obeys_the_complement_rule(client, withheld_slices, make_article):
    """FastAPI's senior offers publish as a level of nothing else, but their cell and the
    slice differ by four people: the narrowed block withholds, as the API does."""
    c = withheld_slices
    page = make_article(
        [
            demo.live_salary(
                c["back-end"].pk, c["fastapi"].pk, "2024", facets={"seniority": "senior"}
            )
        ]
    )
    response = client.get("/api/v1/stats/back-end/fastapi/2024/?seniority=senior")
    assert response.json()["withheld"] == "complement"
    text = text_of(client.get(page.url))
    assert "Total offers 10" in text
    assert (
        "Median salary expectation Not enough data to publish Too few people outside this "
        "group (fewer than 5 other candidates)"
    ) in text


def test_a_faceted_block_follows_a_statistics_recompute(
    client, faceted, make_article, django_capture_on_commit_callbacks
):
    c = faceted
    page = make_article(
        [demo.live_salary(c["back-end"].pk, c["flask"].pk, "2024", facets=SENIOR_REMOTE)]
    )
    before = api_cell(client, "flask", "seniority=senior&remote=true")
    assert f"Total offers {before['offers']:,}" in text_of(client.get(page.url))

    rng = random.Random(3)
    for _ in range(12):
        OfferFactory(
            specialization=c["back-end"],
            technologies=[c["flask"]],
            candidate=CandidateFactory(),
            salary=rng.randint(15000, 16000),
            seniority="senior",
            remote=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        salary_stats_refresh()
    after = api_cell(client, "flask", "seniority=senior&remote=true")
    assert after["offers"] == before["offers"] + 12

    text = text_of(client.get(page.url))
    assert f"Total offers {after['offers']:,}" in text
    assert f"Median salary expectation ${after['median']:,}" in text


def test_the_facets_of_a_block_take_the_values_the_page_takes_and_explain_bad_ones():
    block = ArticleStreamBlock().child_blocks["live_salary"].child_blocks["facets"]
    value = block.clean(
        block.to_python({"seniority": "senior", "remote": "false", "country": " pl "})
    )
    assert dict(value) == {
        "seniority": "senior",
        "english_level": "",
        "remote": "false",
        "country": "PL",
    }
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python({"country": "Poland"}))
    message = str(raised.value.block_errors["country"])
    assert '"Poland" is not a valid country' in message
    assert "two-letter ISO 3166-1 country code" in message
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python({"seniority": "guru"}))
    assert "seniority" in raised.value.block_errors


def test_a_block_says_what_it_is_filtered_to_in_words():
    every = {
        "seniority": "senior",
        "english_level": "upper-intermediate",
        "remote": "false",
        "country": "PL",
    }
    assert facets_caption(every) == (
        "senior level, upper-intermediate English, office work and offers from Poland"
    )
    assert facets_caption({"remote": "true"}) == "remote work"
