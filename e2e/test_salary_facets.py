"""A visitor narrows a salary page with the filter form and goes back, on a phone, with
and without JavaScript."""

import random

import pytest

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.selectors import salary_stat_get, salary_stat_narrowed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = "/salaries/back-end/flask/2024/"
TITLE = "Back-End Web Developer with Flask Salary in 2024"


@pytest.fixture
def flask_2024():
    rng = random.Random(12)
    back_end = SpecializationFactory(
        slug="back-end", name="Back-End", role_title="Back-End Web Developer"
    )
    flask = TechnologyFactory(slug="flask", name="Flask")
    people = [CandidateFactory() for _ in range(60)]
    for _ in range(240):
        OfferFactory(
            specialization=back_end,
            technologies=[flask],
            salary=int(rng.lognormvariate(8.9, 0.35)),
            seniority=rng.choice(["junior", "middle", "senior", "expert"]),
            english_level=rng.choice(["intermediate", "upper-intermediate", "advanced"]),
            remote=rng.random() < 0.5,
            country=rng.choice(["UA", "UA", "PL", "PT"]),
            candidate=rng.choice(people),
        )
    salary_stats_refresh()
    plain = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    narrowed = salary_stat_narrowed(stat=plain, facets={"seniority": "senior", "remote": "true"})
    assert narrowed.published
    return plain, narrowed


@pytest.fixture(params=["with JavaScript", "without JavaScript"])
def phone_visitor(request, browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        java_script_enabled=request.param == "with JavaScript",
    )
    page = context.new_page()
    yield page
    context.close()


def test_a_visitor_narrows_to_senior_remote_and_back(live_server, phone_visitor, flask_2024):
    plain, narrowed = flask_2024
    page = phone_visitor
    page.goto(live_server.url + PAGE)
    assert page.locator("h1").inner_text() == TITLE

    form = page.get_by_role("group", name="Narrow the figures")
    form.get_by_label("Seniority").select_option("senior")
    form.get_by_label("Remote or office").select_option("true")
    form.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == f"{TITLE}: Senior, Remote"
    assert page.get_by_text(f"${narrowed.median:,}").first.is_visible()
    assert page.get_by_label("Seniority", exact=True).input_value() == "senior"
    no_wider = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_wider, "the form and the chips fit a phone's width"

    # One click removes one choice; the other stays.
    page.get_by_role("link", name="Seniority: Senior").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"{TITLE}: Remote"
    page.get_by_role("link", name="Remote or office: Remote").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == TITLE
    assert page.get_by_text(f"${plain.median:,}").first.is_visible()
    assert page.url == live_server.url + PAGE


def test_breakdown_charts_and_tables_fit_a_phone(live_server, browser, flask_2024):
    plain, _ = flask_2024
    OfferFactory(specialization=plain.specialization, technologies=[plain.technology], country="MT")
    salary_stats_refresh()  # Malta: one offer, its median withheld
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(live_server.url + PAGE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    for facet in ("english_level", "remote", "country"):
        section = page.locator(f'section[aria-labelledby="breakdown-{facet}-heading"]')
        chart = section.locator("svg.chart--bars")
        assert chart.get_attribute("aria-labelledby") == (
            f"breakdown-{facet}-title breakdown-{facet}-desc"
        )
        # Every text on the chart is inside it, not cut off at its edges.
        box = chart.bounding_box()
        for text in chart.locator("text").all():
            inner = text.bounding_box()
            assert inner["x"] >= box["x"] - 1, text.text_content()
            assert inner["x"] + inner["width"] <= box["x"] + box["width"] + 1, text.text_content()
        # Every row's key figure is on screen without sideways scrolling.
        for cell in section.locator("td.key-figure").all():
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
            assert cell.inner_text().strip()

    countries = page.locator('section[aria-labelledby="breakdown-country-heading"]')
    malta = countries.locator(
        "xpath=.//*[local-name()='g'][*[local-name()='a']/*[local-name()='text' and .='Malta']]"
    )
    assert malta.locator(".chart__bar").count() == 0
    assert malta.locator(".chart__value").text_content() == "not enough data to publish"
    assert "not enough data to publish" in countries.locator("tr", has_text="Malta").inner_text()
    context.close()
