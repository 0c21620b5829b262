"""What the newsletter hands to the background worker (django-tasks, ``background``
backend: a row in the database that ``manage.py db_worker --backend background`` runs).

``deliver_newsletters`` works through every due send for a bounded time and then queues its
own continuation. Before it starts it also queues a watchdog run for when its lease would
lapse, so if the worker dies half-way, the next worker to start picks the send up again;
once nothing is left to send no run queues another.
"""

from __future__ import annotations

import secrets
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


@task(backend=BACKEND, priority=PERSONAL)
def subscription_start(email: str, topics: list[str]) -> None:
    from articles.newsletter.services import subscriber_subscribe

    subscriber_subscribe(email=email, topic_slugs=topics)


@task(backend=BACKEND, priority=PERSONAL)
def issue_test_send(issue_id: int, email: str) -> bool:
    from articles.newsletter.services import issue_test_mail

    return issue_test_mail(issue_id=issue_id, email=email)
