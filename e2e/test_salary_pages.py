"""The salary page in a real browser: the chart, the year switcher, a phone's width."""

import datetime
import random

import pytest

from salaries.charts import fold_histogram
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.selectors import salary_stat_get

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def flask_pages():
    rng = random.Random(5)
    back_end = SpecializationFactory(
        slug="back-end", name="Back-End", role_title="Back-End Web Developer"
    )
    flask = TechnologyFactory(slug="flask", name="Flask")
    django = TechnologyFactory(slug="django", name="Django")
    flask.related.add(django)
    people = [CandidateFactory() for _ in range(30)]
    for year, count in ((2023, 40), (2024, 90)):
        for tech in (flask, django):
            for _ in range(count):
                OfferFactory(
                    specialization=back_end,
                    technologies=[tech],
                    salary=int(rng.lognormvariate(8.9, 0.35)),
                    offered_on=datetime.date(year, rng.randint(1, 12), 10),
                    seniority=rng.choice(["junior", "middle", "senior", "expert"]),
                    candidate=rng.choice(people),
                )
    salary_stats_refresh()
    return salary_stat_get(specialization="back-end", technology="flask", year=2024)


def test_chart_has_one_bar_per_band_and_the_year_switcher_navigates(live_server, page, flask_pages):
    stat = flask_pages
    page.goto(live_server.url + "/salaries/back-end/flask/2024/")
    assert page.locator("h1").inner_text() == "Back-End Web Developer with Flask Salary in 2024"
    chart = page.get_by_role(
        "img",
        name=(
            "Offers per $500 band of monthly salary expectation: "
            "Back-End Web Developer with Flask, 2024"
        ),
    )
    assert chart.is_visible()
    bars = chart.locator("rect.chart__bar")
    assert bars.count() == len(fold_histogram(stat.histogram))
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert max(widths) > 100, "the busiest band fills the bar area"
    assert page.get_by_text(f"${stat.median:,}").first.is_visible()

    page.get_by_role("navigation", name="Years").get_by_role("link", name="2023").click()
    page.wait_for_url("**/salaries/back-end/flask/2023/")
    assert page.locator("h1").inner_text().endswith("Salary in 2023")


def test_salary_page_fits_a_phone_without_sideways_scrolling(live_server, phone, flask_pages):
    for path in ("/salaries/back-end/flask/2024/", "/salaries/", "/salaries/back-end/"):
        phone.goto(live_server.url + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone screen"
    phone.goto(live_server.url + "/salaries/back-end/flask/2024/")
    label = phone.locator("svg.chart--bars text.chart__label").first.bounding_box()
    assert label["x"] >= 0 and label["height"] >= 10, "band labels stay readable on a phone"


def test_a_withheld_figure_reads_as_such_on_a_phone(live_server, phone, withheld_slices):
    phone.goto(live_server.url + "/salaries/back-end/flask/2024/")
    card = phone.locator(".stat-card--median")
    assert card.locator(".stat-card__value").inner_text() == "Not enough data to publish"
    assert card.locator(".stat-card__note").inner_text() == (
        "One candidate holds half or more of the offers"
    )
    assert card.is_visible()
    for path in ("/salaries/back-end/flask/2024/", "/salaries/back-end/fastapi/2024/"):
        phone.goto(live_server.url + path)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone screen"
