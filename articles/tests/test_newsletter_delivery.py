"""Sending an issue as subscribers and their mail servers meet it: the worker delivers
through a real SMTP server (aiosmtpd), one mail per recipient, with their own unsubscribe
link and the RFC 8058 headers; refusals, temporary failures and the rate are honoured."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.factories import NewsletterIssueFactory, SubscriberFactory
from articles.models import Subscriber
from articles.newsletter.delivery import deliveries_create, recipients
from articles.newsletter.models import Delivery, NewsletterSend
from articles.newsletter.services import newsletter_send
from articles.tests.smtp import free_port

pytestmark = pytest.mark.django_db


def send_and_work(run_tasks, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        send = newsletter_send(**kwargs)
    run_tasks()
    send.refresh_from_db()
    return send


def work_until_done(run_tasks, send, timeout=10.0):
    """Run the worker as deferred runs come due (retries wait a little)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run_tasks()
        send.refresh_from_db()
        if send.state == NewsletterSend.State.DONE:
            return send
        time.sleep(0.05)
    raise AssertionError(f"the send did not finish: {send.state}")


def test_a_topic_send_reaches_its_subscribers_once_each_with_their_own_unsubscribe_link(
    catalogue, smtp, run_tasks, django_capture_on_commit_callbacks
):
    flask, react = catalogue["flask"], catalogue["react"]
    fan = SubscriberFactory(email="fan@example.com", topics=[flask])
    everything = SubscriberFactory(email="all@example.com")
    SubscriberFactory(email="react@example.com", topics=[react])
    SubscriberFactory(email="pending@example.com", status=Subscriber.Status.PENDING)
    SubscriberFactory(email="gone@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    issue = NewsletterIssueFactory(subject="Flask in May", topics=[flask])

    send = send_and_work(
        run_tasks,
        django_capture_on_commit_callbacks,
        issue=issue,
        everyone=False,
        topics=[flask],
    )

    assert send.state == NewsletterSend.State.DONE
    assert sorted(mail.recipient for mail in smtp.received) == [
        "all@example.com",
        "fan@example.com",
    ]
    for subscriber in (fan, everything):
        [mail] = smtp.handler.to(subscriber.email)
        own = f"http://testserver/newsletter/unsubscribe/{subscriber.token}/"
        assert mail.message["Subject"] == "Flask in May"
        assert mail.message["List-Unsubscribe"] == f"<{own}>"
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert own in mail.part("text/plain") and own in mail.part("text/html")
        assert "Flask medians moved up." in mail.part("text/plain")
        assert "<p>Flask medians moved up.</p>" in mail.part("text/html")
    assert set(Delivery.objects.values_list("subscriber__email", "status")) == {
        ("fan@example.com", "sent"),
        ("all@example.com", "sent"),
    }


def test_sending_an_issue_again_mails_only_those_who_did_not_have_it(
    catalogue, smtp, run_tasks, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="fan@example.com", topics=[catalogue["flask"]])
    SubscriberFactory(email="react@example.com", topics=[catalogue["react"]])
    issue = NewsletterIssueFactory()
    send_and_work(
        run_tasks,
        django_capture_on_commit_callbacks,
        issue=issue,
        everyone=False,
        topics=[catalogue["flask"]],
    )
    send_and_work(run_tasks, django_capture_on_commit_callbacks, issue=issue, everyone=True)
    assert sorted(mail.recipient for mail in smtp.received) == [
        "fan@example.com",
        "react@example.com",
    ]


def test_a_hard_bounce_is_recorded_and_that_address_is_never_mailed_again(
    smtp, run_tasks, django_capture_on_commit_callbacks
):
    smtp.handler.refuse["nobody@example.com"] = 550
    SubscriberFactory(email="nobody@example.com")
    SubscriberFactory(email="reader@example.com")
    send_and_work(
        run_tasks,
        django_capture_on_commit_callbacks,
        issue=NewsletterIssueFactory(),
        everyone=True,
    )
    bounced = Delivery.objects.get(subscriber__email="nobody@example.com")
    assert bounced.status == Delivery.Status.BOUNCED and "550" in bounced.error
    assert Subscriber.objects.get(email="nobody@example.com").status == "bounced"

    del smtp.handler.refuse["nobody@example.com"]
    send_and_work(
        run_tasks,
        django_capture_on_commit_callbacks,
        issue=NewsletterIssueFactory(),
        everyone=True,
    )
    assert [mail.recipient for mail in smtp.received] == ["reader@example.com"] * 2


def test_whoever_unsubscribes_after_a_send_started_is_skipped(
    smtp, run_tasks, django_capture_on_commit_callbacks
):
    leaving = SubscriberFactory(email="leaving@example.com")
    SubscriberFactory(email="staying@example.com")
    send = NewsletterSend.objects.create(
        issue=NewsletterIssueFactory(), scheduled_for=timezone.now()
    )
    deliveries_create(send)
    send.state = NewsletterSend.State.SENDING
    send.save()
    leaving.status = Subscriber.Status.UNSUBSCRIBED
    leaving.save()
    from articles.newsletter.tasks import deliveries_queue

    deliveries_queue()
    run_tasks()
    assert [mail.recipient for mail in smtp.received] == ["staying@example.com"]
    assert Delivery.objects.get(subscriber=leaving).status == Delivery.Status.SKIPPED


def test_temporary_failures_are_retried_with_growing_pauses_then_recorded(
    smtp, settings, run_tasks, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_RETRY_SECONDS = 0.2
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    smtp.handler.defer["slow@example.com"] = 2  # 451 twice, then accepted
    smtp.handler.defer["down@example.com"] = 99  # never accepted
    SubscriberFactory(email="slow@example.com")
    SubscriberFactory(email="down@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        send = newsletter_send(issue=NewsletterIssueFactory(), everyone=True)
    started = time.monotonic()
    work_until_done(run_tasks, send)

    slow = Delivery.objects.get(subscriber__email="slow@example.com")
    assert (slow.status, slow.attempts) == (Delivery.Status.SENT, 3)
    down = Delivery.objects.get(subscriber__email="down@example.com")
    assert (down.status, down.attempts) == (Delivery.Status.FAILED, 3)
    assert "451" in down.error
    # Two pauses, 0.2 s and then 0.4 s, before the third attempt.
    assert time.monotonic() - started >= 0.6
    assert len(smtp.handler.to("slow@example.com")) == 1
    assert not smtp.handler.to("down@example.com")


def test_an_unreachable_server_pauses_the_send_and_loses_nobody(
    settings, run_tasks, django_capture_on_commit_callbacks
):
    from articles.tests.smtp import SMTPServer

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.NEWSLETTER_RETRY_SECONDS = 0.3
    for number in range(3):
        SubscriberFactory(email=f"r{number}@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        send = newsletter_send(issue=NewsletterIssueFactory(), everyone=True)
    run_tasks()  # nothing listens: one attempt, and everyone waits
    assert list(Delivery.objects.values_list("status", flat=True)) == ["pending"] * 3
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [0, 0, 1]

    server = SMTPServer(port).start()
    try:
        work_until_done(run_tasks, send)
    finally:
        server.stop()
    assert sorted(mail.recipient for mail in server.received) == [
        "r0@example.com",
        "r1@example.com",
        "r2@example.com",
    ]


def test_the_rate_setting_spaces_the_mails(
    smtp, settings, run_tasks, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_RATE_PER_MINUTE = 300  # one mail every 0.2 s
    for number in range(5):
        SubscriberFactory(email=f"r{number}@example.com")
    send_and_work(
        run_tasks,
        django_capture_on_commit_callbacks,
        issue=NewsletterIssueFactory(),
        everyone=True,
    )
    times = [mail.at for mail in smtp.received]
    assert len(times) == 5
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.18, gaps


def test_a_scheduled_send_waits_for_its_time_and_can_be_cancelled_before(
    smtp, run_tasks, django_capture_on_commit_callbacks
):
    from articles.newsletter.services import newsletter_send_cancel

    SubscriberFactory(email="reader@example.com")
    issue = NewsletterIssueFactory()
    at = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        later = newsletter_send(issue=issue, everyone=True, at=at)
        cancelled = newsletter_send(issue=NewsletterIssueFactory(), everyone=True, at=at)
    assert newsletter_send_cancel(send=cancelled)
    assert run_tasks() == 0  # the queued runs are for two hours from now
    assert not smtp.received and not Delivery.objects.exists()

    # Two hours later (moved back instead of waited for):
    NewsletterSend.objects.update(scheduled_for=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    run_tasks()
    later.refresh_from_db()
    cancelled.refresh_from_db()
    assert later.state == NewsletterSend.State.DONE
    assert cancelled.state == NewsletterSend.State.CANCELLED
    assert [mail.message["Subject"] for mail in smtp.received] == [issue.subject]
    assert not newsletter_send_cancel(send=later)


def test_recipients_of_topics_include_those_who_chose_none(catalogue):
    flask, react = catalogue["flask"], catalogue["react"]
    both = SubscriberFactory(topics=[flask, react])
    everything = SubscriberFactory()
    SubscriberFactory(topics=[react])
    send = NewsletterSend.objects.create(
        issue=NewsletterIssueFactory(), everyone=False, scheduled_for=timezone.now()
    )
    send.topics.set([flask])
    assert {s.pk for s in recipients(send)} == {both.pk, everything.pk}
    assert deliveries_create(send) == 2
    assert deliveries_create(send) == 2  # again: the same recipients, still one row each
    assert Delivery.objects.count() == 2
