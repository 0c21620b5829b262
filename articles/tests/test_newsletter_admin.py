"""The newsletter from the editors' side, end to end: compose an issue in the admin forms,
preview it as HTML and plain text, send a test to oneself, send it to a topic's
subscribers, and read every mail from a real SMTP server, then unsubscribe with the
one-click POST a mail provider makes."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from articles.factories import NewsletterIssueFactory, SubscriberFactory
from articles.models import Subscriber
from articles.newsletter.models import NewsletterIssue, NewsletterSend
from portal.roles import EDITORS, MODERATORS, roles_ensure
from salaries.selectors import salary_stat_get

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/articles/newsletterissue/add/"


def send_url(issue) -> str:
    return reverse("wagtailsnippets_articles_newsletterissue:send", args=[issue.pk])


def issue_form(catalogue, subject="Flask salaries in June"):
    form = nested_form_data(
        {
            "subject": subject,
            "intro": "What moved this month.",
            "body": streamfield(
                [
                    ("text", rich_text("<p>Medians for <b>Flask</b> moved up.</p>")),
                    (
                        "live_salary",
                        {
                            "specialization": str(catalogue["back-end"].pk),
                            "technology": str(catalogue["flask"].pk),
                            "year": "2024",
                            "show_histogram": "",
                        },
                    ),
                    ("what_changed", {"heading": "What changed", "limit": "5"}),
                ]
            ),
        }
    )
    return form | {"topics": [catalogue["flask"].pk]}


def user_in(django_user_model, group: str, username: str):
    roles = roles_ensure()
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password="pw-123456"
    )
    user.groups.add(roles[group])
    client = Client()
    client.force_login(user)
    return client


def test_compose_preview_test_and_send_to_a_topic_then_unsubscribe_in_one_click(
    django_user_model, published, smtp, run_tasks, django_capture_on_commit_callbacks
):
    moderator = user_in(django_user_model, MODERATORS, "mia")
    fan = SubscriberFactory(email="fan@example.com", topics=[published["flask"]])
    SubscriberFactory(email="react@example.com", topics=[published["react"]])

    # Compose: the admin form saves the issue with a revision.
    response = moderator.post(ADD, issue_form(published))
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = NewsletterIssue.objects.get()
    assert issue.revisions.count() == 1 and list(issue.topics.all()) == [published["flask"]]

    # Preview, as it will arrive: HTML and plain text, with the live figures.
    preview = reverse("wagtailsnippets_articles_newsletterissue:preview_on_edit", args=[issue.pk])
    assert moderator.post(preview, issue_form(published)).json()["is_valid"] is True
    html = moderator.get(preview, {"mode": "html"}).content.decode()
    text = moderator.get(preview, {"mode": "text"})
    assert text["Content-Type"].startswith("text/plain")
    text = text.content.decode()
    assert "<b>Flask</b>" in html and "Medians for Flask moved up." in text
    stat = salary_stat_get(specialization="back-end", technology="flask", year=2024)
    for part in (html, text):
        assert "Back-End Web Developer with Flask Salary in 2024" in part
        assert f"${stat.median:,}" in part
    assert "/newsletter/unsubscribe/" in html and "/newsletter/unsubscribe/" in text

    # A test to oneself, through the worker.
    page = moderator.get(send_url(issue))
    assert page.status_code == 200 and "Send a test to me" in page.content.decode()
    moderator.post(send_url(issue), {"action": "test"})
    run_tasks()
    [test] = smtp.received
    assert test.to == ["mia@example.com"] and test.message["Subject"] == f"[Test] {issue.subject}"

    # Send to the Flask subscribers now.
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            send_url(issue),
            {
                "action": "send",
                "audience": "topics",
                "topics": [published["flask"].pk],
                "when": "now",
            },
        )
    assert response.status_code == 302
    run_tasks()
    [mail] = smtp.handler.to("fan@example.com")
    assert not smtp.handler.to("react@example.com")
    own = f"http://testserver/newsletter/unsubscribe/{fan.token}/"
    assert mail.message["List-Unsubscribe"] == f"<{own}>"
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.search(rf'href="{re.escape(own)}"', mail.part("text/html"))
    assert f"Unsubscribe with one click: {own}" in mail.part("text/plain")
    listing = moderator.get(send_url(issue)).content.decode()
    assert "Sent" in listing and "subscribers of Flask" in listing

    # The mail provider's one-click POST: no cookie, no form token.
    provider = Client(enforce_csrf_checks=True)
    answer = provider.post(
        own, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    fan.refresh_from_db()
    assert fan.status == Subscriber.Status.UNSUBSCRIBED


def test_an_editor_composes_and_tests_but_a_moderator_sends(
    django_user_model, catalogue, run_tasks
):
    editor = user_in(django_user_model, EDITORS, "eddie")
    assert editor.post(ADD, issue_form(catalogue)).status_code == 302
    issue = NewsletterIssue.objects.get()
    page = editor.get(send_url(issue)).content.decode()
    assert "Sending to subscribers is for moderators" in page
    answer = editor.post(send_url(issue), {"action": "send", "audience": "everyone", "when": "now"})
    # The admin answers a refused action by sending the user home with a message.
    assert (answer.status_code, answer["Location"]) == (302, "/admin/")
    assert not NewsletterSend.objects.exists()
    assert editor.post(send_url(issue), {"action": "test"}).status_code == 302


def test_bad_send_forms_are_explained_not_sent(admin_client, catalogue):
    issue = NewsletterIssueFactory()
    no_topic = admin_client.post(
        send_url(issue), {"action": "send", "audience": "topics", "when": "now"}
    )
    past = admin_client.post(
        send_url(issue),
        {"action": "send", "audience": "everyone", "when": "later", "at": "2001-01-01T10:00"},
    )
    assert no_topic.status_code == past.status_code == 400
    assert "Choose at least one topic" in no_topic.content.decode()
    assert "Give a time in the future." in past.content.decode()
    assert not NewsletterSend.objects.exists()
    assert admin_client.get(send_url(type("X", (), {"pk": 999999}))).status_code == 404


def test_a_scheduled_send_is_listed_and_can_be_cancelled(admin_client, catalogue):
    issue = NewsletterIssueFactory()
    response = admin_client.post(
        send_url(issue),
        {"action": "send", "audience": "everyone", "when": "later", "at": "2099-01-01T10:00"},
    )
    assert response.status_code == 302
    send = NewsletterSend.objects.get()
    assert send.state == "scheduled" and send.scheduled_for.year == 2099
    assert "2099-01-01 10:00" in admin_client.get(send_url(issue)).content.decode()
    admin_client.post(send_url(issue), {"action": "cancel", "send": send.pk})
    send.refresh_from_db()
    assert send.state == "cancelled"


def test_the_issue_list_and_editor_link_to_the_send_page(admin_client):
    issue = NewsletterIssueFactory(subject="July")
    listing = admin_client.get("/admin/snippets/articles/newsletterissue/").content.decode()
    assert "July" in listing and send_url(issue) in listing
    edit = admin_client.get(
        reverse("wagtailsnippets_articles_newsletterissue:edit", args=[issue.pk])
    ).content.decode()
    assert send_url(issue) in edit
