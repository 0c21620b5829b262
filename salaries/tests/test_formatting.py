"""Money and the headline cards read the same in templates and in Python."""

import pytest
from django.template import Context, Template

from salaries.formatting import STAT_CARDS, money, stat_cards
from salaries.selectors import salary_stat_get


@pytest.mark.parametrize(
    ("value", "shown"), [(7707, "$7,707"), (0, "$0"), (100_000, "$100,000"), (None, "—")]
)
def test_the_money_filter_is_the_money_function(value, shown):
    rendered = Template("{% load salary_tags %}{{ value|money }}").render(Context({"value": value}))
    assert rendered == money(value) == shown


@pytest.mark.django_db
def test_cards_of_a_published_slice_read_its_figures(published):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    cards = {card["key"]: card for card in stat_cards(stat)}
    assert [card["label"] for card in stat_cards(stat)] == [c["label"] for c in STAT_CARDS]
    assert cards["offers"]["value"] == f"{stat.offers:,}"
    assert cards["median"]["value"] == money(stat.median) and cards["median"]["note"] == ""
    assert cards["candidates"]["value"] == f"{stat.candidates:,}"


@pytest.mark.django_db
def test_cards_of_a_withheld_slice_say_why_and_show_no_salary(published):
    stat = salary_stat_get(specialization="back-end", technology="fastapi", year=2024)
    median = next(card for card in stat_cards(stat) if card["key"] == "median")
    assert median["value"] == "Not enough data to publish"
    assert median["note"] == stat.withheld_reason != ""


@pytest.mark.django_db
def test_every_page_with_cards_shows_the_same_labels(client, published, make_article):
    """The salary page, an article's topic header and the live salary block read their
    labels from one place; only the salary page has room for the help texts."""
    flask, back_end = published["flask"], published["back-end"]
    article = make_article(
        [
            {
                "type": "live_salary",
                "value": {"specialization": back_end.pk, "technology": flask.pk, "year": "2024"},
            }
        ],
        topic_specialization=back_end,
        topic_technology=flask,
    )
    salary_page = client.get("/salaries/back-end/flask/2024/").content.decode()
    article_page = client.get(article.url).content.decode()
    for card in STAT_CARDS:
        assert f"stat-card--{card['key']}" in salary_page
        assert salary_page.count(card["label"]) >= 1
        assert card["help"] in salary_page
        assert article_page.count(f'<p class="stat-card__label">{card["label"]}') == 2
        assert card["help"] not in article_page
