"""Site-wide middleware: addresses holding a NUL character as 4xx, and database outages
as 503s.

A database outage (a restart, a failover) answers 503 with ``Retry-After``, not 500.

The page says what happened and that nothing is lost; API clients get JSON in the API's
error shape. Connections are re-established by Django on the next request once the
database is back (``CONN_HEALTH_CHECKS`` in production)."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from portal.query import null_character_check

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


class NullCharacterMiddleware:
    """No address needs a NUL character and no database stores one (PostgreSQL refuses
    the whole query): a query parameter holding one is a 400 naming it, a path holding one
    a 404, before any cache or view reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("No address holds a null character.")
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or "\x00" in raw:  # else nothing to find: skip parsing the query
            null_character_check(request.GET)
        return self.get_response(request)


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
