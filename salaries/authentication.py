"""Partner API keys: ``Authorization: Api-Key <key>``.

No header means an anonymous request (allowed at the low anonymous rate). A header that is
not a well-formed key, or a key nobody issued, is a 401; a real key that was revoked, has
expired or belongs to an inactive partner is a 403, so a partner can tell "fix the header"
from "get a new key".
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from salaries import selectors

KEYWORD = "Api-Key"
# djangorestframework-api-key makes keys of 8 + 32 ASCII letters and digits.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$")


def key_prefix(request) -> str | None:
    """The prefix of a well-formed key in the request's header, else ``None``."""
    scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    key = key.strip()
    if scheme.lower() == KEYWORD.lower() and KEY_PATTERN.match(key):
        return key.partition(".")[0]
    return None


class PartnerKeyAuthentication(BaseAuthentication):
    """Authenticates a request as one of a partner's keys: ``request.auth`` is the
    ``PartnerAPIKey`` (with its partner), ``request.user`` stays anonymous. The key is
    read through the shared cache (``selectors.partner_key_get``), not the database."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "").strip()
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != KEYWORD.lower():
            raise exceptions.AuthenticationFailed(
                f'Send the key as "Authorization: {KEYWORD} <key>".', code="malformed_header"
            )
        key = key.strip()
        if not KEY_PATTERN.match(key):
            raise exceptions.AuthenticationFailed(
                "Malformed API key: a key is 8 letters or digits, a dot, then 32 more, "
                "exactly as it was shown when it was made.",
                code="malformed_key",
            )
        api_key = selectors.partner_key_get(prefix=key.partition(".")[0])
        if api_key is None or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed(
                "Unknown API key. Check that it was copied whole, or ask for a new one.",
                code="unknown_key",
            )
        if api_key.revoked:
            raise exceptions.PermissionDenied(
                f"The API key {api_key.prefix}… was revoked. Use another key or ask for a new one.",
                code="revoked_key",
            )
        if api_key.has_expired:
            when = timezone.localtime(api_key.expiry_date).strftime("%Y-%m-%d %H:%M %Z")
            raise exceptions.PermissionDenied(
                f"The API key {api_key.prefix}… expired on {when}. Ask for a new one.",
                code="expired_key",
            )
        if not api_key.partner.active:
            raise exceptions.PermissionDenied(
                "This partner's access is suspended. Contact us to restore it.",
                code="inactive_partner",
            )
        return AnonymousUser(), api_key

    def authenticate_header(self, request) -> str:
        # Makes failures a 401 with WWW-Authenticate rather than a 403.
        return f'{KEYWORD} realm="api"'
