"""The newsletter's background tasks: a real worker process (``manage.py db_worker``) on
the test database, killed half-way through a send and started again, finishes it without
mailing anyone twice; subscriptions and tests go through the worker too."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.factories import NewsletterIssueFactory, SubscriberFactory
from articles.models import Subscriber
from articles.newsletter import tasks
from articles.newsletter.models import Delivery, NewsletterSend
from articles.newsletter.services import issue_test_request, newsletter_send

ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """``manage.py db_worker`` in its own process, on this test's database, mailing
    through the test's SMTP server."""

    def __init__(self, tmp_path: Path, smtp_port: int, rate: int):
        (tmp_path / "worker_settings.py").write_text(
            "from portal.settings.test import *  # noqa\n"
            "EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'\n"
            f"EMAIL_HOST, EMAIL_PORT = '127.0.0.1', {smtp_port}\n"
            f"NEWSLETTER_RATE_PER_MINUTE = {rate}\n"
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "worker_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
            "DATABASE_URL": _database_url(),
        }
        self.log = tmp_path / "worker.log"
        self.process = None

    def start(self) -> "Worker":
        command = [sys.executable, "manage.py", "db_worker", "--backend=background"]
        command += ["--queue-name=*", "--interval=0.1", "--no-startup-delay", "--no-reload"]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_is_resumed_by_the_next_without_mailing_anyone_twice(
    smtp, tmp_path
):
    readers = [SubscriberFactory(email=f"r{n:02d}@example.com") for n in range(12)]
    send = newsletter_send(issue=NewsletterIssueFactory(subject="Resumed"), everyone=True)

    # A quarter of a second between mails: once every mail received is recorded as sent,
    # the worker is in that pause, and the kill lands between two mails.
    first = Worker(tmp_path, smtp.port, rate=240).start()
    try:
        smtp.wait_for(4)
        deadline = time.monotonic() + 10
        while Delivery.objects.filter(status="sent").count() != len(smtp.received):
            assert time.monotonic() < deadline, "the worker never recorded what it sent"
            time.sleep(0.01)
        first.kill()
    finally:
        first.stop()
    mailed = len(smtp.received)
    assert 4 <= mailed < len(readers), (tmp_path / "worker.log").read_text()
    assert Delivery.objects.filter(status="sent").count() == mailed
    send.refresh_from_db()
    assert send.state == NewsletterSend.State.SENDING

    second = Worker(tmp_path, smtp.port, rate=240).start()
    try:
        smtp.wait_for(len(readers), timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            send.refresh_from_db()
            if send.state == NewsletterSend.State.DONE:
                break
            time.sleep(0.1)
    finally:
        second.stop()

    assert send.state == NewsletterSend.State.DONE, (tmp_path / "worker.log").read_text()
    recipients = sorted(mail.recipient for mail in smtp.received)
    assert recipients == sorted(reader.email for reader in readers)  # each exactly once
    assert Delivery.objects.filter(status="sent").count() == len(readers)


@pytest.mark.django_db
def test_a_subscription_request_does_the_same_work_for_a_known_and_an_unknown_address(
    client, run_tasks
):
    SubscriberFactory(email="known@example.com")

    def post(address):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/newsletter/", {"email": address}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 302
        return [
            query["sql"].split(" WHERE ")[0].split(" VALUES ")[0]
            for query in queries.captured_queries
        ]

    assert post("known@example.com") == post("new@example.com")
    # Neither request mailed anything; the worker does, each mail as before.
    assert not mail.outbox
    run_tasks()
    assert sorted(message.subject for message in mail.outbox) == [
        "DevSalaries: Confirm your subscription",
        "DevSalaries: You are already subscribed",
    ]
    assert Subscriber.objects.get(email="new@example.com").status == "pending"


@pytest.mark.django_db
def test_a_test_send_goes_to_the_editor_alone_marked_as_a_test(run_tasks):
    SubscriberFactory(email="reader@example.com")
    issue = NewsletterIssueFactory(subject="June")
    issue_test_request(issue=issue, email="editor@example.com")
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["editor@example.com"] and message.subject == "[Test] June"
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_mail_people_wait_for_goes_before_a_queued_bulk_run(django_capture_on_commit_callbacks):
    SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_send(issue=NewsletterIssueFactory(), everyone=True)
    issue_test_request(issue=NewsletterIssueFactory(), email="editor@example.com")
    ready = DBTaskResult.objects.ready()  # in the worker's order
    assert [row.task_path.rsplit(".", 1)[1] for row in ready] == [
        "issue_test_send",
        "deliver_newsletters",
    ]


@pytest.mark.django_db
def test_one_queued_run_is_enough_and_no_run_is_left_queued_once_all_is_sent(run_tasks):
    SubscriberFactory()
    tasks.deliveries_queue()
    tasks.deliveries_queue()
    assert DBTaskResult.objects.ready().count() == 1
    run_tasks()  # nothing to send: it ends without queueing another
    assert not DBTaskResult.objects.filter(status="READY").exists()

    send = NewsletterSend.objects.create(
        issue=NewsletterIssueFactory(), scheduled_for=timezone.now()
    )
    tasks.deliveries_queue()
    run_tasks()
    send.refresh_from_db()
    assert send.state == NewsletterSend.State.DONE and len(mail.outbox) == 1
    # The watchdog queued for the case of a crash still runs, finds nothing, and stops.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_confirmation_the_server_defers_is_sent_on_a_later_attempt(smtp, settings, run_tasks):
    settings.NEWSLETTER_RETRY_SECONDS = 0.2
    smtp.handler.defer["reader@example.com"] = 1  # 451 once
    tasks.subscription_start.enqueue(email="reader@example.com", topics=[])
    run_tasks()
    assert not smtp.received
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2 and retry.run_after > timezone.now()
    time.sleep(0.25)
    run_tasks()
    [confirmation] = smtp.received
    assert confirmation.to == ["reader@example.com"]
    assert "Confirm your subscription" in confirmation.message["Subject"]
    assert Subscriber.objects.filter(email="reader@example.com").count() == 1


@pytest.mark.django_db
def test_a_confirmation_that_keeps_failing_is_recorded_as_a_failed_task(smtp, settings, run_tasks):
    settings.NEWSLETTER_RETRY_SECONDS = 0
    settings.NEWSLETTER_MAX_ATTEMPTS = 2
    smtp.handler.refuse["nobody@example.com"] = 550
    tasks.subscription_start.enqueue(email="nobody@example.com", topics=[])
    run_tasks()
    run_tasks()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "SMTPRecipientsRefused" in failed.exception_class_path
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1  # the first attempt
    assert not smtp.received
