"""The ``/api/v1/`` router: every app registers its viewsets here, in one place."""

from rest_framework.routers import DefaultRouter

from salaries import api as salaries_api


class PortalAPIRouter(DefaultRouter):
    """The browsable root lists every endpoint registered below."""


router = PortalAPIRouter()
router.register("stats", salaries_api.SalaryStatViewSet, basename="stats")
router.register("specializations", salaries_api.SpecializationViewSet, basename="specialization")
router.register("technologies", salaries_api.TechnologyViewSet, basename="technology")
