"""Partner keys over HTTP: every state of a key, and what the partner is told."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salaries.engine.refresh import salary_stats_refresh
from salaries.factories import OfferFactory
from salaries.models import PartnerAPIKey
from salaries.selectors import PARTNER_KEY_PREFIX

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/all/all/2024/"


@pytest.fixture(autouse=True)
def published():
    for salary in (4000, 5000, 6000, 7000, 8000):
        OfferFactory(salary=salary)
    salary_stats_refresh(min_offers=5)


def get(api, authorization=None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    return api.get(URL, **headers)


def test_no_key_is_an_anonymous_request(api):
    response = get(api)
    assert response.status_code == 200
    assert response.json()["offers"] == 5


def test_a_valid_key_works_and_spends_its_own_limit(api, make_key):
    _, key = make_key(rate="77/hour")
    response = get(api, f"Api-Key {key}")
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "77"
    assert get(api, f"api-key   {key}  ").status_code == 200, "scheme case and spaces"


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("Bearer abc", 'Send the key as "Authorization: Api-Key <key>".'),
        ("Api-Key", "Malformed API key"),
        ("Api-Key not-a-key", "Malformed API key"),
        ("Api-Key ABCDEFGH.tooshort", "Malformed API key"),
        ("Api-Key ABCDEFGH.0123456789abcdefghijABCDEFGHIJKL!", "Malformed API key"),
    ],
)
def test_a_malformed_header_or_key_is_a_401(api, authorization, message):
    response = get(api, authorization)
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'
    assert response["Content-Type"] == "application/json"


def test_an_unknown_key_is_a_401(api, make_key):
    _, key = make_key()
    prefix = key.partition(".")[0]
    for unknown in ("ZZZZZZZZ.0123456789abcdefghijABCDEFGHIJKL", f"{prefix}.{'x' * 32}"):
        response = get(api, f"Api-Key {unknown}")
        assert response.status_code == 401
        assert response.json() == {
            "detail": "Unknown API key. Check that it was copied whole, or ask for a new one.",
            "code": "unknown_key",
        }


def test_a_revoked_key_is_a_403(api, make_key):
    api_key, key = make_key()
    assert get(api, f"Api-Key {key}").status_code == 200
    api_key.revoked = True
    api_key.save()
    response = get(api, f"Api-Key {key}")
    assert response.status_code == 403
    assert response.json()["code"] == "revoked_key"
    assert f"{api_key.prefix}… was revoked" in response.json()["detail"]


def test_an_expired_key_is_a_403(api, make_key):
    api_key, key = make_key(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert get(api, f"Api-Key {key}").status_code == 200
    api_key.expiry_date = timezone.now() - datetime.timedelta(seconds=1)
    api_key.save()
    response = get(api, f"Api-Key {key}")
    assert response.status_code == 403
    assert response.json()["code"] == "expired_key"
    assert "expired on" in response.json()["detail"]


def test_an_inactive_partners_keys_are_a_403(api, make_key):
    api_key, key = make_key()
    api_key.partner.active = False
    api_key.partner.save()
    response = get(api, f"Api-Key {key}")
    assert response.status_code == 403
    assert response.json()["code"] == "inactive_partner"


def test_a_wrong_secret_for_a_revoked_prefix_is_still_a_401(api, make_key):
    api_key, key = make_key()
    api_key.revoked = True
    api_key.save()
    response = get(api, f"Api-Key {api_key.prefix}.{'y' * 32}")
    assert response.status_code == 401, "only the holder of the real key learns it is revoked"


def test_keys_are_stored_hashed(make_key):
    api_key, key = make_key()
    stored = PartnerAPIKey.objects.get(pk=api_key.pk)
    assert key not in (stored.hashed_key, stored.id)
    assert stored.prefix == key.partition(".")[0]
    assert stored.is_valid(key)


def test_a_change_behind_the_orms_back_is_seen_once_the_cached_key_expires(api, make_key):
    api_key, key = make_key()
    assert get(api, f"Api-Key {key}").status_code == 200
    PartnerAPIKey.objects.filter(pk=api_key.pk).update(revoked=True)
    assert get(api, f"Api-Key {key}").status_code == 200, "cached for a moment"
    cache.delete(PARTNER_KEY_PREFIX + api_key.prefix)  # what the expiry does
    assert get(api, f"Api-Key {key}").status_code == 403


def test_a_key_is_read_from_the_cache_not_the_database(api, make_key):
    _, key = make_key()
    get(api, f"Api-Key {key}")
    with CaptureQueriesContext(connection) as queries:
        assert get(api, f"Api-Key {key}").status_code == 200
    assert len(queries) == 0


def test_deleting_a_key_or_its_partner_takes_effect_at_once(api, make_key):
    api_key, key = make_key("One")
    other, other_key = make_key("Two")
    assert get(api, f"Api-Key {key}").status_code == 200
    assert get(api, f"Api-Key {other_key}").status_code == 200
    api_key.delete()
    other.partner.delete()
    assert get(api, f"Api-Key {key}").status_code == 401
    assert get(api, f"Api-Key {other_key}").status_code == 401
