"""The API routers, in one place: ``/api/v1/`` (salary statistics, DRF: every app
registers its viewsets here, next to the schema, its interactive docs with assets served
locally and a JSON 404 for the rest) and ``/api/v2/`` (the Wagtail content API: pages and
images, for partners who publish our articles)."""

from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from portal.query import repeated_message, whole_number
from salaries import api as salaries_api


class PortalAPIRouter(DefaultRouter):
    """The browsable root lists every endpoint registered below."""


router = PortalAPIRouter()
router.register("stats", salaries_api.SalaryStatViewSet, basename="stats")
router.register("specializations", salaries_api.SpecializationViewSet, basename="specialization")
router.register("technologies", salaries_api.TechnologyViewSet, basename="technology")

# The docs are public and not rate limited: they are static for a given release.
DOCS = {"authentication_classes": [], "throttle_classes": []}
SLUG, YEAR = salaries_api.SLUG, salaries_api.YEAR

urlpatterns = [
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
    path("schema/", SpectacularAPIView.as_view(**DOCS), name="api-schema"),
    path(
        "docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", **DOCS), name="api-docs"
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(
            url_name="api-schema", template_name="salaries/redoc.html", **DOCS
        ),
        name="api-redoc",
    ),
    *router.urls,
    re_path(r"^(?P<path>.*)$", salaries_api.not_found),
]


class CheckedParameters:
    """Wagtail's content API endpoints, with the parameters Wagtail hands to the database
    or the search backend unchecked checked first, so they are a 400 in Wagtail's own
    ``{"message"}`` shape instead of a 500: each parameter once, ``offset`` within what a
    database can count to, ``search_operator`` one of the two there are."""

    MAX_OFFSET = 1_000_000_000
    SEARCH_OPERATORS = ("and", "or")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.GET.lists():
            if len(values) > 1:
                raise BadRequestError(repeated_message(name, len(values)))
        offset = request.GET.get("offset")
        if offset is not None and whole_number(offset, low=0, high=self.MAX_OFFSET) is None:
            raise BadRequestError(f"offset must be a whole number from 0 to {self.MAX_OFFSET}")
        operator = request.GET.get("search_operator")
        if operator and operator not in self.SEARCH_OPERATORS:
            raise BadRequestError('search_operator must be "and" or "or"')


class ContentPagesAPIViewSet(CheckedParameters, PagesAPIViewSet):
    pass


class ContentImagesAPIViewSet(CheckedParameters, ImagesAPIViewSet):
    pass


api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", ContentPagesAPIViewSet)
api_v2.register_endpoint("images", ContentImagesAPIViewSet)
