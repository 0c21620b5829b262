"""The offer's fields, defined once: the format, the validated row and the stored columns
agree with it."""

from dataclasses import fields

from salaries.importer.columns import (
    FIELDS,
    MODEL_FIELDS,
    OFFER_FIELDS,
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    OfferRow,
)
from salaries.models import Offer


def test_the_format_lists_the_contracts_fields_in_its_order():
    assert REQUIRED_FIELDS == (
        "offer_id", "candidate_id", "offered_on", "specialization", "technologies", "salary",
    )  # fmt: skip
    assert OPTIONAL_FIELDS == (
        "experience_years", "seniority", "country", "english_level", "remote",
    )  # fmt: skip
    assert FIELDS == REQUIRED_FIELDS + OPTIONAL_FIELDS


def test_a_validated_row_holds_exactly_the_fields():
    assert tuple(f.name for f in fields(OfferRow)) == ("line", *FIELDS)


def test_every_stored_field_is_an_offer_field_and_only_the_technologies_are_linked():
    for name in MODEL_FIELDS:
        Offer._meta.get_field(name)  # raises for a field the model lacks
    assert [f.name for f in OFFER_FIELDS if f.model_field is None] == ["technologies"]
