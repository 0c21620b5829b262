"""Output shapes of the API, exactly as the product contract fixes them."""

from rest_framework import serializers

from salaries.models import SalaryStat, Specialization, Technology


class SalaryStatSerializer(serializers.ModelSerializer):
    specialization = serializers.CharField(
        source="specialization_slug", help_text='Specialization slug, or "all".'
    )
    technology = serializers.CharField(
        source="technology_slug", help_text='Technology slug, or "all".'
    )
    url = serializers.SerializerMethodField(help_text="The salary page of this slice.")

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
            "by_seniority",
            "computed_at",
            "url",
        ]

    def get_url(self, stat: SalaryStat) -> str:
        request = self.context.get("request")
        path = stat.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class SpecializationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specialization
        fields = ["slug", "name", "role_title", "description"]


class TechnologySerializer(serializers.ModelSerializer):
    related = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Technology
        fields = ["slug", "name", "description", "related"]
