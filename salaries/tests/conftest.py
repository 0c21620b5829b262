"""Fixtures of the partner API tests: a client and partner keys."""

import pytest
from rest_framework.test import APIClient

from salaries.partner_keys import partner_key_create


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_key(db):
    """Make a key for a partner; returns ``(PartnerAPIKey, key)``."""

    def make(partner: str = "Acme Jobs", *, rate: str = "1000/hour", **kwargs):
        return partner_key_create(partner_name=partner, rate=rate, **kwargs)

    return make
