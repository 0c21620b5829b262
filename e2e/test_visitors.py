"""What a visitor notices, in Chromium at a phone's size (390 × 844) and a desktop's
(1366 × 900): tables that show their key figure without sideways scrolling, help that
opens on demand, charts that fill the width with targets a finger can hit, "where do I
stand" (on faceted pages too), comparison pages, the article layout, subscribing in one
step without JavaScript, and axe-core's verdict on every public page type, a faceted salary
page included (no serious or critical violation), with keyboard-only navigation reaching
every control."""

import datetime
import random
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from articles.models import ArticleIndexPage, HomePage
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import (
    CandidateFactory,
    OfferFactory,
    SpecializationFactory,
    TechnologyFactory,
)
from salaries.models import Offer
from salaries.selectors import salary_stat_get, salary_stat_narrowed
from salaries.tests.test_rank import reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
SALARY_PAGE = "/salaries/back-end/flask/2024/"
COMPARE_PAGE = "/salaries/compare/back-end/django-vs-flask/2024/"
# Narrowed by two facets, with the values salaries/facets.py spells in URLs.
FACETS = {"seniority": "senior", "remote": "true"}
FACETED_PAGE = SALARY_PAGE + "?seniority=senior&remote=true"


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser):
    size = request.param
    context = browser.new_context(
        viewport=SIZES[size],
        device_scale_factor=2 if size == "phone" else 1,
        is_mobile=size == "phone",
        has_touch=size == "phone",
    )
    page = context.new_page()
    page.size = size
    yield page
    context.close()


def _article_index() -> ArticleIndexPage:
    """The Articles section the migrations make; rebuilt when a transactional test before
    this one emptied the tables."""
    index = ArticleIndexPage.objects.filter(slug="articles").first()
    if index is not None:
        return index
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
        home = root.add_child(instance=HomePage(title="Home", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"root_page": home, "hostname": "localhost", "port": 80}
    )
    return home.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))


@pytest.fixture
def market():
    rng = random.Random(13)
    remote = random.Random(31)  # its own stream: the salaries stay those of seed 13
    back_end = SpecializationFactory(
        slug="back-end", name="Back-End", role_title="Back-End Web Developer"
    )
    SpecializationFactory(slug="front-end", name="Front-End")
    flask = TechnologyFactory(slug="flask", name="Flask")
    django = TechnologyFactory(slug="django", name="Django")
    flask.related.add(django)
    people = [CandidateFactory() for _ in range(40)]
    for year, count in ((2023, 50), (2024, 90)):
        for tech, base in ((flask, 8.9), (django, 8.85)):
            for _ in range(count):
                OfferFactory(
                    specialization=back_end,
                    technologies=[tech],
                    salary=int(rng.lognormvariate(base, 0.35)),
                    offered_on=datetime.date(year, rng.randint(1, 12), 10),
                    seniority=rng.choice(["junior", "middle", "senior", "expert"]),
                    candidate=rng.choice(people),
                    remote=remote.random() < 0.5,
                )
    salary_stats_refresh()
    plain = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    assert salary_stat_narrowed(stat=plain, facets=FACETS).published, "the faceted page shows"
    index = _article_index()
    from articles.factories import ArticlePageFactory

    article = ArticlePageFactory(
        parent=index,
        title="Flask for back-end developers",
        slug="flask-guide",
        intro="What Flask developers do and earn.",
        topic_specialization=back_end,
        topic_technology=flask,
        body=[
            {"type": "heading", "value": {"text": "What the job is", "level": "h2"}},
            {"type": "paragraph", "value": "<p>" + "Flask apps serve APIs. " * 40 + "</p>"},
            {"type": "heading", "value": {"text": "Where it is used", "level": "h2"}},
        ],
    )
    return {"article": article}


def no_sideways_scroll(page, path):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} at {page.size} is {overflow}px wider than the screen"


def test_tables_show_their_key_figure_without_sideways_scrolling(live_server, sized, market):
    width = SIZES[sized.size]["width"]
    wide = []
    for path in (SALARY_PAGE, FACETED_PAGE, "/salaries/", "/salaries/back-end/", COMPARE_PAGE):
        sized.goto(live_server.url + path)
        no_sideways_scroll(sized, path)
        for table in sized.locator("table").all():
            if not table.is_visible():
                continue
            box = table.bounding_box()
            if not (box["x"] >= 0 and box["x"] + box["width"] <= width + 1):
                wide.append((path, sized.size, box["width"]))
                continue
            for cell in table.locator("td.key-figure").all()[:5]:
                cell_box = cell.bounding_box()
                assert cell_box["x"] >= 0 and cell_box["x"] + cell_box["width"] <= width, (
                    path,
                    sized.size,
                )
                assert cell.inner_text().startswith(("$", "not enough")), cell.inner_text()
    assert not wide, wide


def test_stat_card_help_opens_on_demand_by_pointer_and_keyboard(live_server, sized, market):
    sized.goto(live_server.url + SALARY_PAGE)
    card = sized.locator(".stat-card--candidates")
    help_text = card.locator(".stat-card__help p")
    assert not help_text.is_visible(), "closed until asked for"
    card.get_by_text("What is this?").click()
    assert help_text.is_visible()
    card.get_by_text("What is this?").click()
    assert not help_text.is_visible()
    summary = sized.locator(".stat-card--median summary")
    summary.focus()
    sized.keyboard.press("Enter")
    assert sized.locator(".stat-card--median .stat-card__help p").is_visible()
    assert "offers per candidate" in card.inner_text()
    assert "per month" in sized.locator(".stat-card--median").inner_text()


def test_charts_fill_the_width_and_their_links_are_big_enough_to_tap(live_server, sized, market):
    sized.goto(live_server.url + SALARY_PAGE)
    histogram = sized.locator("svg.chart--bars").first
    panel = sized.locator("#distribution-heading").locator("xpath=..").locator("xpath=..")
    assert histogram.bounding_box()["width"] >= 0.95 * panel.bounding_box()["width"]
    targets = sized.locator("svg.chart a").all()
    assert targets, "the trend's years link to their pages"
    for target in targets:
        box = target.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, box
    # The median's line is drawn over a white halo, so it shows on the dark bar.
    assert sized.locator(".chart__marker--median .chart__halo").count() == 1


def test_where_do_i_stand_answers_and_marks_the_chart(live_server, sized, market):
    sized.goto(live_server.url + SALARY_PAGE)
    sized.get_by_label("Your monthly salary expectation, in US dollars").fill("7000")
    sized.get_by_role("button", name="Show", exact=True).click()
    sized.wait_for_url("**/2024/?salary=7000*")
    answer = sized.locator(".rank__answer")
    assert answer.is_visible()
    assert "below $7,000 a month" in answer.inner_text()
    assert sized.locator(".chart__marker--you").count() == 1
    assert sized.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    no_sideways_scroll(sized, SALARY_PAGE)


def test_where_do_i_stand_on_a_faceted_page_answers_for_the_faceted_offers(
    live_server, sized, market
):
    sized.goto(live_server.url + FACETED_PAGE)
    sized.get_by_label("Your monthly salary expectation, in US dollars").fill("7000")
    sized.get_by_role("button", name="Show", exact=True).click()
    sized.wait_for_url("**/2024/?*salary=7000*")
    query = sized.url.split("?", 1)[1].split("#")[0]
    assert sorted(query.split("&")) == ["remote=true", "salary=7000", "seniority=senior"]
    # The share is the faceted slice's, worked out here from its own offers.
    salaries = Offer.objects.filter(
        specialization__slug="back-end",
        technologies__slug="flask",
        offered_on__year=2024,
        seniority="senior",
        remote=True,
    ).values_list("salary", flat=True)
    expected = reference(list(salaries), 7000)
    plain = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    narrowed = salary_stat_narrowed(stat=plain, facets=FACETS)
    answer = sized.locator(".rank__answer").inner_text()
    assert f"{expected}% of the {narrowed.offers:,} offers in 2024" in answer, answer
    assert "below $7,000 a month" in answer
    assert sized.locator(".chart__marker--you").count() == 1
    # The form keeps the facets for the next figure typed.
    form = sized.locator("form.rank__form")
    assert form.locator('input[name="seniority"]').get_attribute("value") == "senior"
    assert form.locator('input[name="remote"]').get_attribute("value") == "true"
    no_sideways_scroll(sized, FACETED_PAGE)


def test_subscribe_in_one_step_without_javascript_then_choose_topics(
    live_server, browser, market, run_tasks, mailoutbox
):
    context = browser.new_context(
        viewport=SIZES["phone"], is_mobile=True, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    # Every page offers the form: the explorer in its footer, an article in its body (the
    # footer's then stays out of the way).
    page.goto(live_server.url + "/salaries/")
    assert page.locator("footer form.subscribe__form").is_visible()
    page.goto(live_server.url + market["article"].url)
    assert page.locator("form.subscribe__form:visible").count() == 1
    form = page.locator("main form.subscribe__form")
    form.get_by_label("Email address").fill("reader@example.com")
    form.get_by_role("button", name="Subscribe").click()  # the one click
    page.wait_for_url("**/newsletter/thanks/")
    assert page.get_by_role("heading", name="Check your inbox").is_visible()

    assert run_tasks() == 1  # the background worker mails the link
    [message] = mailoutbox
    assert message.to == ["reader@example.com"]
    confirm = re.search(r"/newsletter/confirm/[^/\s]+/", message.body).group(0)
    page.goto(live_server.url + confirm)
    assert page.get_by_role("heading", name="You are subscribed").is_visible()
    topics = page.get_by_role("group", name="Technologies")
    assert topics.get_by_label("Flask").is_checked(), "the article's technology to start with"
    topics.get_by_label("Django").check()
    page.get_by_role("button", name="Save topics").click()
    page.wait_for_url("**?saved=1*")
    assert "Saved: you will hear about Django, Flask." in page.locator("#topics").inner_text()
    page.size = "phone"
    no_sideways_scroll(page, confirm)
    context.close()


def test_comparison_page_from_a_salary_pages_related_technologies(live_server, sized, market):
    sized.goto(live_server.url + SALARY_PAGE)
    sized.locator(f'a[href="{COMPARE_PAGE}"]').first.click()
    sized.wait_for_url("**" + COMPARE_PAGE)
    assert sized.locator("h1").inner_text().startswith("Django vs. Flask")
    for name in ("compare-histogram", "compare-trend"):
        chart = sized.locator(f'svg[aria-labelledby="{name}-title {name}-desc"]')
        assert chart.is_visible()
    no_sideways_scroll(sized, COMPARE_PAGE)


def test_an_article_with_few_headings_gives_its_body_the_width(live_server, sized, market):
    sized.goto(live_server.url + market["article"].url)
    body = sized.locator(".article__body").bounding_box()
    container = sized.locator(".article").bounding_box()
    assert body["width"] >= min(container["width"], 700) * 0.95, (body, container)
    cards = sized.locator(".topic-header .stat-card").all()
    for card in cards:
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[sized.size]["width"]
    no_sideways_scroll(sized, "article")


def test_the_breadcrumb_never_starts_a_line_with_its_separator(live_server, browser, market):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(live_server.url + "/salaries/compare/back-end/django-vs-flask/2024/")
    page.goto(live_server.url + market["article"].url)
    items = page.locator(".breadcrumb li").all()
    lefts = {round(item.bounding_box()["y"]) for item in items}
    assert len(lefts) > 1, "the breadcrumb wraps at this width"
    for item in items:
        before = item.evaluate("li => getComputedStyle(li, '::before').content")
        assert before in ("none", "normal"), "no separator opens an item"
    context.close()


def test_year_chips_run_oldest_first_everywhere(live_server, page, market):
    for path in (SALARY_PAGE, "/salaries/back-end/"):
        page.goto(live_server.url + path)
        years = page.get_by_role("navigation", name="Years").get_by_role("link").all_inner_texts()
        assert years == sorted(years), path


def test_specialization_pages_are_linked_from_home_navigation_and_explorer(
    live_server, page, market
):
    page.goto(live_server.url + "/")
    assert page.locator('a[href="/salaries/back-end/"]').first.is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Roles").click()
    page.locator("#roles").get_by_role("link", name="Back-End").click()
    page.wait_for_url("**/salaries/back-end/")
    page.goto(live_server.url + "/salaries/")
    page.locator("table").get_by_role("link", name="Back-End").first.click()
    page.wait_for_url("**/salaries/back-end/")


PUBLIC_PAGES = [
    "/",
    "/salaries/",
    "/salaries/back-end/",
    SALARY_PAGE,
    SALARY_PAGE + "?salary=7000",
    FACETED_PAGE,
    FACETED_PAGE + "&salary=7000",
    COMPARE_PAGE,
    "/articles/",
    "/articles/flask-guide/",
    "/search/?q=flask",
    "/newsletter/",
    "/api/",
]


def test_axe_finds_no_serious_or_critical_violation_on_any_public_page(live_server, sized, market):
    axe = Axe()
    found = {}
    for path in PUBLIC_PAGES:
        sized.goto(live_server.url + path)
        results = axe.run(sized)
        for violation in results.response["violations"]:
            if violation["impact"] not in ("serious", "critical"):
                continue
            for node in violation["nodes"]:
                target = " ".join(node["target"])
                finding = f"{violation['id']} ({violation['impact']}): {target}"
                found.setdefault(path, []).append(finding)
    assert not found, found


# Every visible control, numbered in a data attribute (a closed <details> shows only its
# summary).
KEYBOARD_CONTROLS = """() =>
  [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, summary, textarea')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => !el.closest('details:not([open])') || el.tagName === 'SUMMARY')
  .map((el, i) => { el.dataset.kbd = i; return i; })"""


def test_keyboard_alone_reaches_every_control(live_server, sized, market):
    for path in (SALARY_PAGE, COMPARE_PAGE, "/salaries/back-end/", "/articles/flask-guide/"):
        sized.goto(live_server.url + path)
        controls = sized.evaluate(KEYBOARD_CONTROLS)
        reached = set()
        for _ in range(len(controls) * 2 + 10):
            sized.keyboard.press("Tab")
            index = sized.evaluate("document.activeElement.dataset.kbd")
            if index is not None:
                reached.add(int(index))
            if reached >= set(controls):
                break
        missing = set(controls) - reached
        assert not missing, (path, sized.size, sorted(missing)[:5])


def test_charts_keep_their_text_alternatives(live_server, page, market):
    for path in ("/", "/salaries/back-end/", SALARY_PAGE, COMPARE_PAGE, "/articles/flask-guide/"):
        page.goto(live_server.url + path)
        charts = page.locator("svg.chart").all()
        assert charts, path
        for chart in charts:
            # An image, or a figure when it holds links (an image's links would be lost).
            links = chart.locator("a").count()
            assert chart.get_attribute("role") == ("figure" if links else "img")
            title_id, desc_id = chart.get_attribute("aria-labelledby").split()
            assert page.locator(f"#{title_id}").text_content().strip()
            assert page.locator(f"#{desc_id}").text_content().strip()
