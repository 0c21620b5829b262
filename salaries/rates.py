"""Request rates of partner keys: ``N/second``, ``N/minute``, ``N/hour`` or ``N/day``, one
parser for the command, the admin and the throttle."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

RATE_PATTERN = re.compile(r"^(?P<count>[1-9]\d{0,8})/(?P<period>second|minute|hour|day)$")
RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """``"1000/hour"`` -> ``(1000, 3600)``: requests allowed and the window in seconds."""
    match = RATE_PATTERN.match(rate.strip().lower())
    if not match:
        raise ValueError(
            f'rate must look like 1000/hour (N/second, N/minute, N/hour or N/day), got "{rate}"'
        )
    return int(match["count"]), RATE_PERIODS[match["period"]]


def rate_normalise(rate: str) -> str:
    """The rate as it is stored: ``" 1000/HOUR "`` -> ``"1000/hour"``; raises ``ValueError``
    (with a message a person can act on) when it is not ``N/second|minute|hour|day``."""
    rate = rate.strip().lower()
    rate_parse(rate)
    return rate


def validate_rate(value: str) -> None:
    """``rate_normalise`` as a form and model validator."""
    try:
        rate_normalise(value)
    except ValueError as error:
        raise ValidationError(str(error).capitalize(), code="invalid_rate") from error


def default_partner_rate() -> str:
    return settings.API_PARTNER_RATE
