"""Partner keys made and revoked by the service functions the commands and the admin use.
(The commands' own messages and exit codes: ``test_command_partner_keys.py``.)"""

import pytest

from salaries.models import Partner, PartnerAPIKey
from salaries.partner_keys import partner_key_create, partner_keys_revoke

pytestmark = pytest.mark.django_db


def test_keys_are_numbered_per_partner_and_a_new_rate_or_contact_is_kept():
    first, _ = partner_key_create(partner_name="  Acme Jobs ", rate="10/minute")
    second, key = partner_key_create(
        partner_name="Acme Jobs", rate=" 20/Hour ", contact_email="api@acme.example"
    )
    assert (first.name, second.name) == ("Acme Jobs #1", "Acme Jobs #2")
    partner = Partner.objects.get()
    assert (partner.rate, partner.contact_email) == ("20/hour", "api@acme.example")
    assert PartnerAPIKey.objects.is_valid(key)


def test_a_long_partner_name_still_gets_a_key_name_within_its_column():
    api_key, _ = partner_key_create(partner_name="A" * 80)
    assert len(api_key.name) == 50


def test_revoking_returns_only_the_keys_revoked_now():
    _, first = partner_key_create(partner_name="Acme Jobs")
    _, second = partner_key_create(partner_name="Acme Jobs")
    assert [k.name for k in partner_keys_revoke(prefixes=[first])] == ["Acme Jobs #1"]
    revoked = partner_keys_revoke(prefixes=[first], partner_name="Acme Jobs")
    assert [k.name for k in revoked] == ["Acme Jobs #2"]
    assert not PartnerAPIKey.objects.is_valid(first) and not PartnerAPIKey.objects.is_valid(second)


def test_an_unknown_prefix_revokes_nothing_even_beside_a_known_one():
    _, key = partner_key_create(partner_name="Acme Jobs")
    with pytest.raises(ValueError, match="no API key with the prefix NOPE"):
        partner_keys_revoke(prefixes=[key, "NOPE.x"])
    assert PartnerAPIKey.objects.is_valid(key)


def test_a_rate_is_stored_the_same_way_from_the_admin_and_the_command(db):
    from salaries.models import Partner

    partner = Partner(name="Typed in the admin", rate=" 1000/HOUR ")
    partner.full_clean()
    assert partner.rate == "1000/hour"
    key, _ = partner_key_create(partner_name="From the command", rate=" 1000/HOUR ")
    assert key.partner.rate == "1000/hour"
