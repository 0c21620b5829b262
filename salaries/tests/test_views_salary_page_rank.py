""" "Where do I stand" on the salary page (``salaries/views/salary_page.py``): the answer
from the published histogram, marked on the chart, explained beside it; nothing about
the figure typed is stored, logged or indexed."""

import logging
import re

import pytest
from django.apps import apps

from portal.logging import JsonFormatter
from portal.response_cache import Lookup
from portal.tests.support import text_of
from salaries.models import Offer
from salaries.selectors import salary_stat_get
from salaries.tests.test_rank import reference

pytestmark = pytest.mark.django_db

SALARY_PAGE = "/salaries/back-end/flask/2024/"


def flask_salaries(catalogue) -> list[int]:
    return list(
        Offer.objects.filter(
            specialization=catalogue["back-end"],
            technologies=catalogue["flask"],
            offered_on__year=2024,
        ).values_list("salary", flat=True)
    )


def test_every_published_page_has_the_get_form_with_its_definition(client, published):
    html = client.get(SALARY_PAGE).content.decode()
    form = re.search(r'<form class="rank__form" method="get".*?</form>', html, flags=re.S)
    assert form, "the form is on the page"
    assert 'name="salary"' in form.group(0) and 'type="number"' in form.group(0)
    assert 'action="/salaries/back-end/flask/2024/#where-do-i-stand"' in form.group(0)
    text = text_of(client.get(SALARY_PAGE))
    assert "Where do I stand?" in text
    assert "How it is worked out: from the histogram above alone" in text
    assert "% of the" not in text, "no answer until a salary is asked about"


@pytest.mark.parametrize("salary", [1, 4321, 6000, 7707, 9250, 100_000])
def test_the_answer_is_the_reference_share_and_is_marked_on_the_histogram(
    client, published, salary
):
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    expected = reference(flask_salaries(published), salary)
    response = client.get(SALARY_PAGE, {"salary": salary})
    assert response.status_code == 200
    text = text_of(response)
    assert (
        f"{expected}% of the {stat.offers:,} offers in 2024 came at a salary expectation "
        f"below ${salary:,} a month; {100 - expected}% at or above it." in text
    )
    svg = re.search(r'<svg class="chart chart--bars".*?</svg>', response.content.decode(), re.S)
    assert f"you ${salary:,}" in svg.group(0)
    assert f'value="{salary}"' in response.content.decode()


def test_the_answer_page_is_noindex_uncached_and_sets_no_cookie(client, published, monkeypatch):
    stored = []
    original = Lookup.store
    monkeypatch.setattr(
        Lookup, "store", lambda self, response, **kw: stored.append(response.content)
    )
    response = client.get(SALARY_PAGE, {"salary": 6543})
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert stored == [], "the answer never enters the response cache"
    # The plain page is cached as before, and a later answer is not the plain page.
    monkeypatch.setattr(Lookup, "store", original)
    plain = client.get(SALARY_PAGE)
    assert "noindex" not in plain.content.decode()
    assert "you $" not in plain.content.decode()
    again = client.get(SALARY_PAGE, {"salary": 6543})
    assert "you $6,543" in again.content.decode()
    assert "you $" not in client.get(SALARY_PAGE).content.decode()


def test_nothing_about_the_figure_is_written_to_the_database_or_the_logs(client, published, caplog):
    counts = {model: model.objects.count() for model in apps.get_models()}
    formatter = JsonFormatter()
    with caplog.at_level(logging.DEBUG):
        client.get(SALARY_PAGE, {"salary": 98765})
        client.get(SALARY_PAGE, {"salary": "98765x"})  # a 400, logged as a warning
        client.get("/api/v1/stats/back-end/flask/2024/rank/", {"salary": 98765})
        client.get("/api/v1/stats/back-end/flask/2024/rank/", {"salary": "987654"})
    assert caplog.records, "the 400s were logged"
    for record in caplog.records:
        assert "98765" not in formatter.format(record)
        assert "98765" not in record.getMessage()
    assert counts == {model: model.objects.count() for model in apps.get_models()}


@pytest.mark.parametrize("value", ["0", "100001", "6k", "-1", "1e4", "6000.50"])
def test_a_bad_salary_is_a_400_page_naming_it(client, published, value):
    response = client.get(SALARY_PAGE, {"salary": value})
    assert response.status_code == 400
    text = text_of(response)
    assert "salary must be a whole number of US dollars a month from 1 to 100,000" in text


def test_no_form_and_no_answer_where_the_histogram_is_withheld(client, withheld_slices):
    response = client.get(SALARY_PAGE, {"salary": 9000})
    assert response.status_code == 200
    html = response.content.decode()
    assert "rank__form" not in html
    assert "% of the" not in text_of(response)
    assert "9,111" not in html
