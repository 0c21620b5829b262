"""The ``/api/v1/`` router: every app registers its viewsets here, in one place."""

from rest_framework.routers import DefaultRouter


class PortalAPIRouter(DefaultRouter):
    """The browsable root lists every endpoint registered below."""


router = PortalAPIRouter()
