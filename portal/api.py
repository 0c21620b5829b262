"""The API routers, in one place: ``/api/v1/`` (salary statistics, DRF: every app
registers its viewsets here, next to the schema, its interactive docs with assets served
locally and a JSON 404 for the rest) and ``/api/v2/`` (the Wagtail content API: pages and
images, for partners who publish our articles)."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from articles.views import search_terms
from portal.query import repeated_message, whole_number
from salaries import api as salaries_api
from salaries import api_docs
from salaries.api_rank import SalaryStatRankView

# The browsable root lists every endpoint registered below. The format is chosen with
# ``?format=`` (as the schema says), not with a ``.json`` / ``.csv`` suffix.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("stats", salaries_api.SalaryStatViewSet, basename="stats")
router.register("specializations", salaries_api.SpecializationViewSet, basename="specialization")
router.register("technologies", salaries_api.TechnologyViewSet, basename="technology")


class JSONErrorsAndOptions:
    """For the schema and docs views, which render YAML or HTML: their errors (an unknown
    ``?format=``) and their OPTIONS answers are JSON, like everything else under /api/."""

    def perform_content_negotiation(self, request, force=False):
        if request.method == "OPTIONS":
            return (JSONRenderer(), JSONRenderer.media_type)
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class SchemaView(JSONErrorsAndOptions, SpectacularAPIView):
    pass


class SwaggerView(JSONErrorsAndOptions, SpectacularSwaggerSplitView):
    pass


class RedocView(JSONErrorsAndOptions, SpectacularRedocView):
    pass


# The docs are public and not rate limited: they are static for a given release.
DOCS = {"authentication_classes": [], "throttle_classes": []}
SLUG, YEAR = api_docs.SLUG, api_docs.YEAR

urlpatterns = [
    re_path(
        rf"^stats/(?P<specialization>{SLUG})/(?P<technology>{SLUG})/(?P<year>{YEAR})/rank/$",
        SalaryStatRankView.as_view(),
        name="stats-rank",
    ),
    re_path(
        rf"^stats/(?P<specialization>{SLUG})/(?P<technology>{SLUG})/(?P<year>{YEAR})/$",
        salaries_api.SalaryStatDetailView.as_view(),
        name="stats-detail",
    ),
    re_path(
        rf"^stats/(?P<specialization>{SLUG})/(?P<technology>{SLUG})/$",
        salaries_api.SalaryStatHistoryView.as_view(),
        name="stats-history",
    ),
    path("schema/", SchemaView.as_view(**DOCS), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema", **DOCS), name="api-docs"),
    path(
        "redoc/",
        RedocView.as_view(url_name="api-schema", template_name="salaries/redoc.html", **DOCS),
        name="api-redoc",
    ),
    *router.urls,
    re_path(r"^(?P<path>.*)$", salaries_api.not_found),
]


class CheckedParameters:
    """Wagtail's content API endpoints, with what Wagtail hands to the database or the
    search backend unchecked checked first, so that it is a 400 in Wagtail's own
    ``{"message"}`` shape instead of a 500: each parameter once; ``offset`` within what a
    database can count to; ``search_operator`` one of the two there are; ``id`` a whole
    number; a field filter a value its field can hold; and ``search`` reduced to its words
    as the site's own search does (a blank one is no search)."""

    MAX_OFFSET = 1_000_000_000
    MAX_ID = 2**63 - 1
    SEARCH_OPERATORS = ("and", "or")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        query = request.GET
        for name, values in query.lists():
            if len(values) > 1:
                raise BadRequestError(repeated_message(name, len(values)))
        offset = query.get("offset")
        if offset is not None and whole_number(offset, low=0, high=self.MAX_OFFSET) is None:
            raise BadRequestError(f"offset must be a whole number from 0 to {self.MAX_OFFSET}")
        operator = query.get("search_operator")
        if operator and operator not in self.SEARCH_OPERATORS:
            raise BadRequestError('search_operator must be "and" or "or"')
        if "id" in query and whole_number(query["id"], low=0, high=self.MAX_ID) is None:
            raise BadRequestError(f"id must be a whole number from 0 to {self.MAX_ID}")
        if "search" in query:
            cleaned = query.copy()
            terms = search_terms(query["search"])
            if terms:
                cleaned["search"] = terms
            else:
                del cleaned["search"]
            # Wagtail's filters read request.GET, which the DRF request otherwise lends
            # from the Django request it wraps.
            request.GET = cleaned

    def filter_queryset(self, queryset):
        model = queryset.model
        for name in set(self.get_available_fields(model, db_fields_only=True)) & set(
            self.request.GET
        ):
            self._check_field_value(model, name, self.request.GET[name])
        return super().filter_queryset(queryset)

    @staticmethod
    def _check_field_value(model, name: str, value: str) -> None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return
        target = getattr(field, "target_field", None) if field.many_to_one else field
        if (
            target is None
            or not hasattr(target, "to_python")
            or field.get_internal_type()
            in (
                "BooleanField",
                "ManyToManyField",
            )
        ):
            return  # Wagtail parses booleans itself; tags are matched by name
        try:
            python = target.to_python(value)
        except (ValidationError, ValueError, TypeError) as error:
            raise BadRequestError(f"{name}: {value[:50]!r} is not a valid value") from error
        bounds = connection.ops.integer_field_ranges.get(target.get_internal_type())
        if bounds and not bounds[0] <= python <= bounds[1]:
            raise BadRequestError(f"{name}: {value[:50]!r} is out of range")


class ContentPagesAPIViewSet(CheckedParameters, PagesAPIViewSet):
    pass


class ContentImagesAPIViewSet(CheckedParameters, ImagesAPIViewSet):
    pass


api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", ContentPagesAPIViewSet)
api_v2.register_endpoint("images", ContentImagesAPIViewSet)
