"""Partner API keys: making one (``partner_key_create``) and revoking them
(``partner_keys_revoke``). Keys are stored only hashed; revocation is final.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from salaries.models import Partner, PartnerAPIKey
from salaries.rates import rate_normalise


@transaction.atomic
def partner_key_create(
    *,
    partner_name: str,
    rate: str | None = None,
    contact_email: str = "",
    expires_at: datetime | None = None,
) -> tuple[PartnerAPIKey, str]:
    """Make a new API key for a partner (created on first use). Returns the key object
    and the key itself, which is stored only hashed and cannot be shown again."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError("the expiry date must be in the future")
    partner_name = partner_name.strip()
    if not partner_name:
        raise ValueError("the partner name must not be empty")
    partner, created = Partner.objects.get_or_create(name=partner_name)
    changed = []
    if rate is not None:
        partner.rate = rate_normalise(rate)
        changed.append("rate")
    if contact_email:
        partner.contact_email = contact_email
        changed.append("contact_email")
    if changed and not created:
        partner.save(update_fields=changed)
    elif changed:
        partner.save()
    number = partner.api_keys.count() + 1
    api_key, key = PartnerAPIKey.objects.create_key(
        name=f"{partner.name} #{number}"[:50], partner=partner, expiry_date=expires_at
    )
    return api_key, key


@transaction.atomic
def partner_keys_revoke(
    *, prefixes: Iterable[str] = (), partner_name: str | None = None
) -> list[PartnerAPIKey]:
    """Revoke keys by prefix (a whole key works too: only its prefix is read) and/or
    every key of a partner. Revocation is final. Returns the keys revoked now; raises
    ``ValueError`` naming what matched nothing, and then revokes nothing."""
    wanted = {value.strip().partition(".")[0] for value in prefixes if value.strip()}
    keys = list(PartnerAPIKey.objects.select_related("partner").filter(prefix__in=wanted))
    missing = sorted(wanted - {key.prefix for key in keys})
    if missing:
        raise ValueError(f"no API key with the prefix {', '.join(missing)}")
    if partner_name is not None:
        partner = Partner.objects.filter(name=partner_name.strip()).first()
        if partner is None:
            raise ValueError(f'no partner named "{partner_name.strip()}"')
        keys += [key for key in partner.api_keys.select_related("partner") if key not in keys]
    if not keys:
        raise ValueError("name at least one key prefix or a partner")
    revoked = []
    for key in keys:
        if not key.revoked:
            key.revoked = True
            key.save(update_fields=["revoked"])
            revoked.append(key)
    return revoked
