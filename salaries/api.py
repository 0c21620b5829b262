"""The partner API's views, mounted at ``/api/v1/`` by ``portal.api`` (their OpenAPI
fragments are in ``salaries.api_docs``, the guide page at ``/api/`` in
``salaries.partner_guide``).

Every view reads through ``selectors``; what they all do around their handlers (errors,
CSV, rate-limit headers, the response cache and conditional requests) is
``salaries.api_base.PartnerAPIMixin``.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import (
    OpenApiExample,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, mixins, viewsets
from rest_framework.response import Response

from portal.response_cache import NO_PARAMS, params_of
from salaries import selectors
from salaries.api_base import PAGE_PARAMS, PartnerAPIMixin
from salaries.api_docs import (
    BAD_QUERY,
    ERRORS,
    FACET_PARAMETERS,
    FORMAT,
    NOT_FOUND,
    SLICE_EXAMPLE,
    SLICE_PATH,
    SLUG,
    YEAR_PATH,
    catalogue_schema,
)
from salaries.facets import FACETS, facets_from_query
from salaries.filters import SalaryStatFilter
from salaries.renderers import (
    FACET_ENTRY_COLUMNS,
    STAT_COLUMNS,
    facet_entry_row,
    plain_row,
    stat_row,
)
from salaries.serializers import (
    FacetEntrySerializer,
    SalaryStatHistorySerializer,
    SalaryStatSerializer,
    SpecializationSerializer,
    TechnologySerializer,
)
from salaries.slugs import slice_slug

# --- Statistics ---


@extend_schema_view(
    list=extend_schema(
        operation_id="stats_list",
        summary="List slices",
        description="Published slices, newest year first and most offers first unless "
        "`ordering` says otherwise. Slices without money figures sort last either way. With "
        "one facet (`seniority`, `english_level`, `remote` or `country`), each item is that "
        "breakdown entry of a slice that has it (`FacetEntry`), and `ordering` and "
        "`min_offers` apply to the entry; two facets are a 400 (ask a slice's own URL).",
        tags=["stats"],
        parameters=[FORMAT],
        responses={
            200: PolymorphicProxySerializer(
                component_name="StatsListItem",
                serializers=[SalaryStatSerializer, FacetEntrySerializer],
                resource_type_field_name=None,
                many=True,
            ),
            400: BAD_QUERY,
            404: NOT_FOUND,
            **ERRORS,
        },
        examples=[OpenApiExample("A slice", value=SLICE_EXAMPLE, response_only=True)],
    )
)
class SalaryStatViewSet(PartnerAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published salary statistics, one item per slice (specialization × technology × year)."""

    serializer_class = SalaryStatSerializer
    filterset_class = SalaryStatFilter
    cache_params = params_of(*SalaryStatFilter.base_filters, *PAGE_PARAMS, page="1")
    csv_columns = STAT_COLUMNS
    csv_row = staticmethod(stat_row)

    def get_queryset(self):
        return selectors.salary_stat_queryset().order_by("-year", "-offers", "pk")

    def _facets(self) -> dict[str, str]:
        # Read once the filter set has accepted the query (one facet at most, valid).
        return facets_from_query(self.request.query_params)

    def get_serializer(self, *args, **kwargs):
        facets = self._facets()
        if not facets:
            return super().get_serializer(*args, **kwargs)
        context = {**self.get_serializer_context(), "facets": facets}
        return FacetEntrySerializer(*args, context=context, **kwargs)

    def list(self, request, *args, **kwargs):
        return self.cached(request, partial(self._list, request, *args, **kwargs))

    def _list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self._facets():  # a list of breakdown entries has their columns in CSV
            self.csv_columns, self.csv_row = FACET_ENTRY_COLUMNS, facet_entry_row
        return response


class SalaryStatDetailView(PartnerAPIMixin, generics.RetrieveAPIView):
    """The figures of one slice; ``all`` works in place of either slug. Facets in the
    query string narrow it (computed on demand from the published run's facts)."""

    serializer_class = SalaryStatSerializer
    cache_params = params_of(*FACETS, lower=FACETS)

    def get_object(self):
        specialization = slice_slug(self.kwargs["specialization"])
        technology = slice_slug(self.kwargs["technology"])
        year = int(self.kwargs["year"])
        stat = selectors.salary_stat_get(
            specialization=specialization, technology=technology, year=year
        )
        if stat is None:
            raise exceptions.NotFound(
                f"No published statistics for {specialization} × {technology} × {year}. The "
                f"history of the slice (/api/v1/stats/{specialization}/{technology}/) lists "
                "its years; /api/v1/specializations/ and /api/v1/technologies/ list the slugs."
            )
        facets = facets_from_query(self.request.query_params)
        return selectors.salary_stat_narrowed(stat=stat, facets=facets)

    @extend_schema(
        operation_id="stats_retrieve",
        summary="One slice",
        tags=["stats"],
        parameters=[
            *SLICE_PATH,
            YEAR_PATH,
            *FACET_PARAMETERS,
        ],
        responses={200: SalaryStatSerializer, 400: BAD_QUERY, 404: NOT_FOUND, **ERRORS},
        examples=[OpenApiExample("Back-End × Flask × 2024", value=SLICE_EXAMPLE)],
    )
    def get(self, request, *args, **kwargs):
        return self.cached(request, partial(self.retrieve, request, *args, **kwargs))


class SalaryStatHistoryView(PartnerAPIMixin, generics.GenericAPIView):
    """Every published year of one slice, oldest first, to chart a trend."""

    serializer_class = SalaryStatSerializer
    pagination_class = None
    csv_columns = STAT_COLUMNS
    csv_row = staticmethod(stat_row)

    @extend_schema(
        operation_id="stats_history",
        summary="A slice across the years",
        tags=["stats"],
        parameters=[*SLICE_PATH, FORMAT],
        responses={200: SalaryStatHistorySerializer, 400: BAD_QUERY, 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request, specialization: str, technology: str):
        return self.cached(request, partial(self._history, request, specialization, technology))

    def _history(self, request, specialization: str, technology: str) -> Response:
        specialization, technology = slice_slug(specialization), slice_slug(technology)
        stats = list(
            selectors.salary_stat_history(specialization=specialization, technology=technology)
        )
        if not stats:
            raise exceptions.NotFound(
                f"No published statistics for {specialization} × {technology} in any year. "
                "/api/v1/specializations/ and /api/v1/technologies/ list the slugs."
            )
        return Response(
            {
                "specialization": specialization,
                "technology": technology,
                "count": len(stats),
                **self.citation.fields(),
                "results": self.get_serializer(stats, many=True).data,
            }
        )


# --- What exists ---


class CatalogueViewSet(PartnerAPIMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG

    @property
    def cache_params(self):
        return params_of(*PAGE_PARAMS, page="1") if self.action == "list" else NO_PARAMS

    def list(self, request, *args, **kwargs):
        return self.cached(request, partial(super().list, request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.cached(request, partial(super().retrieve, request, *args, **kwargs))


@extend_schema_view(**catalogue_schema(SpecializationSerializer, "specializations"))
class SpecializationViewSet(CatalogueViewSet):
    """Specializations that offers name, by name."""

    serializer_class = SpecializationSerializer
    csv_columns = ["slug", "name", "role_title", "description"]
    csv_row = staticmethod(plain_row(csv_columns))

    def get_queryset(self):
        return selectors.specialization_list()


@extend_schema_view(**catalogue_schema(TechnologySerializer, "technologies"))
class TechnologyViewSet(CatalogueViewSet):
    """Technologies that offers name, by name, with the ones compared with them."""

    serializer_class = TechnologySerializer
    csv_columns = ["slug", "name", "description", "related"]
    csv_row = staticmethod(plain_row(csv_columns))

    def get_queryset(self):
        return selectors.technology_list()


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path under ``/api/v1/``: a JSON 404 rather than the site's HTML page."""
    return HttpResponse(
        b'{"detail":"No such endpoint. /api/v1/ lists them; the schema is at '
        b'/api/v1/schema/.","code":"not_found"}',
        status=404,
        content_type="application/json",
    )
