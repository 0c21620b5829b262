"""Site-wide views that belong to no app: health check and error pages.

The error handlers answer by path: under ``/api/`` always JSON (the partner API's
``{"detail", "code"}``, Wagtail's content API's ``{"message"}`` too under ``/api/v2/``),
elsewhere the site's HTML pages."""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.origin import absolute_url
from portal.query import BadQueryParameter
from salaries.api import not_found as partner_api_not_found

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
PARTNER_API_PREFIX = "/api/v1/"
CONTENT_API_PREFIX = "/api/v2/"


@require_GET
@never_cache
def healthz(request):
    """Answer ``{"status": "ok"}`` once the database has answered a query, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def robots_txt(request):
    """Crawl everything public but the admin; point at the sitemap. Search results and the
    newsletter flow may be fetched: they say ``noindex`` themselves, which a crawler only
    sees on a page it may fetch."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(request, '/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


SECURITY_TXT_DAYS = 180


@require_GET
def security_txt(request):
    """RFC 9116: where to report a vulnerability, until when this file holds (renewed
    with every request, so it never lapses while the site runs), and its own address."""
    contact = settings.SECURITY_CONTACT or f"mailto:security@{request.get_host().rsplit(':', 1)[0]}"
    expires = (timezone.now() + datetime.timedelta(days=SECURITY_TXT_DAYS)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {absolute_url(request, '/.well-known/security.txt')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """``/favicon.ico`` for the browsers and crawlers that ask for it whatever the page
    says: the site's icon."""
    return redirect(static("img/favicon.ico"), permanent=True)


# --- Error handlers (named in ``portal.urls``) ---


def _api_error(request, status: int, detail: str, code: str) -> JsonResponse:
    body = {"detail": detail, "code": code}
    if request.path.startswith(CONTENT_API_PREFIX):
        body["message"] = detail  # the key Wagtail's own errors use
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception):
    """A 400 that escaped the views: a bad query parameter says which and why; any other
    suspicious request gets a plain answer that repeats nothing from it."""
    named = isinstance(exception, BadQueryParameter)
    if request.path.startswith(API_PREFIX):
        if named and request.path.startswith(PARTNER_API_PREFIX):
            # The partner API's 400 shape: each bad parameter with its messages.
            return JsonResponse({exception.parameter: [exception.message]}, status=400)
        detail = exception.message if named else "The request is not valid."
        return _api_error(request, 400, detail, "bad_request")
    context = {"message": exception.message if named else "", "back_url": request.path}
    return render(request, "400.html", context, status=400)


def page_not_found(request, exception):
    if request.path.startswith(PARTNER_API_PREFIX):
        return partner_api_not_found(request)
    if request.path.startswith(API_PREFIX):
        return _api_error(
            request,
            404,
            "No such endpoint or item. The content API lists pages at /api/v2/pages/ and "
            "images at /api/v2/images/; the partner guide is at /api/.",
            "not_found",
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _api_error(
            request,
            500,
            "Something went wrong on our side; the error has been logged. Try again in a minute.",
            "server_error",
        )
    return defaults.server_error(request)
