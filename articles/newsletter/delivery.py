"""The sending loop the background worker runs (``deliveries_run``).

- **One sender at a time.** A worker mails only while it holds the sending lease (one row),
  renewed with every mail; if the worker dies the lease lapses after
  ``NEWSLETTER_LEASE_SECONDS`` and the next run carries on.
- **Nothing sent twice, nobody skipped.** Every recipient of an issue has one ``Delivery``
  row (unique per issue and subscriber), written when the send starts; a row turns from
  pending to sent only after the SMTP server accepted the mail, so a run that is
  interrupted resumes at the first pending row. (A worker killed in the instant between the
  server's acceptance and the row's commit would mail that one recipient again, with the
  same Message-ID.)
- **The rate**: mails leave at most ``NEWSLETTER_RATE_PER_MINUTE`` a minute, paced through
  the lease row, so the pace holds across runs and workers.
- **Failures**: a temporary SMTP failure (4xx, a refused or dropped connection) is retried
  after ``NEWSLETTER_RETRY_SECONDS`` × 1, 2, 4, ... up to ``NEWSLETTER_MAX_ATTEMPTS``
  attempts, then recorded as failed; an address the server refuses for good (5xx) is a hard
  bounce and is never mailed again, nor is anyone who unsubscribed.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from articles.models import Subscriber
from articles.newsletter.models import Delivery, NewsletterSend, SendingLease
from articles.newsletter.rendering import (
    RenderedIssue,
    issue_message,
    issue_render,
    unsubscribe_url,
)

logger = logging.getLogger(__name__)

BATCH = 1000


def mail_interval() -> float:
    """Seconds between two mails at the configured rate."""
    return 60.0 / max(settings.NEWSLETTER_RATE_PER_MINUTE, 1)


def lease_seconds() -> float:
    return settings.NEWSLETTER_LEASE_SECONDS + mail_interval()


def lease_take(holder: str) -> bool:
    """Take (or renew) the sending lease if it is free, lapsed or already ``holder``'s."""
    now = timezone.now()
    # get_or_create settles the race of two workers making the row at once.
    SendingLease.objects.get_or_create(pk=1)
    taken = (
        SendingLease.objects.filter(pk=1)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(holder=holder))
        .update(holder=holder, expires_at=now + timedelta(seconds=lease_seconds()))
    )
    return taken == 1


def lease_release(holder: str) -> None:
    SendingLease.objects.filter(pk=1, holder=holder).update(holder="", expires_at=None)


def recipients(send: NewsletterSend):
    """Confirmed subscribers the send is for: everyone, or those of its topics plus those
    who chose no topic (they asked for everything)."""
    subscribers = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if not send.everyone:
        subscribers = subscribers.filter(
            Q(topics__in=send.topics.all()) | Q(topics__isnull=True)
        ).distinct()
    return subscribers


def deliveries_create(send: NewsletterSend) -> int:
    """Write a pending delivery for every recipient who has none for this issue yet
    (idempotent: a repeat, or an interrupted start, adds only what is missing); returns
    how many recipients the send has."""
    now = timezone.now()
    created = 0
    ids = recipients(send).order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=BATCH):
        batch.append(pk)
        if len(batch) == BATCH:
            created += _deliveries_write(send, batch, now)
            batch = []
    if batch:
        created += _deliveries_write(send, batch, now)
    return created


def _deliveries_write(send: NewsletterSend, subscriber_ids: list[int], now: datetime) -> int:
    rows = [
        Delivery(send=send, issue_id=send.issue_id, subscriber_id=pk, next_attempt_at=now)
        for pk in subscriber_ids
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def sends_start_due() -> int:
    """Start every scheduled send whose time has come: write its deliveries, then mark
    it sending (in that order, so a start cut short is simply done again)."""
    started = 0
    for send in NewsletterSend.objects.filter(
        state=NewsletterSend.State.SCHEDULED, scheduled_for__lte=timezone.now()
    ):
        deliveries_create(send)
        started += NewsletterSend.objects.filter(
            pk=send.pk, state=NewsletterSend.State.SCHEDULED
        ).update(state=NewsletterSend.State.SENDING, started_at=timezone.now())
    return started


def sends_finish() -> None:
    """Mark done every sending send with no pending delivery left."""
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    NewsletterSend.objects.filter(state=NewsletterSend.State.SENDING).exclude(
        pk__in=pending.values("send_id")
    ).update(state=NewsletterSend.State.DONE, finished_at=timezone.now())


def work_remaining() -> bool:
    """Whether a send is under way or due (a lapsed lease leaves one under way)."""
    return NewsletterSend.objects.filter(
        Q(state=NewsletterSend.State.SENDING)
        | Q(state=NewsletterSend.State.SCHEDULED, scheduled_for__lte=timezone.now())
    ).exists()


def next_work_at() -> datetime | None:
    """When the next pending delivery is due, if any."""
    return Delivery.objects.filter(
        status=Delivery.Status.PENDING, send__state=NewsletterSend.State.SENDING
    ).aggregate(at=Min("next_attempt_at"))["at"]


@dataclass
class RunSummary:
    busy: bool = False
    sent: int = 0
    retried: int = 0
    failed: int = 0
    bounced: int = 0
    skipped: int = 0
    next_at: datetime | None = None
    errors: list[str] = field(default_factory=list)


class _Pacer:
    """Hands out mail slots at the configured rate; the next slot is kept on the lease
    row, so a new run (or another worker) continues the same pace."""

    def __init__(self, holder: str):
        self.holder = holder
        self.interval = timedelta(seconds=mail_interval())

    def wait(self) -> None:
        lease = SendingLease.objects.get(pk=1)
        if lease.next_mail_at is not None:
            delay = (lease.next_mail_at - timezone.now()).total_seconds()
            if delay > 0:
                time.sleep(delay)

    def used(self) -> bool:
        """Record the slot just used and renew the lease; False if the lease was lost."""
        now = timezone.now()
        return (
            SendingLease.objects.filter(pk=1, holder=self.holder).update(
                next_mail_at=now + self.interval,
                expires_at=now + timedelta(seconds=lease_seconds()),
            )
            == 1
        )


def _next_due() -> Delivery | None:
    return (
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=timezone.now(),
            send__state=NewsletterSend.State.SENDING,
        )
        .select_related("subscriber")
        .order_by("id")
        .first()
    )


def _permanent(error: Exception) -> int | None:
    """The SMTP code when the server refused the recipient for good (a hard bounce)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            return codes[0]
    return None


def _retry_or_fail(delivery: Delivery, error: Exception, summary: RunSummary) -> None:
    delivery.attempts += 1
    delivery.error = f"{type(error).__name__}: {error}"[:500]
    if delivery.attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        summary.failed += 1
    else:
        backoff = settings.NEWSLETTER_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=backoff)
        summary.retried += 1
    delivery.save(update_fields=["attempts", "error", "status", "next_attempt_at"])


def _skip(delivery: Delivery, summary: RunSummary) -> None:
    delivery.status = Delivery.Status.SKIPPED
    delivery.error = f"subscriber {delivery.subscriber.get_status_display().lower()}"
    delivery.save(update_fields=["status", "error"])
    summary.skipped += 1


def _server_unreachable(error: Exception) -> bool:
    """A failure of the connection rather than of one recipient or message."""
    return isinstance(
        error, OSError | smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError
    ) and not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)


def _deliver(delivery: Delivery, rendered: RenderedIssue, connection, summary) -> bool:
    """Hand one mail to the SMTP server and record the outcome; False when the server
    could not be reached (the run should pause)."""
    subscriber = delivery.subscriber
    mail = rendered.personal(unsubscribe_url(subscriber))
    message = issue_message(mail, to=subscriber.email, delivery_id=delivery.pk)
    message.connection = connection
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        # The connection may be unusable after any failure: open a fresh one next time.
        connection.close()
        code = _permanent(error)
        if code is not None:
            with transaction.atomic():
                delivery.status = Delivery.Status.BOUNCED
                delivery.attempts += 1
                delivery.error = f"refused by the server ({code})"
                delivery.save(update_fields=["status", "attempts", "error"])
                Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.BOUNCED)
            summary.bounced += 1
        else:
            _retry_or_fail(delivery, error, summary)
            summary.errors.append(delivery.error)
            if _server_unreachable(error):
                # Everyone else waits as long as this recipient does; no attempt is spent.
                Delivery.objects.filter(
                    status=Delivery.Status.PENDING, next_attempt_at__lt=delivery.next_attempt_at
                ).update(next_attempt_at=delivery.next_attempt_at)
                return False
        return True
    delivery.status = Delivery.Status.SENT
    delivery.attempts += 1
    delivery.sent_at = timezone.now()
    delivery.error = ""
    delivery.save(update_fields=["status", "attempts", "sent_at", "error"])
    summary.sent += 1
    return True


def deliveries_run(*, holder: str, seconds: float) -> RunSummary:
    """Start due sends and mail their pending deliveries for up to ``seconds``; returns
    what was done and when more work will be due (``next_at``)."""
    summary = RunSummary()
    if not lease_take(holder):
        summary.busy = True
        return summary
    deadline = time.monotonic() + seconds
    connection = get_connection()
    pacer = _Pacer(holder)
    rendered: dict[int, RenderedIssue] = {}
    try:
        sends_start_due()
        while time.monotonic() < deadline:
            delivery = _next_due()
            if delivery is None:
                break
            if delivery.issue_id not in rendered:
                rendered[delivery.issue_id] = issue_render(delivery.send.issue)
            if delivery.subscriber.status != Subscriber.Status.CONFIRMED:
                _skip(delivery, summary)
                continue
            pacer.wait()
            reachable = _deliver(delivery, rendered[delivery.issue_id], connection, summary)
            if not pacer.used():
                logger.warning("newsletter: the sending lease was lost; stopping this run")
                break
            if not reachable:
                logger.warning("newsletter: the SMTP server is unreachable; pausing the send")
                break
        sends_finish()
        summary.next_at = next_work_at()
    finally:
        connection.close()
        lease_release(holder)
    return summary
