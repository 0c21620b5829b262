"""The offer's fields, defined once: the import format, the validated row, the staging
table and the two write paths all read this table.

Each field is named as the import format names it (and as ``OfferRow`` holds it). Most
are stored unchanged in the ``Offer`` column of the same name; three are resolved first:
the candidate by its external id, the specialization by its slug, the technologies into
the link table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class OfferField:
    name: str
    required: bool
    # The Offer model field it ends up in; None for the technologies (the link table).
    model_field: str | None
    # Its type in PostgreSQL's staging table: the value as validated, with the
    # specialization and the technologies already resolved to ids.
    stage_type: str


# In the order of the import format's table: error messages and the columns of a JSON
# Lines rejects file follow it.
OFFER_FIELDS = (
    OfferField("offer_id", True, "offer_id", "text"),
    OfferField("candidate_id", True, "candidate", "text"),
    OfferField("offered_on", True, "offered_on", "date"),
    OfferField("specialization", True, "specialization", "bigint"),
    OfferField("technologies", True, None, "bigint[]"),
    OfferField("salary", True, "salary", "integer"),
    OfferField("experience_years", False, "experience_years", "numeric(5, 2)"),
    OfferField("seniority", False, "seniority", "text"),
    OfferField("country", False, "country", "text"),
    OfferField("english_level", False, "english_level", "text"),
    OfferField("remote", False, "remote", "boolean"),
)
FIELDS = tuple(f.name for f in OFFER_FIELDS)
REQUIRED_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.required)
OPTIONAL_FIELDS = tuple(f.name for f in OFFER_FIELDS if not f.required)
# The Offer model fields an import writes, in the order above.
MODEL_FIELDS = tuple(f.model_field for f in OFFER_FIELDS if f.model_field)


@dataclass(frozen=True, slots=True)
class OfferRow:
    """One validated row; its fields after ``line`` are ``FIELDS`` (a test holds them to it)."""

    line: int
    offer_id: str
    candidate_id: str
    offered_on: date
    specialization: str
    technologies: tuple[str, ...]
    salary: int
    experience_years: Decimal | None
    seniority: str
    country: str
    english_level: str
    remote: bool | None
