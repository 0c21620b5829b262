"""The API routers, in one place: ``/api/v1/`` (salary statistics, DRF) and ``/api/v2/``
(the Wagtail content API: pages and images, for partners who publish our articles)."""

from rest_framework.routers import DefaultRouter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from salaries import api as salaries_api


class PortalAPIRouter(DefaultRouter):
    """The browsable root lists every endpoint registered below."""


router = PortalAPIRouter()
router.register("stats", salaries_api.SalaryStatViewSet, basename="stats")
router.register("specializations", salaries_api.SpecializationViewSet, basename="specialization")
router.register("technologies", salaries_api.TechnologyViewSet, basename="technology")

api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", PagesAPIViewSet)
api_v2.register_endpoint("images", ImagesAPIViewSet)
