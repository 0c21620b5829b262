"""create_partner_key and revoke_partner_key as an operator runs them: the key printed,
what was revoked, and nothing changed when the input is wrong."""

import datetime

import pytest
from django.core.management import CommandError
from rest_framework_api_key.models import APIKey

from salaries.models import Partner, PartnerAPIKey
from salaries.tests.support import run_command

pytestmark = pytest.mark.django_db


def test_create_partner_key_prints_a_working_key_alone_on_the_last_line():
    out = run_command("create_partner_key", "Acme Jobs", "--rate", "10/minute")
    key = out.strip().splitlines()[-1]
    assert " " not in key
    api_key = PartnerAPIKey.objects.get_from_key(key)
    assert api_key.partner.name == "Acme Jobs"
    assert api_key.partner.rate == "10/minute"
    assert PartnerAPIKey.objects.is_valid(key)
    assert not APIKey.objects.filter(prefix=api_key.prefix).exists()
    assert key not in str(PartnerAPIKey.objects.values_list("hashed_key", flat=True)[0])


def test_a_second_key_for_the_same_partner_keeps_the_first():
    first = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    second = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    assert first != second
    assert Partner.objects.count() == 1
    assert PartnerAPIKey.objects.is_valid(first) and PartnerAPIKey.objects.is_valid(second)
    assert Partner.objects.get().rate == "1000/hour"


@pytest.mark.parametrize("rate", ["5k/hour", "10/week", "0/hour", "ten/minute", "100"])
def test_create_partner_key_rejects_a_bad_rate_and_creates_nothing(rate):
    with pytest.raises(CommandError, match="rate must look like 1000/hour"):
        run_command("create_partner_key", "Acme Jobs", "--rate", rate)
    assert not Partner.objects.exists()


def test_create_partner_key_needs_a_name():
    with pytest.raises(CommandError, match="must not be empty"):
        run_command("create_partner_key", "   ")


def test_a_new_partner_gets_the_rate_from_settings(settings):
    settings.API_PARTNER_RATE = "250/day"
    run_command("create_partner_key", "Newsroom")
    assert Partner.objects.get().rate == "250/day"


def test_create_partner_key_with_an_expiry_date():
    out = run_command("create_partner_key", "Acme Jobs", "--expires", "2099-06-30")
    key = out.strip().splitlines()[-1]
    api_key = PartnerAPIKey.objects.get_from_key(key)
    assert api_key.expiry_date == datetime.datetime(2099, 6, 30, tzinfo=datetime.UTC)
    assert "expires 2099-06-30 00:00 UTC" in out


@pytest.mark.parametrize(
    ("expires", "message"),
    [("30/06/2099", "--expires must be a date"), ("2001-01-01", "must be in the future")],
)
def test_create_partner_key_rejects_a_bad_expiry(expires, message):
    with pytest.raises(CommandError, match=message):
        run_command("create_partner_key", "Acme Jobs", "--expires", expires)
    assert not PartnerAPIKey.objects.exists()


# --- revoke_partner_key ---


def test_revoke_partner_key_by_prefix_or_whole_key():
    first = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    second = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    out = run_command("revoke_partner_key", first.partition(".")[0])
    assert f"Revoked {first.partition('.')[0]}… (Acme Jobs #1, Acme Jobs)." in out
    assert not PartnerAPIKey.objects.is_valid(first)
    assert PartnerAPIKey.objects.is_valid(second)
    run_command("revoke_partner_key", second)
    assert not PartnerAPIKey.objects.is_valid(second)
    assert "already revoked" in run_command("revoke_partner_key", second)


def test_revoke_every_key_of_a_partner():
    keys = [run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1] for _ in "ab"]
    other = run_command("create_partner_key", "Other Board").strip().splitlines()[-1]
    out = run_command("revoke_partner_key", "--partner", "Acme Jobs")
    assert out.count("Revoked") == 2
    assert not any(PartnerAPIKey.objects.is_valid(key) for key in keys)
    assert PartnerAPIKey.objects.is_valid(other)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ZZZZZZZZ"], "no API key with the prefix ZZZZZZZZ"),
        (["--partner", "Nobody"], 'no partner named "Nobody"'),
    ],
)
def test_revoke_partner_key_says_what_matched_nothing_and_revokes_nothing(args, message):
    key = run_command("create_partner_key", "Acme Jobs").strip().splitlines()[-1]
    with pytest.raises(CommandError, match=message):
        run_command("revoke_partner_key", key.partition(".")[0], *args)
    assert PartnerAPIKey.objects.is_valid(key)


def test_revoke_partner_key_needs_something_to_revoke():
    with pytest.raises(CommandError, match="name at least one key prefix or a partner"):
        run_command("revoke_partner_key")
