"""Output shapes of the API, exactly as the product contract fixes them.

``histogram`` and ``by_seniority`` are stored in the published rows already in their
published shape, so they pass through as they are; the small serializers below only
describe them to the OpenAPI schema.
"""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from salaries.disclosure import Withheld
from salaries.models import SalaryStat, Specialization, Technology
from salaries.pagination import methodology_url

MONEY = "US dollars per month, whole; null when withheld (see withheld)."
WITHHELD = (
    "Which disclosure rule withheld money figures, the first that failed: min_offers (too "
    "few offers), min_candidates (too few distinct candidates), dominance (one candidate "
    "holds the maximum share of the offers or more), complement (a seniority level whose "
    "slice has too few people outside it); tails when only p10 and p90 are withheld (too "
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
    """The figures of one seniority level, with the disclosure rules applied to the level
    on its own and the complement rule against the rest of its slice."""

    offers = serializers.IntegerField(help_text="Offers at this level.")
    candidates = serializers.IntegerField(help_text="Distinct candidates at this level.")
    median = serializers.IntegerField(allow_null=True, help_text=f"Median. {MONEY}")
    p25 = serializers.IntegerField(allow_null=True, help_text=f"25th percentile. {MONEY}")
    p75 = serializers.IntegerField(allow_null=True, help_text=f"75th percentile. {MONEY}")
    withheld = serializers.ChoiceField(
        choices=Withheld.choices,
        allow_null=True,
        help_text=f"{WITHHELD} A level carries no p10 or p90, so never tails.",
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


@extend_schema_field(HistogramBandSerializer(many=True, allow_null=True))
class HistogramField(serializers.JSONField):
    pass


@extend_schema_field(BySenioritySerializer)
class BySeniorityField(serializers.JSONField):
    pass


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
            "computed_at",
            "url",
            "methodology",
            "min_sample_size",
        ]
        extra_kwargs = {
            "year": {"help_text": "Calendar year of the offers."},
            "offers": {"help_text": "Number of offers (one per offer a candidate received)."},
            "candidates": {"help_text": 'Distinct candidates ("proposals" on the site).'},
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
        return {}

    def get_url(self, stat: SalaryStat) -> str:
        request = self.context.get("request")
        path = stat.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_methodology(self, stat: SalaryStat) -> str:
        return methodology_url(self.context["request"])

    def get_min_sample_size(self, stat: SalaryStat) -> int:
        return settings.SALARY_MIN_OFFERS


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
