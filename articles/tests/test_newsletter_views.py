"""The newsletter as a reader and as a bot meet it: double opt-in, unsubscribe, and no
answer that tells whether an address is known."""

import csv
import io
import re

import pytest
from django.core import mail
from django.test import Client

from articles.models import Subscriber
from salaries.factories import TechnologyFactory

pytestmark = pytest.mark.django_db

URL = "/newsletter/"


def link_in(message, kind: str) -> str:
    return re.search(rf"http://testserver(/newsletter/{kind}/[^/\s]+/)", message.body).group(1)


def subscribe(client, email="Reader@Example.com", **extra):
    return client.post(URL, {"email": email, **extra}, REMOTE_ADDR=extra.pop("ip", "10.0.0.1"))


def test_subscribe_confirm_and_unsubscribe(client, catalogue, run_tasks):
    response = client.post(URL, {"email": "Reader@Example.com", "topics": ["flask", "django"]})
    assert response.status_code == 302 and response["Location"] == "/newsletter/thanks/"
    # The request only queued the work; the worker stores the address and mails the link.
    assert not Subscriber.objects.exists() and not mail.outbox
    assert run_tasks() == 1
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"  # case folded
    assert subscriber.status == Subscriber.Status.PENDING
    assert sorted(t.slug for t in subscriber.topics.all()) == ["django", "flask"]

    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    assert "Confirm" in message.subject
    confirm = link_in(message, "confirm")
    assert "You are subscribed" in client.get(confirm).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at

    unsubscribe = link_in(message, "unsubscribe")
    # Following the link only asks (mail scanners open links); the button does it.
    page = client.get(unsubscribe)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    client.post(unsubscribe)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at


def test_confirmation_page_names_the_address_and_its_topics(client, run_tasks):
    subscribe(client)
    run_tasks()
    html = client.get(link_in(mail.outbox[0], "confirm")).content.decode()
    assert "reader@example.com will receive the newsletter (Everything)" in html


def test_a_duplicate_answers_exactly_like_a_new_address_and_keeps_one_row(client, run_tasks):
    first = subscribe(client, "reader@example.com")
    run_tasks()
    Subscriber.objects.update(status=Subscriber.Status.CONFIRMED)
    again = subscribe(client, "  READER@example.COM ")
    run_tasks()
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert Subscriber.objects.count() == 1
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    # The owner of the address, not the visitor, learns it was already subscribed.
    assert "already subscribed" in mail.outbox[-1].subject


def test_bad_address_is_explained_inline_and_nothing_is_stored(client):
    response = subscribe(client, "not-an-address")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter an email address such as name@example.com." in html
    assert 'aria-invalid="true"' in html and 'value="not-an-address"' in html
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_post_without_the_csrf_token_is_refused(run_tasks):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"email": "reader@example.com"})
    assert response.status_code == 403
    assert not Subscriber.objects.exists()
    # The form page itself carries the token, so a real visitor gets through.
    page = client.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = client.post(URL, {"email": "reader@example.com", "csrfmiddlewaretoken": token[1]})
    run_tasks()
    assert response.status_code == 302 and Subscriber.objects.count() == 1


def test_the_honeypot_looks_like_success_but_stores_nothing(client, run_tasks):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 302
    assert run_tasks() == 0
    assert not Subscriber.objects.exists() and not mail.outbox


def test_more_than_five_attempts_an_hour_from_one_address_are_refused(client, run_tasks):
    for number in range(5):
        assert subscribe(client, f"r{number}@example.com").status_code == 302
    refused = subscribe(client, "r5@example.com")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    run_tasks()
    assert Subscriber.objects.count() == 5
    # Another network is not affected.
    other = client.post(URL, {"email": "other@example.com"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_unknown_tokens_are_a_404_not_an_error(client):
    assert client.get("/newsletter/confirm/nope/").status_code == 404
    assert client.post("/newsletter/unsubscribe/nope/").status_code == 404


def test_the_form_page_preselects_a_topic_and_prefills_the_address(client, catalogue):
    html = client.get(URL, {"email": "me@example.com", "topic": "flask"}).content.decode()
    assert 'value="me@example.com"' in html
    assert re.search(r'value="flask"[^>]*checked', html)


def test_editors_see_subscribers_and_can_export_them(admin_client):
    Subscriber.objects.create(email="one@example.com", token="t1")
    Subscriber.objects.create(email="two@example.com", token="t2")
    listing = admin_client.get("/admin/snippets/articles/subscriber/", {"q": "two"})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "two@example.com" in html and "one@example.com" not in html
    export = admin_client.get("/admin/snippets/articles/subscriber/", {"export": "csv"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode() if export.streaming else export.content
    assert "one@example.com" in body and "two@example.com" in body


def test_the_subscriber_export_writes_formulas_as_text(admin_client):
    """Anyone can subscribe, and these are valid addresses; editors name the topics."""
    topic = TechnologyFactory(slug="sum", name="+SUM(1,2)")
    hostile = Subscriber.objects.create(email="=cmd|'/C calc'!A0@example.com", token="t1")
    hostile.topics.add(topic)
    Subscriber.objects.create(email="@import@example.com", token="t2")
    Subscriber.objects.create(email="-2+3@example.com", token="t3")
    export = admin_client.get("/admin/snippets/articles/subscriber/", {"export": "csv"})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == ["Email", "Status", "Topic names", "Created at", "Confirmed at"]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=cmd\\|'/C calc'!A0@example.com" in cells and "'+SUM(1,2)" in cells
    assert {"'@import@example.com", "'-2+3@example.com"} <= set(cells)


def test_behind_a_proxy_the_limit_counts_the_visitor_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        client.post(
            URL,
            {"email": f"a{number}@example.com"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    refused = client.post(
        URL, {"email": "a5@example.com"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert refused.status_code == 429
    other = client.post(
        URL, {"email": "b@example.com"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert other.status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_reset_the_limit(client):
    """The default (no proxy configured) counts the peer: a header the sender writes
    itself cannot buy a fresh allowance of confirmation mails to a victim."""
    for number in range(5):
        client.post(
            URL,
            {"email": "victim@example.com"},
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    refused = client.post(
        URL,
        {"email": "victim@example.com"},
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert refused.status_code == 429
