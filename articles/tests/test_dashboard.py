"""The admin dashboard: the last statistics run and what moved, articles worth a re-read,
subscribers by topic and the last issue's delivery counts."""

import random

import pytest
from django.utils import timezone

from articles.dashboard import articles_to_reread, subscribers_by_topic
from articles.factories import NewsletterIssueFactory, SubscriberFactory
from articles.models import Subscriber
from articles.newsletter.delivery import deliveries_create
from articles.newsletter.models import Delivery, NewsletterSend
from portal.tests.support import text_of
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import add_offers
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db


def refresh(capture):
    with capture(execute=True):
        return salary_stats_refresh(min_offers=5).run


@pytest.fixture
def moved(published, make_article, django_capture_on_commit_callbacks):
    """Two recorded runs; Back-End × Flask 2024 gains offers at a higher salary in between;
    a Flask article published after the first run, a Django one after the second."""
    refresh(django_capture_on_commit_callbacks)
    before = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    flask_article = make_article(
        title="Flask guide",
        topic_specialization=published["back-end"],
        topic_technology=published["flask"],
    )
    add_offers(
        published["back-end"], [published["flask"]], 2024, 40, rng=random.Random(5), base=11000
    )
    run = refresh(django_capture_on_commit_callbacks)
    make_article(
        title="Django guide",
        topic_specialization=published["back-end"],
        topic_technology=published["django"],
    )
    after = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    return {"run": run, "before": before, "after": after, "article": flask_article}


def test_the_dashboard_shows_the_run_its_moves_and_the_articles_worth_a_re_read(
    admin_client, moved
):
    text = text_of(admin_client.get("/admin/"))
    run, before, after = moved["run"], moved["before"], moved["after"]
    assert "Last statistics run" in text
    assert f"{run.slices} slices from {run.offers} offers" in text
    assert "Back-End Web Developer with Flask in 2024" in text
    assert f"${before.median:,} → ${after.median:,}" in text
    assert f"{before.offers} → {after.offers}" in text

    assert "Worth a re-read" in text
    [item] = articles_to_reread()
    assert item.article.title == "Flask guide"  # the Django guide is newer than the move
    assert (item.move.median_before, item.move.median_after) == (before.median, after.median)
    assert "Flask guide" in text and "Django guide" not in text


def test_subscribers_by_topic_count_the_confirmed_only(admin_client, catalogue):
    SubscriberFactory(topics=[catalogue["flask"]])
    SubscriberFactory(topics=[catalogue["flask"], catalogue["react"]])
    SubscriberFactory()
    SubscriberFactory(topics=[catalogue["flask"]], status=Subscriber.Status.PENDING)
    SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)
    assert subscribers_by_topic() == [
        ("Everything (no topic chosen)", 1),
        ("Flask", 2),
        ("React", 1),
    ]
    text = text_of(admin_client.get("/admin/"))
    assert "Newsletter subscribers by topic" in text and "3 confirmed subscribers" in text


def test_the_last_issue_panel_counts_its_deliveries(admin_client):
    for number in range(4):
        SubscriberFactory(email=f"r{number}@example.com")
    issue = NewsletterIssueFactory(subject="May issue")
    send = NewsletterSend.objects.create(
        issue=issue, scheduled_for=timezone.now(), state=NewsletterSend.State.DONE
    )
    deliveries_create(send)
    rows = list(Delivery.objects.order_by("id"))
    Delivery.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(status="sent")
    Delivery.objects.filter(pk=rows[2].pk).update(status="bounced")
    text = text_of(admin_client.get("/admin/"))
    assert "Last newsletter issue" in text and "May issue" in text
    assert "Pending Sent Failed Bounced Skipped 1 2 0 1 0" in text


def test_an_empty_site_has_a_quiet_dashboard(admin_client):
    text = text_of(admin_client.get("/admin/"))
    assert "No statistics yet" in text and "No issue has been sent yet." in text
