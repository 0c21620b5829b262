"""Slugs: the one rule for the slugs of specializations and technologies, and how a slice
reads the slugs in its URL (``all`` is the roll-up across every value)."""

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from salaries.models import Specialization, Technology

ALL = "all"  # the reserved slug: every specialization or every technology

# The slug of a specialization or technology, wherever one is made (import, admin):
# lower-case ASCII letters, digits and hyphens, at most 50 characters, starting with a
# letter or a digit (so that no spreadsheet reads "-2-3" as a sum), and not ``all``.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,49}", re.ASCII)
SLUG_RULE = (
    "lower-case letters, digits and hyphens, starting with a letter or a digit, "
    "at most 50 characters"
)
SLUG_RESERVED = f'"{ALL}" is reserved for the roll-up across every value'


def slug_problem(value: str) -> str | None:
    """Why ``value`` is not a valid slug, or None when it is one."""
    if not SLUG_RE.fullmatch(value):
        return f"must be {SLUG_RULE}"
    if value == ALL:
        return SLUG_RESERVED
    return None


def validate_catalogue_slug(value: str) -> None:
    """The slug rule as a model field validator, for the admin's forms."""
    if problem := slug_problem(value):
        raise ValidationError(f"The slug {problem}.", code="invalid")


def slice_slug(value: str) -> str:
    """A slug as a slice reads it: surrounding blanks dropped, lower case (``"All"`` is
    ``all``)."""
    return value.strip().lower()


def slug_or_all(item: "Specialization | Technology | None") -> str:
    """The slug of a chosen specialization or technology; ``all`` when none is chosen."""
    return item.slug if item is not None else ALL


def slice_lookup(field: str, slug: str) -> dict:
    """The ORM filter for one dimension of a slice: ``all`` is the roll-up (the column is
    empty), anything else the row with that slug, in any case."""
    slug = slice_slug(slug)
    if slug == ALL:
        return {f"{field}__isnull": True}
    return {f"{field}__slug": slug}
