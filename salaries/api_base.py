"""What every endpoint of the partner API shares: JSON errors with a machine-readable code
(``exception_handler``), and ``PartnerAPIMixin`` around each handler (CSV on lists, rate
limit headers, the generation-keyed response cache with conditional requests, and the one
Redis round trip per request). The endpoints themselves are in ``salaries.api``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.cache import read_ahead
from portal.query import BadQueryParameter
from portal.response_cache import (
    NO_PARAMS,
    Lookup,
    cache_key,
    cache_lookup,
    lookup_keys,
)
from salaries import selectors
from salaries.authentication import key_prefix
from salaries.pagination import Citation
from salaries.renderers import CSVRenderer
from salaries.selectors import statistics_snapshot
from salaries.throttling import PartnerRateThrottle, RateLimit

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
    generation-keyed response cache with conditional requests.

    Authentication and rate limits are DRF's own steps with the classes in settings
    (``PartnerKeyAuthentication``, ``PartnerRateThrottle``); the one addition is that a
    malformed or unknown key counts against its client address's anonymous limit, so
    guessing keys is throttled too (``handle_exception``). The key, the rate counters and
    the cached answer are what a request reads from Redis; ``portal.cache.read_ahead``
    reads them in one round trip (a cached answer costs about a third less than with
    three), and each step reads as if it were alone.
    """

    csv_columns: list[str] | None = None
    csv_row: Callable[[dict], list]
    # The query parameters an endpoint reads: its cache key and its pagination links use
    # only these (besides the format, which content negotiation has settled).
    cache_params = NO_PARAMS
    _conditional: tuple[str, int | None] | None = None
    _store: Lookup | None = None

    def dispatch(self, request, *args, **kwargs):
        with read_ahead(self._cache_reads):
            return super().dispatch(request, *args, **kwargs)

    def _cache_reads(self) -> tuple[list[str], list[tuple[str, int]]]:
        """Everything this request will read from the cache, for ``read_ahead`` to read
        in one round trip: its cached answer, its partner key, its rate counters."""
        request = self.request
        keys = []
        if answer := self._answer_key(request):
            keys += lookup_keys(answer)
        if prefix := key_prefix(request):
            keys.append(selectors.partner_key_cache_name(prefix))
        return keys, PartnerRateThrottle.counters(request)

    def _answer_key(self, request) -> str | None:
        """The cache key of this request's answer; None when answers to it are not kept."""
        renderer = getattr(request, "accepted_renderer", None)
        if request.method not in ("GET", "HEAD") or renderer is None:
            return None
        if renderer.format not in CACHED_FORMATS:
            return None
        return cache_key(request, self.cache_params, prefix=f"{ENTRY_PREFIX}{renderer.format}:")

    @cached_property
    def citation(self) -> Citation:
        """The run the answer's figures belong to; read once, in the answer's snapshot."""
        return Citation.of(self.request)

    def get_throttles(self):
        # Kept, so that the response can say where the client stands.
        self.throttles = super().get_throttles()
        return self.throttles

    def _rate_limit(self) -> RateLimit | None:
        states = [t.state for t in getattr(self, "throttles", ()) if getattr(t, "state", None)]
        return min(states, key=lambda state: state.remaining, default=None)

    def throttled(self, request, wait):
        limit = self._rate_limit()
        who = "this key" if request.auth is not None else "requests without a key"
        detail = (
            f"Over the rate limit of {limit.limit} requests per window for {who}."
            if limit
            else "Over the rate limit."
        )
        raise exceptions.Throttled(wait, detail=detail)

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.AuthenticationFailed):
            # A malformed or unknown key is an anonymous request as far as limits go.
            throttle = PartnerRateThrottle()
            self.throttles = [throttle]
            if not throttle.count(self.request, None):
                exc = exceptions.Throttled(
                    throttle.wait(),
                    detail=f"Over the rate limit of {throttle.state.limit} requests per "
                    "window for requests without a valid key.",
                )
        return super().handle_exception(exc)

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

    def cached(self, request, build: Callable[[], HttpResponse]) -> HttpResponse:
        """Answer from the cache when the entry is current, with a 304 when the client
        holds it already, else ``build()`` the response (stored on the way out)."""
        answer = self._answer_key(request)
        if answer is None:
            return build()
        found = cache_lookup(answer)
        tag = hashlib.sha1(f"{found.version}:{found.key}".encode(), usedforsecurity=False)
        etag = f'"g{found.generation}-{tag.hexdigest()[:20]}"'
        last_modified = found.entry.last_modified if found.entry else None
        self._conditional = (etag, last_modified)
        if CONDITIONAL_HEADERS & request.META.keys():
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
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
            self.citation  # noqa: B018 -- the run, read in the same snapshot as the figures
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
        rate_limit = self._rate_limit()
        if rate_limit is not None:
            for header, value in rate_limit.headers().items():
                response[header] = value
        if self._conditional is None or response.status_code not in (200, 304):
            return response
        etag, last_modified = self._conditional
        fresh = response.status_code == 200 and isinstance(response, Response)
        store = self._store if fresh else None
        if store:
            run = self.citation.run
            if run != store.generation:
                # A statistics run was published between the generation read and the
                # figures read: the answer holds the new run's figures, so it says so in
                # its ETag, and it is not stored under the old generation.
                etag = etag.replace(f'"g{store.generation}-', f'"g{run}-', 1)
                store = None
            computed_at = self.citation.computed_at
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
