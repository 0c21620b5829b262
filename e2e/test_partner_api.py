"""The partner guide and the interactive API docs, as a browser shows them."""

import pytest

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory, SpecializationFactory, TechnologyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published():
    flask = TechnologyFactory(slug="flask", name="Flask")
    back_end = SpecializationFactory(slug="back-end", name="Back End")
    for salary in (5000, 6000, 7000, 8000, 9000):
        OfferFactory(specialization=back_end, technologies=[flask], salary=salary)
    salary_stats_refresh(min_offers=5)


def test_partner_guide_reads_on_a_phone_without_javascript(live_server, browser, published):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/api/")
    assert phone.locator("h1").inner_text() == "Partner API"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.locator("#methodology").is_visible()
    assert "/api/v1/stats/back-end/flask/2024/" in phone.locator("#endpoints pre").inner_text()
    context.close()


def test_swagger_ui_and_redoc_render_without_leaving_the_site(live_server, page, published):
    outside = []

    def only_this_site(route):
        url = route.request.url.removeprefix("blob:")
        if url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_this_site)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.get_by_text("/api/v1/stats/{specialization}/{technology}/{year}/").first.wait_for()
    assert page.get_by_text("DevSalaries Partner API").first.is_visible()
    page.goto(f"{live_server.url}/api/v1/redoc/")
    page.locator("h1", has_text="DevSalaries Partner API").wait_for()
    page.get_by_text("A slice across the years").first.wait_for(state="attached")
    assert outside == [], outside
