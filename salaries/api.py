"""The partner API's views, mounted at ``/api/v1/`` by ``portal.api`` (their OpenAPI
fragments are in ``salaries.api_docs``, the guide page at ``/api/`` in
``salaries.partner_guide``).

Every view reads through ``selectors``. Successful JSON and CSV responses are kept in the
site's response cache (``portal.response_cache``: one round trip reads the statistics
generation, the content version and the entry) and carry an ``ETag`` derived from them, so
a conditional request is answered with a 304 before anything is built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, mixins, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.query import BadQueryParameter
from portal.response_cache import (
    NO_PARAMS,
    KeyedLookup,
    cache_key,
    cache_lookup,
    params_of,
)
from salaries import selectors
from salaries.api_docs import (
    BAD_QUERY,
    ERRORS,
    FACET_PARAMETERS,
    FORMAT,
    NOT_FOUND,
    SLICE_EXAMPLE,
    SLICE_PATH,
    SLUG,
    catalogue_schema,
)
from salaries.authentication import key_prefix
from salaries.facets import FACETS, facets_from_query
from salaries.filters import MAX_YEAR, MIN_YEAR, SalaryStatFilter
from salaries.pagination import citation
from salaries.renderers import (
    FACET_ENTRY_COLUMNS,
    STAT_COLUMNS,
    CSVRenderer,
    facet_entry_row,
    plain_row,
    stat_row,
)
from salaries.selectors import statistics_snapshot
from salaries.serializers import (
    FacetEntrySerializer,
    SalaryStatHistorySerializer,
    SalaryStatSerializer,
    SpecializationSerializer,
    TechnologySerializer,
)
from salaries.slugs import slice_slug
from salaries.throttling import rate_counter_guess, rate_hit, wait_seconds

ENTRY_PREFIX = "responses:api:"
PAGE_PARAMS = ("page", "page_size", "format")
CACHED_FORMATS = {"json", "csv"}
CONDITIONAL_HEADERS = {
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
}


def exception_handler(exc, context):
    """DRF's handler, plus a machine-readable ``code`` next to every ``detail``; a bad query
    parameter found outside a form is a 400 in the same shape as a form's."""
    if isinstance(exc, BadQueryParameter):
        exc = exceptions.ValidationError({exc.parameter: [exc.message]}, code="invalid")
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        if isinstance(exc, exceptions.APIException):
            code = exc.get_codes()
        else:
            code = "not_found" if isinstance(exc, Http404) else "permission_denied"
        response.data["code"] = code if isinstance(code, str) else "error"
    return response


class PartnerAPIMixin:
    """What every endpoint of the partner API does around its handler: CSV on lists,
    JSON errors whatever format was asked for, rate-limit headers, and the
    generation-keyed cache with conditional requests."""

    csv_columns: list[str] | None = None
    csv_row: Callable[[dict], list]
    # The query parameters an endpoint reads: its cache key and its pagination links use
    # only these (besides the format, which content negotiation has settled).
    cache_params = NO_PARAMS

    def throttled(self, request, wait):
        limit = getattr(request, "rate_limit", None)
        who = "this key" if request.auth is not None else "requests without a key"
        detail = (
            f"Over the rate limit of {limit.limit} requests per window for {who}."
            if limit
            else "Over the rate limit."
        )
        raise exceptions.Throttled(wait, detail=detail)

    def initial(self, request, *args, **kwargs):
        # A method the endpoint does not have is a 405, whatever the query string says
        # (DRF would negotiate the format, and answer a bad one with a 400, first).
        if request.method not in self.allowed_methods:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_renderers(self):
        renderers = super().get_renderers()
        # CSV holds a list's rows; OPTIONS describes the endpoint, which only JSON can.
        listing = getattr(self, "action", "list") == "list" and self.request.method != "OPTIONS"
        if self.csv_columns and listing:
            renderers.append(CSVRenderer())
        return renderers

    def perform_authentication(self, request):
        # The response cache and the key's cache entry are read, and the request counted
        # against its rate limit, in one round trip before the key is checked (content
        # negotiation has picked the format by now).
        self._lookup = self._conditional = self._store = None
        if request.method in ("GET", "HEAD") and request.accepted_renderer.format in (
            CACHED_FORMATS
        ):
            prefix = key_prefix(request)
            key_entry = selectors.partner_key_cache_name(prefix) if prefix else None
            entry_key = cache_key(
                request,
                self.cache_params,
                prefix=f"{ENTRY_PREFIX}{request.accepted_renderer.format}:",
            )
            counter = rate_counter_guess(request)
            found = cache_lookup(entry_key, also=[key_entry] if key_entry else [], count=counter)
            self._lookup = KeyedLookup(entry_key, found.generation, found.version, found.entry)
            if key_entry in found.also:
                request.partner_key_entry = found.also[key_entry]
            if counter:
                request.rate_counted = (counter[0], found.count)
        try:
            super().perform_authentication(request)
        except exceptions.AuthenticationFailed:
            # A malformed or unknown key is an anonymous request as far as limits go: it
            # counts against its client address, so guessing keys is throttled too.
            state, allowed, now = rate_hit(request, None)
            if not allowed:
                raise exceptions.Throttled(
                    wait_seconds(state, now),
                    detail=f"Over the rate limit of {state.limit} requests per window for "
                    "requests without a valid key.",
                ) from None
            raise

    def cached(self, request, build: Callable[[], HttpResponse]) -> HttpResponse:
        """Answer from the cache when the entry is current, with a 304 when the client
        holds it already, else ``build()`` the response (stored on the way out)."""
        if self._lookup is None:
            return build()
        found = self._lookup
        tag = hashlib.sha1(f"{found.version}:{found.key}".encode(), usedforsecurity=False)
        etag = f'"g{found.generation}-{tag.hexdigest()[:20]}"'
        last_modified = found.entry.last_modified if found.entry else None
        self._conditional = (etag, last_modified)
        if CONDITIONAL_HEADERS & request.META.keys():
            not_modified = get_conditional_response(
                request._request, etag=etag, last_modified=last_modified
            )
            if not_modified is not None and not_modified.status_code == 412:
                return Response(
                    {
                        "detail": "The figures have changed since the version named in "
                        "If-Match (or If-Unmodified-Since); fetch them again.",
                        "code": "precondition_failed",
                    },
                    status=412,
                )
            if not_modified is not None:
                return not_modified
        if found.entry:
            return found.entry.response()
        self._store = found
        with statistics_snapshot():
            citation(request)  # the run, read in the same snapshot as the figures
            return build()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and response.accepted_renderer.format not in ("json", "api")
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        rate_limit = getattr(request, "rate_limit", None)
        if rate_limit is not None:
            for header, value in rate_limit.headers().items():
                response[header] = value
        conditional = getattr(self, "_conditional", None)
        if conditional is None or response.status_code not in (200, 304):
            return response
        etag, last_modified = conditional
        fresh = response.status_code == 200 and isinstance(response, Response)
        store = self._store if fresh else None
        if store:
            computed_at = citation(request)["computed_at"]
            run = getattr(request, "_stats_run", store.generation)
            if run != store.generation:
                # A statistics run was published between the generation read and the
                # figures read: the answer holds the new run's figures, so it says so in
                # its ETag, and it is not stored under the old generation.
                etag = etag.replace(f'"g{store.generation}-', f'"g{run}-', 1)
                store = None
            last_modified = int(computed_at.timestamp()) if computed_at else None
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified)
        if store:
            response.render()
            store.store(
                response, etag=etag, last_modified=last_modified, timeout=settings.API_CACHE_SECONDS
            )
        elif last_modified is not None and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified)
        response["ETag"] = etag
        response["Cache-Control"] = f"private, max-age={settings.API_MAX_AGE}"
        return response


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
        if self._facets():
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
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                OpenApiParameter.PATH,
                description=f"Calendar year, {MIN_YEAR} to {MAX_YEAR}.",
            ),
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
                **citation(request),
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
