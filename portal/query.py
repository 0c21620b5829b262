"""Reading what a visitor or partner typed into a query string.

Two rules hold for every public page and API: a parameter that takes one value is given
once (a repeat is a 400 naming it, never a silent choice of one of the values), and no
value holds a NUL character (no database stores one; PostgreSQL refuses the query).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import QueryDict


class BadQueryParameter(BadRequest):
    """A 400 about one query parameter; ``str()`` is a sentence a person can act on.

    Error handlers answer it as ``{parameter: [message]}`` in the partner API and as the
    site's 400 page elsewhere."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def repeated_message(name: str, count: int) -> str:
    return f'The parameter "{name}" is given {count} times; give it once.'


def one_value(query: QueryDict, name: str, default: str = "") -> str:
    """The single value of ``name`` in ``query`` (``default`` when absent)."""
    values = query.getlist(name)
    if len(values) > 1:
        raise BadQueryParameter(name, repeated_message(name, len(values)))
    return values[0] if values else default


def null_character_check(query: QueryDict) -> None:
    """Raise ``BadQueryParameter`` if a parameter's name or value holds a NUL."""
    for name, values in query.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            shown = name.replace("\x00", "\\x00")
            raise BadQueryParameter(
                shown, f'The parameter "{shown}" holds a null character (%00); remove it.'
            )


def whole_number(raw: str, *, low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high``, or ``None``: only ASCII digits
    count, so superscripts ("²"), other scripts' digits ("١٢٣"), "1e400" and ten thousand
    digits are all simply not a number here."""
    raw = raw.strip()
    if not raw or len(raw) > len(str(high)) or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if low <= value <= high else None
