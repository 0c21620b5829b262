"""Security checks on real responses: login brute force, CSRF on every form, the Content
Security Policy on cached pages, no candidate identifier anywhere public. (That no secret
is committed is checked by ``make lint``, with detect-secrets.)"""

import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Subscriber
from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import CandidateFactory, add_offers

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def login(client, username, password):
    page = client.get(LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return client.post(
        LOGIN, {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )


# --- Admin login brute force ---


def test_five_wrong_passwords_lock_the_account_from_that_address(client):
    from django.test import Client

    get_user_model().objects.create_superuser("editor", "e@example.com", "right-Password-42")
    for _ in range(4):
        assert login(client, "editor", "wrong").status_code == 200  # the form, with an error
    assert login(client, "editor", "wrong").status_code == 429  # the fifth locks
    locked = login(client, "editor", "right-Password-42")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address signs in as usual.
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.1.2.3")
    assert login(other, "editor", "right-Password-42").status_code == 302


def test_a_successful_sign_in_resets_the_count(client):
    get_user_model().objects.create_superuser("editor", "e@example.com", "right-Password-42")
    for _ in range(4):
        login(client, "editor", "wrong")
    assert login(client, "editor", "right-Password-42").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "editor", "wrong")
    assert login(client, "editor", "right-Password-42").status_code == 302


# --- CSRF on every form ---


def test_every_post_form_on_public_pages_and_the_login_carries_a_csrf_token(
    client, published, make_article
):
    subscriber = Subscriber.objects.create(email="a@example.com", token="tok-1")
    article = make_article()
    pages = [
        "/",
        "/salaries/",
        "/search/?q=flask",
        "/newsletter/",
        LOGIN,
        article.url,
        f"/newsletter/unsubscribe/{subscriber.token}/",
    ]
    post_forms = 0
    for path in pages:
        html = client.get(path).content.decode()
        for form in re.findall(r"<form\b.*?</form>", html, re.S | re.I):
            method = re.search(r'method="(\w+)"', form, re.I)
            if method and method[1].lower() == "post":
                post_forms += 1
                if 'action="/newsletter/"' in form:
                    # The subscribe form on cached pages: no token, the origin is checked.
                    continue
                assert 'name="csrfmiddlewaretoken"' in form, (path, form[:200])
    assert post_forms >= 3  # subscribe, unsubscribe, sign in


def test_posts_without_the_token_are_refused():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(LOGIN, {"username": "x", "password": "y"}).status_code == 403
    # The token-free subscribe form refuses what another site's page sends.
    foreign = {"origin": "https://evil.example", "sec-fetch-site": "cross-site"}
    assert (
        strict.post("/newsletter/", {"email": "a@example.com"}, headers=foreign).status_code == 403
    )


# --- Headers on cached answers ---


def test_cached_pages_carry_the_security_policy_like_fresh_ones(client, published):
    fresh = client.get("/salaries/back-end/flask/2024/")
    cached = client.get("/salaries/back-end/flask/2024/")
    for response in (fresh, cached):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def script_sources(response):
    """The sources a response's policy allows scripts from."""
    policy = response["Content-Security-Policy"]
    return policy.split("script-src")[1].split(";")[0].split()


def test_only_the_admin_allows_inline_scripts(admin_client, published):
    from django.test import Client

    client = Client()
    # The admin's own views, its sign-in page and the views apps add through Wagtail's
    # hooks (the newsletter's issues, the salaries menu) all run the editor's inline scripts.
    admin_pages = [
        admin_client.get("/admin/"),
        admin_client.get("/admin/pages/"),
        admin_client.get(reverse(Subscriber.snippet_viewset.get_url_name("list"))),
        client.get(LOGIN),
    ]
    for response in admin_pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert script_sources(response) == ["'self'", "'unsafe-inline'"]
        assert "object-src 'none'" in response["Content-Security-Policy"]
    # Public pages, the API and error pages keep the nonce-only policy.
    public = [
        client.get("/"),
        client.get("/salaries/back-end/flask/2024/"),
        client.get("/api/v1/stats/"),
        client.get("/no-such-page/"),
    ]
    for response in public:
        assert "'unsafe-inline'" not in script_sources(response)
        assert "'self'" in script_sources(response)


# --- Candidates stay private ---


def test_no_candidate_identifier_appears_in_any_public_page_or_api_answer(client, catalogue):
    rng = random.Random(11)
    people = [CandidateFactory(external_id=f"cand-private-{n:04d}") for n in range(12)]
    c = catalogue
    add_offers(c["back-end"], [c["flask"]], 2024, 40, rng=rng, candidates=people)
    add_offers(c["back-end"], [c["django"]], 2023, 30, rng=rng, candidates=people)
    salary_stats_refresh(min_offers=5)
    paths = [
        "/",
        "/salaries/",
        "/salaries/back-end/",
        "/salaries/back-end/flask/2024/",
        "/salaries/back-end/flask/2024/histogram.csv",
        "/salaries/all/all/2024/",
        "/api/v1/stats/",
        "/api/v1/stats/?format=csv",
        "/api/v1/stats/back-end/flask/2024/",
        "/api/v1/stats/back-end/flask/",
        "/api/v1/specializations/",
        "/api/v1/technologies/",
        "/api/v1/schema/",
        "/sitemap.xml",
        "/search/?q=cand",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"cand-private" not in response.content, path
