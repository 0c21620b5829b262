"""Site-wide middleware: the Content Security Policy, and database outages as 503s.

A database outage (a restart, a failover) answers 503 with ``Retry-After``, not 500.

The page says what happened and that nothing is lost; API clients get JSON in the API's
error shape. Connections are re-established by Django on the next request once the
database is back (``CONN_HEALTH_CHECKS`` in production)."""

import logging

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
ADMIN_PREFIX = "/admin/"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("database unavailable for %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "detail": "The statistics database is unavailable for a moment; "
                    "retry after the number of seconds in Retry-After.",
                    "code": "service_unavailable",
                },
                status=503,
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one exception: the Wagtail admin's editor still runs
    inline scripts, so under ``/admin/`` scripts may be inline (everything else in the
    policy, from where scripts load to where forms post, stays as strict)."""

    def process_response(self, request, response):
        if request.path.startswith(ADMIN_PREFIX) and not hasattr(response, "_csp_replace"):
            response._csp_replace = {"script-src": [SELF, "'unsafe-inline'"]}
        return super().process_response(request, response)
