"""The newsletter as a reader and as a bot meet it: one-step subscription from any page's
form, double opt-in, topics chosen after confirming, unsubscribe, no answer that tells
whether an address is known, and no way for another site's page to send the form."""

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


def test_subscribe_confirm_choose_topics_and_unsubscribe(client, catalogue, run_tasks):
    response = client.post(URL, {"email": "Reader@Example.com", "topic": "flask"})
    assert response.status_code == 302 and response["Location"] == "/newsletter/thanks/"
    # The request only queued the work; the worker stores the address and mails the link.
    assert not Subscriber.objects.exists() and not mail.outbox
    assert run_tasks() == 1
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"  # case folded
    assert subscriber.status == Subscriber.Status.PENDING
    assert [t.slug for t in subscriber.topics.all()] == ["flask"]  # the page's technology

    [message] = mail.outbox
    assert message.to == ["reader@example.com"]
    assert "Confirm" in message.subject
    confirm = link_in(message, "confirm")
    html = client.get(confirm).content.decode()
    assert "You are subscribed" in html and "Choose your topics" in html
    assert re.search(r'value="flask"[^>]*checked', html)
    assert not re.search(r'value="django"[^>]*checked', html)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at

    # The topics are chosen there, and the page says what was saved.
    saved = client.post(confirm, {"topics": ["django", "fastapi"]})
    assert saved.status_code == 302 and saved["Location"] == confirm + "?saved=1#topics"
    assert sorted(t.slug for t in subscriber.topics.all()) == ["django", "fastapi"]
    again = client.get(saved["Location"]).content.decode()
    assert "Saved: you will hear about Django, FastAPI." in again
    client.post(confirm, {})  # none ticked: everything
    assert not subscriber.topics.exists()

    unsubscribe = link_in(message, "unsubscribe")
    # Following the link only asks (mail scanners open links); the button does it.
    page = client.get(unsubscribe)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    client.post(unsubscribe)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at


def test_a_topic_that_is_not_on_the_list_is_refused_on_the_confirmation_page(
    client, catalogue, run_tasks
):
    subscribe(client, topic="flask")
    run_tasks()
    confirm = link_in(mail.outbox[0], "confirm")
    response = client.post(confirm, {"topics": ["flask", "no-such-thing"]})
    assert response.status_code == 400
    assert "Choose topics from the list." in response.content.decode()
    assert [t.slug for t in Subscriber.objects.get().topics.all()] == ["flask"]


def test_the_inline_form_of_a_cached_page_subscribes_in_one_post(client, make_article, run_tasks):
    """The form every page carries: no token (so the page stays cacheable), posted as it
    stands from the page's own origin, and the confirmation mail is on its way."""
    page = client.get(make_article().url)
    html = page.content.decode()
    assert "public" in page["Cache-Control"] and "Set-Cookie" not in page.headers
    form = re.search(r'<form class="subscribe__form".*?</form>', html, re.S).group(0)
    assert 'method="post"' in form and 'action="/newsletter/"' in form
    assert "csrfmiddlewaretoken" not in form
    names = re.findall(r'<input [^>]*?name="(\w+)"', form)
    assert set(names) <= {"email", "topic", "website"}
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(
        URL,
        {"email": "reader@example.com", "website": ""},
        headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"},
    )
    assert answer.status_code == 302 and answer["Location"] == "/newsletter/thanks/"
    assert "Check your inbox" in strict.get(answer["Location"]).content.decode()
    assert run_tasks() == 1
    [message] = mail.outbox
    assert message.to == ["reader@example.com"] and link_in(message, "confirm")


def test_every_page_offers_the_form_in_its_footer_but_the_newsletters_own(client):
    footer = re.compile(
        r'<footer class="site-footer">.*?class="subscribe__form" method="post"', re.S
    )
    for path in ("/search/?q=flask", "/salaries/", "/api/"):
        assert footer.search(client.get(path).content.decode()), path
    assert "subscribe__form" not in client.get(URL).content.decode()
    assert "subscribe__form" not in client.get("/newsletter/thanks/").content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"origin": "https://testserver"},  # another scheme is another origin
        {"origin": "http://testserver.evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "http://testserver", "sec-fetch-site": "cross-site"},
    ],
)
def test_a_form_another_site_sends_subscribes_nobody(client, run_tasks, headers):
    response = client.post(URL, {"email": "victim@example.com"}, headers=headers)
    assert response.status_code == 403
    html = response.content.decode()
    assert "sent from another website" in html and "nothing was subscribed" in html
    # The visitor who did mean it can send it again from here.
    assert 'value="victim@example.com"' in html and 'action="/newsletter/"' in html
    assert run_tasks() == 0 and not Subscriber.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    "headers",
    [
        {},  # an old browser or a script: nothing to check against
        {"origin": "http://testserver"},
        {"sec-fetch-site": "same-origin"},
        {"sec-fetch-site": "none"},
        {"origin": "https://salaries.example.com"},  # trusted for CSRF, as the admin's forms
    ],
)
def test_the_sites_own_pages_and_plain_clients_get_through(client, settings, run_tasks, headers):
    settings.CSRF_TRUSTED_ORIGINS = ["https://salaries.example.com"]
    response = client.post(URL, {"email": "reader@example.com"}, headers=headers)
    assert response.status_code == 302
    assert run_tasks() == 1 and Subscriber.objects.count() == 1


def test_behind_a_tls_proxy_the_https_origin_is_the_sites_own(client, settings, run_tasks):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # A Host that spells out the default port is still the same origin.
    for email, host in [
        ("reader@example.com", "testserver"),
        ("other@example.com", "testserver:443"),
    ]:
        response = client.post(
            URL,
            {"email": email},
            headers={"origin": "https://testserver", "x-forwarded-proto": "https", "host": host},
        )
        assert response.status_code == 302, host
    assert run_tasks() == 2


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


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter your email address."),
        ({"email": ""}, "Enter your email address."),
        ({"email": "   "}, "Enter your email address."),
        ({"email": "a" * 250 + "@example.com"}, "An email address has at most 254 characters."),
        ({"email": "x" * 100_000}, "An email address has at most 254 characters."),
        ({"email": "reader\x00@example.com"}, "Enter an email address such as name@example.com."),
        ({"email": "<script>@example.com"}, "Enter an email address such as name@example.com."),
        ({"email": ["a@example.com", "b@example.com"]}, "Enter one email address, not several."),
        (
            {"email": "a@example.com", "website": ["", ""]},
            "The form arrived garbled; please send it again.",
        ),
    ],
)
def test_junk_is_a_400_page_that_says_what_to_do(client, run_tasks, data, message):
    response = client.post(URL, data, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'action="/newsletter/"' in html
    assert len(html) < 60_000, "a typed value is echoed back only in part"
    assert run_tasks() == 0 and not Subscriber.objects.exists()


def test_bodies_that_are_not_a_form_are_a_400_not_an_error(client, run_tasks):
    for content_type, body in [
        ("application/json", b'{"email": "a@example.com"}'),
        ("multipart/form-data; boundary=zz", b"--zz\r\nnonsense"),
        ("multipart/form-data", b"no boundary at all"),
        ("application/x-www-form-urlencoded", b"email=%ff%fe%00&&&=="),
    ]:
        response = client.post(URL, body, content_type=content_type)
        assert response.status_code == 400, content_type
        assert "Enter" in response.content.decode()
    assert run_tasks() == 0


def test_an_unknown_or_malformed_topic_is_no_topic(client, catalogue, run_tasks):
    for number, topic in enumerate(["no-such-tech", "FLASK ", "x" * 5000, "fl\x00ask"]):
        assert subscribe(client, f"r{number}@example.com", topic=topic).status_code == 302
    run_tasks()
    topics = {s.email: [t.slug for t in s.topics.all()] for s in Subscriber.objects.all()}
    assert topics == {
        "r0@example.com": [],
        "r1@example.com": ["flask"],
        "r2@example.com": [],
        "r3@example.com": ["flask"],
    }


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
    assert 'value="r5@example.com"' in refused.content.decode(), "what was typed is kept"
    run_tasks()
    assert Subscriber.objects.count() == 5
    # Another network is not affected.
    other = client.post(URL, {"email": "other@example.com"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_unknown_tokens_are_a_404_not_an_error(client):
    assert client.get("/newsletter/confirm/nope/").status_code == 404
    assert client.post("/newsletter/unsubscribe/nope/").status_code == 404


def test_the_form_page_prefills_the_address_and_keeps_the_topic(client, catalogue):
    html = client.get(URL, {"email": "me@example.com", "topic": "flask"}).content.decode()
    assert 'value="me@example.com"' in html
    assert '<input type="hidden" name="topic" value="flask">' in html
    assert "csrfmiddlewaretoken" not in html


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
