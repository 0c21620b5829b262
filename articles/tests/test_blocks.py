"""The article blocks as readers and editors meet them: every block renders on a published
article, live blocks show the engine's current figures, and editors get clear errors."""

import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template

from articles import demo
from articles.blocks import ArticleStreamBlock, SeniorityRowBlock, YearChoiceBlock
from articles.models import ArticlePage
from portal.tests.support import text_of
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import add_offers
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
