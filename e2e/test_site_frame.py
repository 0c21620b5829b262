import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_site_frame_fits_a_phone_without_sideways_scrolling(live_server, phone):
    phone.goto(live_server.url + "/")
    assert phone.locator("h1").first.is_visible()
    nav = phone.get_by_role("navigation", name="Main")
    for label in ("Salaries", "Articles", "API"):
        assert nav.get_by_role("link", name=label).is_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the phone screen"


def test_skip_link_is_first_in_tab_order_and_moves_focus_to_main(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_stylesheet_is_applied(live_server, page):
    page.goto(live_server.url + "/")
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background == "rgb(15, 76, 129)"
