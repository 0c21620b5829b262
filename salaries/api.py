"""Read-only API views over the published statistics (mounted by ``portal.api``)."""

from django.http import Http404
from rest_framework import viewsets

from salaries import selectors
from salaries.filters import SalaryStatFilter
from salaries.serializers import (
    SalaryStatSerializer,
    SpecializationSerializer,
    TechnologySerializer,
)

SLUG = r"[A-Za-z0-9-]{1,50}"


class SalaryStatViewSet(viewsets.ReadOnlyModelViewSet):
    """Published salary statistics, one item per slice (specialization × technology × year)."""

    serializer_class = SalaryStatSerializer
    filterset_class = SalaryStatFilter
    lookup_url_kwarg = "slice"
    lookup_value_regex = rf"{SLUG}/{SLUG}/\d{{4}}"

    def get_queryset(self):
        return selectors.salary_stat_queryset().order_by("-year", "-offers", "pk")

    def get_object(self):
        specialization, technology, year = self.kwargs["slice"].split("/")
        stat = selectors.salary_stat_get(
            specialization=specialization, technology=technology, year=int(year)
        )
        if stat is None:
            raise Http404(f"No published statistics for {specialization} × {technology} × {year}.")
        return stat


class SpecializationViewSet(viewsets.ReadOnlyModelViewSet):
    """Specializations that offers name."""

    serializer_class = SpecializationSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.specialization_list()


class TechnologyViewSet(viewsets.ReadOnlyModelViewSet):
    """Technologies that offers name, with the ones compared with them."""

    serializer_class = TechnologySerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.technology_list()
