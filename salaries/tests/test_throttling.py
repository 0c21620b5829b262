"""Rate limits: headers on every answer, 429 with Retry-After, one budget per key and
per anonymous client, counters in the shared cache."""

import os
import time

import pytest
import redis
from django.core.cache import cache

from portal.cache import cache_counter_hit, redis_cache
from portal.tests.support import require_redis

pytestmark = pytest.mark.django_db
URL = "/api/v1/specializations/"
# Not the suite's cache-test database (14): both tests flush theirs.
REDIS_TEST_URL = os.environ.get("API_REDIS_TEST_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def anon_rate(settings):
    def set_rate(rate: str):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": rate, "partner": "1000/hour"},
        }

    return set_rate


def test_every_answer_says_where_the_client_stands(api, anon_rate):
    anon_rate("5/minute")
    first = api.get(URL)
    second = api.get(URL)
    assert (first["X-RateLimit-Limit"], first["X-RateLimit-Remaining"]) == ("5", "4")
    assert second["X-RateLimit-Remaining"] == "3"
    reset = int(first["X-RateLimit-Reset"])
    assert reset % 60 == 0 and 0 < reset - time.time() <= 60, "the end of this minute"


def test_over_the_anonymous_rate_is_a_429_with_retry_after(api, anon_rate):
    anon_rate("3/hour")
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(URL)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert (
        "Over the rate limit of 3 requests per window for requests without a key"
        in (body["detail"])
    )
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response["X-RateLimit-Remaining"] == "0"
    assert int(response["X-RateLimit-Reset"]) - time.time() <= 3600


def test_anonymous_clients_are_counted_by_address(api, anon_rate):
    anon_rate("1/hour")
    assert api.get(URL, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert api.get(URL, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert api.get(URL, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_each_key_has_its_partners_rate_apart_from_the_anonymous_one(api, anon_rate, make_key):
    anon_rate("1/hour")
    _, slow = make_key("Slow Board", rate="2/minute")
    _, fast = make_key("Fast Board", rate="100/minute")
    assert api.get(URL).status_code == 200
    assert api.get(URL).status_code == 429
    slow_answers = [api.get(URL, HTTP_AUTHORIZATION=f"Api-Key {slow}") for _ in range(3)]
    assert [r.status_code for r in slow_answers] == [200, 200, 429]
    assert slow_answers[0]["X-RateLimit-Limit"] == "2"
    assert "for this key" in slow_answers[2].json()["detail"]
    fast_answer = api.get(URL, HTTP_AUTHORIZATION=f"Api-Key {fast}")
    assert fast_answer.status_code == 200
    assert (fast_answer["X-RateLimit-Limit"], fast_answer["X-RateLimit-Remaining"]) == (
        "100",
        "99",
    )


def test_two_keys_of_one_partner_count_apart(api, make_key):
    _, first = make_key("Acme Jobs", rate="1/minute")
    _, second = make_key("Acme Jobs", rate="1/minute")
    assert api.get(URL, HTTP_AUTHORIZATION=f"Api-Key {first}").status_code == 200
    assert api.get(URL, HTTP_AUTHORIZATION=f"Api-Key {first}").status_code == 429
    assert api.get(URL, HTTP_AUTHORIZATION=f"Api-Key {second}").status_code == 200


def test_a_new_window_starts_afresh(api, anon_rate, monkeypatch):
    anon_rate("1/second")
    now = 1_700_000_000.2
    monkeypatch.setattr(time, "time", lambda: now)
    assert api.get(URL).status_code == 200
    assert api.get(URL).status_code == 429
    now += 1
    assert api.get(URL).status_code == 200


def test_cached_and_not_modified_answers_count_too(api, anon_rate):
    anon_rate("3/hour")
    etag = api.get(URL)["ETag"]
    assert api.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(URL).status_code == 200
    assert api.get(URL).status_code == 429


def test_counters_live_in_the_shared_cache(api, anon_rate):
    anon_rate("2/hour")
    api.get(URL)
    api.get(URL)
    cache.clear()  # another server would see the same (empty) counters
    assert api.get(URL).status_code == 200


def test_redis_counts_atomically_and_expires_the_window(settings):
    require_redis(REDIS_TEST_URL)
    settings.CACHES = {"default": redis_cache(REDIS_TEST_URL, key_prefix="portal-api-tests")}
    cache.clear()
    try:
        assert [cache_counter_hit("k", 60) for _ in range(3)] == [1, 2, 3]
        client = redis.Redis.from_url(REDIS_TEST_URL)
        (stored,) = client.keys("portal-api-tests:*k")
        assert 0 < client.ttl(stored) <= 61
        assert cache.get("k") == 3, "the Django cache reads the same counter"
    finally:
        cache.clear()


def test_a_changed_rate_counts_the_requests_already_made_in_its_window(api, make_key, monkeypatch):
    now = (time.time() // 3600) * 3600 + 30  # half a minute into an hour, for the test
    monkeypatch.setattr("salaries.throttling.time.time", lambda: now)
    api_key, key = make_key(rate="77/hour")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    remaining = [api.get(URL, **auth)["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["76", "75", "74"], "each request counts once"
    api_key.partner.rate = "5/minute"
    api_key.partner.save()
    answers = [api.get(URL, **auth) for _ in range(2)]
    assert [(a["X-RateLimit-Limit"], a["X-RateLimit-Remaining"]) for a in answers] == [
        ("5", "1"),
        ("5", "0"),
    ], "the three requests of this minute count against the new rate"
    assert api.get(URL, **auth).status_code == 429


def test_malformed_and_unknown_keys_are_throttled_by_client_address(api, anon_rate):
    """Guessing keys costs the anonymous allowance: 401s until it is spent, then 429."""
    anon_rate("3/minute")
    headers = [
        "Api-Key not-a-key",
        "Bearer abc",
        "Api-Key " + "A" * 8 + "." + "b" * 32,  # well formed, issued to nobody
        "Api-Key " + "C" * 8 + "." + "d" * 32,
        "Api-Key " + "E" * 8 + "." + "f" * 32,
    ]
    statuses = [api.get(URL, HTTP_AUTHORIZATION=header).status_code for header in headers]
    assert statuses == [401, 401, 401, 429, 429]
    refused = api.get(URL, HTTP_AUTHORIZATION=headers[0])
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["code"] == "throttled"
    assert api.get(URL).status_code == 429, "the same allowance as requests without a key"


@pytest.fixture
def redis_round_trips(settings, monkeypatch):
    """The site on a real Redis; counts the commands sent to it, a pipeline as one."""
    require_redis(REDIS_TEST_URL)
    settings.CACHES = {"default": redis_cache(REDIS_TEST_URL, key_prefix="portal-api-tests")}
    cache.clear()
    from portal.cache import PausingConnection

    sent = []
    real = PausingConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return real(self, command, *args, **kwargs)

    monkeypatch.setattr(PausingConnection, "send_packed_command", counting)
    yield sent
    cache.clear()


def test_a_cached_keyed_answer_is_one_round_trip_to_redis(api, make_key, redis_round_trips):
    """The key, the rate counter and the cached answer are read in one pipeline, and each
    still does its part: the key is checked, the request counted, the answer cached."""
    api_key, key = make_key(rate="10/minute")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    first = api.get(URL, **auth)  # a miss: stores the key's entry and the answer
    assert first.status_code == 200
    redis_round_trips.clear()
    second = api.get(URL, **auth)
    assert second.status_code == 200 and second.content == first.content
    assert len(redis_round_trips) == 1
    assert second["X-RateLimit-Remaining"] == "8"
    api_key.revoked = True
    api_key.save()  # forgets the key's cache entry
    assert api.get(URL, **auth).status_code == 403, "a cached answer never skips the key check"
