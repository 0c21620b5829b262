"""Output shapes of the API, exactly as the product contract fixes them.

``histogram`` and ``by_seniority`` are stored in the published rows already in their
published shape, so they pass through as they are; the small serializers below only
describe them to the OpenAPI schema.
"""

from django.conf import settings
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salaries.disclosure import Withheld
from salaries.facets import filters_json
from salaries.models import SalaryStat, Specialization, Technology
from salaries.pagination import methodology_url

MONEY = "US dollars per month, whole; null when withheld (see withheld)."
WITHHELD = (
    "Which disclosure rule withheld money figures, the first that failed: min_offers (too "
    "few offers), min_candidates (too few distinct candidates), dominance (one candidate "
    "holds the maximum share of the offers or more), complement (a faceted cell, such as a "
    "breakdown entry or a filtered slice, whose parent cell without one of its facets has "
    "too few people outside it); tails when only p10 and p90 are withheld (too "
    "few candidates for them); null when every figure is published. offers and candidates "
    "are always published."
)

# "from" is a Python keyword, so the band's fields are given as a mapping.
HistogramBandSerializer = serializers.SerializerMetaclass(
    "HistogramBand",
    (serializers.Serializer,),
    {
        "__doc__": "One $500 band of salary expectations.",
        "from": serializers.IntegerField(help_text="Lowest salary in the band, inclusive."),
        "to": serializers.IntegerField(help_text="End of the band, exclusive (from + 500)."),
        "label": serializers.CharField(help_text='The lower bound in thousands, e.g. "5.5k+".'),
        "offers": serializers.IntegerField(help_text="Offers whose salary falls in the band."),
    },
)


class SeniorityFiguresSerializer(serializers.Serializer):
    """The figures of one breakdown entry (a seniority level, an English level, remote or
    office, a country), with the disclosure rules applied to the entry on its own and the
    complement rule against the rest of its cell."""

    offers = serializers.IntegerField(help_text="Offers with this value.")
    candidates = serializers.IntegerField(help_text="Distinct candidates with this value.")
    median = serializers.IntegerField(allow_null=True, help_text=f"Median. {MONEY}")
    p25 = serializers.IntegerField(allow_null=True, help_text=f"25th percentile. {MONEY}")
    p75 = serializers.IntegerField(allow_null=True, help_text=f"75th percentile. {MONEY}")
    withheld = serializers.ChoiceField(
        choices=Withheld.choices,
        allow_null=True,
        help_text=f"{WITHHELD} An entry carries no p10 or p90, so never tails.",
    )


class FiltersSerializer(serializers.Serializer):
    """The facets that narrow an answer; empty for a plain slice."""

    seniority = serializers.CharField(required=False, help_text="junior, middle, senior, expert")
    english_level = serializers.CharField(required=False)
    remote = serializers.BooleanField(required=False)
    country = serializers.CharField(required=False, help_text="Upper-case ISO 3166-1 code.")


class BySenioritySerializer(serializers.Serializer):
    """Only the levels present among the slice's offers appear."""

    junior = SeniorityFiguresSerializer(required=False, help_text="Under 2 years.")
    middle = SeniorityFiguresSerializer(required=False, help_text="2 to under 5 years.")
    senior = SeniorityFiguresSerializer(required=False, help_text="5 to under 8 years.")
    expert = SeniorityFiguresSerializer(required=False, help_text="8 years and more.")


class ByEnglishLevelSerializer(serializers.Serializer):
    """Only the English levels present among the slice's offers appear."""

    basic = SeniorityFiguresSerializer(required=False)
    intermediate = SeniorityFiguresSerializer(required=False)
    upper_intermediate = SeniorityFiguresSerializer(required=False)
    advanced = SeniorityFiguresSerializer(required=False)
    fluent = SeniorityFiguresSerializer(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["upper-intermediate"] = fields.pop("upper_intermediate")
        return fields


class ByRemoteSerializer(serializers.Serializer):
    """Remote (``"true"``) and office (``"false"``) offers, where present."""

    true = SeniorityFiguresSerializer(required=False, help_text="Remote offers.")
    false = SeniorityFiguresSerializer(required=False, help_text="Office offers.")


@extend_schema_field(HistogramBandSerializer(many=True, allow_null=True))
class HistogramField(serializers.JSONField):
    pass


@extend_schema_field(BySenioritySerializer)
class BySeniorityField(serializers.JSONField):
    pass


@extend_schema_field(ByEnglishLevelSerializer)
class ByEnglishLevelField(serializers.JSONField):
    pass


@extend_schema_field(ByRemoteSerializer)
class ByRemoteField(serializers.JSONField):
    pass


@extend_schema_field(serializers.DictField(child=SeniorityFiguresSerializer()))
class ByCountryField(serializers.JSONField):
    pass


def faceted_url(request, path: str, facets: dict) -> str:
    """The salary page of a slice, narrowed by ``facets`` in its query string."""
    if facets:
        path = f"{path}?{urlencode(facets)}"
    return request.build_absolute_uri(path) if request else path


class SalaryStatSerializer(serializers.ModelSerializer):
    """The figures of one slice: a specialization (or all) × a technology (or all) × a
    year."""

    specialization = serializers.CharField(
        source="specialization_slug", help_text='Specialization slug, or "all".'
    )
    technology = serializers.CharField(
        source="technology_slug", help_text='Technology slug, or "all".'
    )
    histogram = HistogramField(
        read_only=True,
        help_text="Offers in $500 bands, without gaps from the lowest non-empty band to the "
        "highest; null when withheld (see withheld).",
    )
    by_seniority = BySeniorityField(
        read_only=True, help_text="The same figures for each seniority level present."
    )
    by_english_level = ByEnglishLevelField(
        read_only=True, help_text="The same figures for each English level present."
    )
    by_remote = ByRemoteField(
        read_only=True, help_text='The same figures for remote ("true") and office ("false").'
    )
    by_country = ByCountryField(
        read_only=True,
        help_text="The same figures for each country present, keyed by upper-case ISO 3166-1 code.",
    )
    withheld = serializers.ChoiceField(
        choices=Withheld.choices, allow_null=True, read_only=True, help_text=WITHHELD
    )
    filters = serializers.SerializerMethodField(
        help_text="The facets that narrow this answer: {} for a plain slice."
    )
    url = serializers.SerializerMethodField(help_text="The salary page of this slice.")
    methodology = serializers.SerializerMethodField(
        help_text="How the figures are computed: cite it with them."
    )
    min_sample_size = serializers.SerializerMethodField(
        help_text="Money figures are published only for slices with at least this many offers."
    )

    class Meta:
        model = SalaryStat
        fields = [
            "specialization",
            "technology",
            "year",
            "offers",
            "candidates",
            "median",
            "mean",
            "p10",
            "p25",
            "p75",
            "p90",
            "histogram",
            "withheld",
            "filters",
            "by_seniority",
            "by_english_level",
            "by_remote",
            "by_country",
            "computed_at",
            "url",
            "methodology",
            "min_sample_size",
        ]
        extra_kwargs = {
            "year": {"help_text": "Calendar year of the offers."},
            "offers": {"help_text": "Number of offers (one per offer a candidate received)."},
            "candidates": {"help_text": 'Distinct candidates ("Candidates" on the site).'},
            "median": {"help_text": f"Offer-weighted median salary expectation. {MONEY}"},
            "mean": {"help_text": f"Arithmetic mean. {MONEY}"},
            "p10": {"help_text": f"10th percentile (linear interpolation). {MONEY}"},
            "p25": {"help_text": f"25th percentile. {MONEY}"},
            "p75": {"help_text": f"75th percentile. {MONEY}"},
            "p90": {"help_text": f"90th percentile. {MONEY}"},
            "computed_at": {"help_text": "When this slice was computed (UTC)."},
        }

    @extend_schema_field(FiltersSerializer)
    def get_filters(self, stat: SalaryStat) -> dict:
        return filters_json(getattr(stat, "facets", {}))

    def get_url(self, stat: SalaryStat) -> str:
        facets = getattr(stat, "facets", {})
        return faceted_url(self.context.get("request"), stat.get_absolute_url(), facets)

    @extend_schema_field(OpenApiTypes.URI)
    def get_methodology(self, stat: SalaryStat) -> str:
        return methodology_url(self.context["request"])

    def get_min_sample_size(self, stat: SalaryStat) -> int:
        return settings.SALARY_MIN_OFFERS


class FacetEntrySerializer(serializers.Serializer):
    """One slice's breakdown entry for the facet a list asks for: the entry's figures
    with the slice it belongs to; no other figures."""

    specialization = serializers.CharField(help_text='Specialization slug, or "all".')
    technology = serializers.CharField(help_text='Technology slug, or "all".')
    year = serializers.IntegerField(help_text="Calendar year of the offers.")
    offers = serializers.IntegerField(help_text="Offers of the slice with this value.")
    candidates = serializers.IntegerField(help_text="Their distinct candidates.")
    median = serializers.IntegerField(allow_null=True, help_text=f"Median. {MONEY}")
    p25 = serializers.IntegerField(allow_null=True, help_text=f"25th percentile. {MONEY}")
    p75 = serializers.IntegerField(allow_null=True, help_text=f"75th percentile. {MONEY}")
    withheld = serializers.ChoiceField(
        choices=Withheld.choices, allow_null=True, help_text=f"{WITHHELD} Never tails."
    )
    filters = FiltersSerializer(help_text="The facet the list asked for.")
    url = serializers.URLField(help_text="The salary page of the slice, narrowed to the facet.")

    def to_representation(self, stat: SalaryStat) -> dict:
        ((facet, value),) = self.context["facets"].items()
        entry = getattr(stat, f"by_{facet}")[value]
        return {
            "specialization": stat.specialization_slug,
            "technology": stat.technology_slug,
            "year": stat.year,
            **{name: entry[name] for name in FACET_ENTRY_FIGURES},
            "filters": filters_json({facet: value}),
            "url": faceted_url(
                self.context.get("request"), stat.get_absolute_url(), {facet: value}
            ),
        }


FACET_ENTRY_FIGURES = ("offers", "candidates", "median", "p25", "p75", "withheld")


class SpecializationSerializer(serializers.ModelSerializer):
    """A role, such as back-end or data science."""

    class Meta:
        model = Specialization
        fields = ["slug", "name", "role_title", "description"]
        extra_kwargs = {
            "slug": {"help_text": "Identifier used in URLs and filters."},
            "name": {"help_text": "Display name."},
            "role_title": {
                "help_text": 'How a person in the role is called, e.g. "Back-End Web '
                'Developer"; may be empty.'
            },
            "description": {"help_text": "One or two sentences; may be empty."},
        }


class TechnologySerializer(serializers.ModelSerializer):
    """A language, framework, database or tool named in offers."""

    related = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Slugs of the technologies compared with this one.",
    )

    class Meta:
        model = Technology
        fields = ["slug", "name", "description", "related"]
        extra_kwargs = {
            "slug": {"help_text": "Identifier used in URLs and filters."},
            "name": {"help_text": "Display name."},
            "description": {"help_text": "One or two sentences; may be empty."},
        }


class SalaryStatHistorySerializer(serializers.Serializer):
    """Every year of one slice, oldest first (documentation of the history response)."""

    specialization = serializers.CharField(help_text='Specialization slug, or "all".')
    technology = serializers.CharField(help_text='Technology slug, or "all".')
    count = serializers.IntegerField(help_text="Number of years with published figures.")
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the published statistics were last computed (UTC)."
    )
    methodology = serializers.URLField(help_text="How the figures are computed.")
    min_sample_size = serializers.IntegerField(
        help_text="Money figures are published only for slices with at least this many offers."
    )
    results = SalaryStatSerializer(many=True, help_text="One slice per year, oldest first.")


class ErrorSerializer(serializers.Serializer):
    """An error a person can act on."""

    detail = serializers.CharField(help_text="What went wrong and what to do about it.")
    code = serializers.CharField(help_text="A stable, machine-readable reason.")
