"""What the newsletter hands to the background worker (django-tasks, ``background``
backend: a row in the database that ``manage.py db_worker --backend background`` runs).

``deliver_newsletters`` works through every due send for a bounded time and then queues its
own continuation. Before it starts it also queues a watchdog run for when its lease would
lapse, so if the worker dies half-way, the next worker to start picks the send up again;
once nothing is left to send no run queues another.
"""

from __future__ import annotations

import secrets
import smtplib
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from articles.newsletter import delivery

BACKEND = "background"
# Mail a person waits for (a confirmation, an editor's test) goes before bulk sending.
PERSONAL = 10


def _holder() -> str:
    return f"{socket.gethostname()[:40]}:{secrets.token_hex(6)}"


def deliveries_queue(*, at: datetime | None = None) -> None:
    """Make sure a ``deliver_newsletters`` run is queued for ``at`` (now by default) or
    earlier; one already queued in time is enough."""
    at = at or timezone.now()
    queued = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        backend_name=BACKEND,
        task_path=deliver_newsletters.module_path,
        run_after__lte=at,
    )
    if not queued.exists():
        deliver_newsletters.using(run_after=at).enqueue()


@task(backend=BACKEND)
def deliver_newsletters() -> dict:
    if not delivery.work_remaining():
        return {"idle": True}
    # The watchdog: should this run die, a later one resumes once the lease has lapsed.
    deliveries_queue(at=timezone.now() + timedelta(seconds=delivery.lease_seconds() + 1))
    summary = delivery.deliveries_run(holder=_holder(), seconds=settings.NEWSLETTER_TASK_SECONDS)
    if summary.next_at is not None:
        deliveries_queue(at=max(summary.next_at, timezone.now()))
    return {
        "busy": summary.busy,
        "sent": summary.sent,
        "retried": summary.retried,
        "failed": summary.failed,
        "bounced": summary.bounced,
        "skipped": summary.skipped,
    }


def _again_later(task_, attempt: int, error: Exception, **kwargs) -> None:
    """A mail someone waits for that the SMTP server did not take: queue it again after
    ``NEWSLETTER_RETRY_SECONDS`` × 1, 2, 4, ...; after the last attempt the error stands
    (the task is recorded as failed, with it)."""
    if attempt >= settings.NEWSLETTER_MAX_ATTEMPTS:
        raise error
    pause = settings.NEWSLETTER_RETRY_SECONDS * 2 ** (attempt - 1)
    task_.using(run_after=timezone.now() + timedelta(seconds=pause)).enqueue(
        **kwargs, attempt=attempt + 1
    )


@task(backend=BACKEND, priority=PERSONAL)
def subscription_start(email: str, topics: list[str], attempt: int = 1) -> None:
    from articles.newsletter.services import subscriber_subscribe

    try:
        subscriber_subscribe(email=email, topic_slugs=topics)
    except (smtplib.SMTPException, OSError) as error:
        _again_later(subscription_start, attempt, error, email=email, topics=topics)


@task(backend=BACKEND, priority=PERSONAL)
def issue_test_send(issue_id: int, email: str, attempt: int = 1) -> bool:
    from articles.newsletter.services import issue_test_mail

    try:
        return issue_test_mail(issue_id=issue_id, email=email)
    except (smtplib.SMTPException, OSError) as error:
        _again_later(issue_test_send, attempt, error, issue_id=issue_id, email=email)
        return False
