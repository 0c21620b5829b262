"""Writes of the newsletter: what the public pages, the admin and the statistics hook call.

Mail never leaves inside a web request: subscriptions, tests and sends go to the
background worker (``articles.newsletter.tasks``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Subscriber
from articles.newsletter import tasks
from articles.newsletter.models import NewsletterIssue, NewsletterSend
from articles.newsletter.rendering import (
    issue_message,
    issue_render,
    preview_unsubscribe_url,
    site_url,
)
from salaries.models import StatsRun, Technology

UPDATED_SUBJECT = "Salary figures updated"


def subscription_request(*, email: str, topics: Iterable[Technology]) -> None:
    """Queue a subscription: the request does the same work whether or not the address is
    known (one queued task), so its answer and its timing tell nothing."""
    tasks.subscription_start.enqueue(
        email=email.strip().casefold(), topics=sorted(topic.slug for topic in topics)
    )


def subscriber_subscribe(*, email: str, topic_slugs: list[str]) -> Subscriber:
    """Start (or restart) a subscription and mail the confirmation link; an address that
    is already confirmed gets a note with its unsubscribe link instead. Runs in the worker."""
    email = email.strip().casefold()
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"token": secrets.token_urlsafe(32)}
        )
        if subscriber.status != Subscriber.Status.CONFIRMED:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.save(update_fields=["status"])
            subscriber.topics.set(Technology.objects.filter(slug__in=topic_slugs))
            template, subject = "newsletter/email_confirm.txt", "Confirm your subscription"
        else:
            template, subject = "newsletter/email_already.txt", "You are already subscribed"
    context = {
        "confirm_url": site_url(reverse("newsletter:confirm", args=[subscriber.token])),
        "unsubscribe_url": site_url(reverse("newsletter:unsubscribe", args=[subscriber.token])),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    send_mail(
        f"{settings.WAGTAIL_SITE_NAME}: {subject}",
        render_to_string(template, context),
        None,
        [subscriber.email],
    )
    return subscriber


def subscriber_confirm(*, subscriber: Subscriber) -> None:
    """The owner followed the mailed link: the subscription starts (again)."""
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])


def subscriber_topics_set(*, subscriber: Subscriber, topics: Iterable[Technology]) -> None:
    """The technologies the subscriber hears about; none means everything."""
    subscriber.topics.set(topics)


def subscriber_unsubscribe(*, subscriber: Subscriber) -> None:
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])


def issue_test_request(*, issue: NewsletterIssue, email: str) -> None:
    """Queue a test of the issue to ``email`` (the editor's own address)."""
    tasks.issue_test_send.enqueue(issue_id=issue.pk, email=email)


def issue_test_mail(*, issue_id: int, email: str) -> bool:
    """Mail the issue as it stands to ``email``, marked as a test; False if it is gone."""
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        return False
    mail = issue_render(issue).personal(preview_unsubscribe_url())
    message = issue_message(mail, to=email)
    message.subject = f"[Test] {message.subject}"
    message.send()
    return True


@transaction.atomic
def newsletter_send(
    *,
    issue: NewsletterIssue,
    everyone: bool,
    topics: Iterable[Technology] = (),
    at: datetime | None = None,
    user=None,
) -> NewsletterSend:
    """Send the issue now or at ``at``: to every confirmed subscriber, or to those of
    ``topics`` (and those who chose no topic). The worker starts it when it is due."""
    topics = list(topics)
    if not everyone and not topics:
        raise ValueError("choose at least one topic, or send to everyone")
    send = NewsletterSend.objects.create(
        issue=issue,
        everyone=everyone,
        scheduled_for=at or timezone.now(),
        requested_by=user,
    )
    if not everyone:
        send.topics.set(topics)
    transaction.on_commit(lambda: tasks.deliveries_queue(at=send.scheduled_for))
    return send


def newsletter_send_cancel(*, send: NewsletterSend) -> bool:
    """Cancel a send that has not started; False if it already has."""
    return bool(
        NewsletterSend.objects.filter(pk=send.pk, state=NewsletterSend.State.SCHEDULED).update(
            state=NewsletterSend.State.CANCELLED, finished_at=timezone.now()
        )
    )


def issue_prepare_after_run(*, run: StatsRun) -> NewsletterIssue:
    """The draft "Salary figures updated" for editors to review after a statistics run:
    a "what changed" block over every topic. It is never sent by itself. The previous
    automatic draft is reused while nobody has edited or sent it."""
    issue = (
        NewsletterIssue.objects.filter(prepared_for_run__isnull=False, sends__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if issue is not None and issue.revisions.exclude(user=None).exists():
        issue = None
    if issue is None:
        issue = NewsletterIssue(subject=UPDATED_SUBJECT)
    issue.prepared_for_run = run
    issue.intro = (
        f"The salary statistics were recomputed on {run.finished_at:%-d %B %Y}: "
        f"{run.slices:,} slices from {run.offers:,} offers. Here is what moved."
    )
    issue.body = [
        ("what_changed", {"heading": "What changed", "limit": 8}),
    ]
    issue.save()
    issue.save_revision(log_action=False)
    return issue
