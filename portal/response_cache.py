"""The site's one response cache: public pages and partner API answers, keyed by one
rule and kept as one kind of entry, stale as soon as the statistics or the content move.

One cache round trip per request: the statistics generation, the content version
(bumped when an editor renames a technology or publishes an article that salary pages
show) and the page entry are read with a single ``get_many`` (``MGET`` on Redis). An
entry remembers the generation and content version it was rendered under, so a new
statistics run or an editorial change makes every entry stale at once, and the next
request re-renders and overwrites it in place.

Responses carry a strong ``ETag`` (a hash of the body), ``Last-Modified`` (when the
statistics were computed) and ``Cache-Control``; a matching ``If-None-Match`` gets a 304.
Nothing here touches the session or the CSRF token, so anonymous responses set no cookie
and do not vary on one.

``PageCacheMiddleware`` answers hits early: a cached page is the same for every visitor and
needs no session, user, CSRF check or messages, so the middleware sits just below the
security and static-file layers, makes the one lookup, and returns a fresh entry without
running the layers below it. On a miss, the view's lookup of the same key is answered from
what the middleware read (``portal.cache.read_ahead``), so a miss costs no second round
trip either. Whether a path is a
cached page is the URLconf's answer (its view carries ``cache_params``), remembered per
path: the admin, the APIs and forms cost no lookup, with no list of paths to keep in step.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import lru_cache, partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from portal.cache import cache_get_many, read_ahead
from salaries.generation import GENERATION_KEY, stats_generation
from salaries.selectors import statistics_snapshot

CONTENT_KEY = "salaries:content-version"
# Entries are ``CachedResponse`` objects; a new prefix whenever their shape changes, so a
# server never reads an entry written by an older release as the new kind.
ENTRY_PREFIX = "responses:page:"
# The headers a view sets that a cached copy must repeat.
KEPT_HEADERS = {
    "content-type",
    "last-modified",
    "content-disposition",
    "x-robots-tag",
    "content-language",
    "link",
}


def cached_responses_invalidate() -> None:
    """Make every cached page and API answer stale: an editor renamed a technology,
    published an article that salary pages show, and the like. (A statistics run needs no
    call: it moves the generation.)"""
    cache.set(CONTENT_KEY, time.time_ns(), None)


def _content_version(value) -> int:
    if value is None:
        # Missing (new or flushed cache): a fresh value, so no surviving entry matches it.
        cache.add(CONTENT_KEY, time.time_ns(), None)
        value = cache.get(CONTENT_KEY)
    return int(value or 0)


@dataclass(frozen=True)
class CachedResponse:
    """What the cache keeps of a response: the statistics generation and content version it
    was built under, its body, the headers a copy must repeat, and its validators."""

    generation: int
    version: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: int | None  # Unix time the figures were computed at

    @classmethod
    def of(
        cls,
        response: HttpResponse,
        *,
        generation: int,
        version: int,
        etag: str,
        last_modified: int | None,
    ) -> CachedResponse:
        headers = tuple((h, v) for h, v in response.items() if h.lower() in KEPT_HEADERS)
        return cls(generation, version, response.content, headers, etag, last_modified)

    def response(self) -> HttpResponse:
        """The stored response, as a new ``HttpResponse`` with its headers."""
        response = HttpResponse(self.body)
        for header, value in self.headers:
            response[header] = value
        response["Content-Length"] = str(len(self.body))
        return response


@dataclass(frozen=True)
class Lookup:
    """What the cache holds for one response key: the statistics generation and content
    version now, and the entry if it was stored under both (else None)."""

    key: str
    generation: int
    version: int
    entry: CachedResponse | None

    def store(self, response, *, etag: str, last_modified: int | None, timeout: int) -> None:
        """Keep ``response`` under this key, stamped with this generation and version."""
        entry = CachedResponse.of(
            response,
            generation=self.generation,
            version=self.version,
            etag=etag,
            last_modified=last_modified,
        )
        cache.set(self.key, entry, timeout)


def lookup_keys(key: str) -> list[str]:
    """What ``cache_lookup(key)`` reads (for a ``portal.cache.read_ahead`` plan)."""
    return [GENERATION_KEY, CONTENT_KEY, key]


def cache_lookup(key: str) -> Lookup:
    """The generation, the content version and the entry under ``key``: one ``MGET``."""
    found = cache_get_many(lookup_keys(key))
    generation = found.get(GENERATION_KEY)
    generation = stats_generation() if generation is None else int(generation)
    version = _content_version(found.get(CONTENT_KEY))
    entry = found.get(key)
    if not (
        isinstance(entry, CachedResponse)
        and entry.generation == generation
        and entry.version == version
    ):
        entry = None
    return Lookup(key, generation, version, entry)


@dataclass(frozen=True)
class QueryParams:
    """The query parameters a cached view reads, and how its key normalises them.

    Only these take part in the key, so ``?utm_source=…`` and other parameters the view
    never reads share the plain entry instead of growing the cache; names are sorted, so
    order does not matter; surrounding spaces go, as the views strip them; a parameter
    whose values are all empty is as good as absent (every view reads it so). ``lower``
    names the parameters a view reads case-insensitively, ``defaults`` values that mean
    the same as leaving the parameter out.
    """

    names: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()
    defaults: tuple[tuple[str, str], ...] = ()

    def __or__(self, other: QueryParams) -> QueryParams:
        """What either view reads (the middleware's key for a path several views share)."""
        return QueryParams(
            names=self.names | other.names,
            lower=self.lower & other.lower,
            defaults=tuple(set(self.defaults) & set(other.defaults)),
        )

    def normalise(self, query) -> str:
        if not query:
            return ""
        items = []
        defaults = dict(self.defaults)
        for name in sorted(self.names):
            values = [value.strip() for value in query.getlist(name)]
            if name in self.lower:
                values = [value.lower() for value in values]
            if not any(values) or values == [defaults.get(name)]:
                continue
            items.extend((name, value) for value in values)
        return urlencode(items)


NO_PARAMS = QueryParams()


def params_of(*names: str, lower: tuple[str, ...] = (), **defaults: str) -> QueryParams:
    return QueryParams(
        names=frozenset(names), lower=frozenset(lower), defaults=tuple(defaults.items())
    )


def cache_key(request: HttpRequest, params: QueryParams, *, prefix: str = ENTRY_PREFIX) -> str:
    """The one key rule: scheme, host (validated against ``ALLOWED_HOSTS``: an unknown
    host is a 400 before any lookup), path and the normalised parameters the view reads."""
    identity = "|".join(
        (request.scheme, request.get_host().lower(), request.path, params.normalise(request.GET))
    )
    return prefix + hashlib.sha1(identity.encode(), usedforsecurity=False).hexdigest()


def lookup(request: HttpRequest, params: QueryParams, *, prefix: str = ENTRY_PREFIX) -> Lookup:
    """The entry for this request under ``params`` (``cache_key``): one round trip."""
    return cache_lookup(cache_key(request, params, prefix=prefix))


def _fresh_response(request: HttpRequest, entry: CachedResponse | None):
    if entry is None:
        return None
    return _finish(request, entry.response(), entry.etag, entry.last_modified)


def _finish(request: HttpRequest, response: HttpResponse, etag: str, last_modified: int | None):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.SALARY_PAGE_MAX_AGE)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )


def cached_page(view=None, *, params: QueryParams = NO_PARAMS):
    """Cache a GET view's 200 responses under the statistics generation, keyed by
    ``cache_key`` with the query parameters the view reads (``params``).

    The view may set ``response.stats_computed_at`` (a datetime) for ``Last-Modified``.
    Other statuses (404, 400, redirects) are passed through and not cached.
    Usable bare (``@cached_page``) or with arguments (``@cached_page(params=...)``).
    """
    if view is None:
        return partial(cached_page, params=params)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        found = lookup(request, params)
        hit = _fresh_response(request, found.entry)
        if hit is not None:
            return hit

        with statistics_snapshot():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        if response.status_code != 200 or response.streaming:
            return response
        body = response.content
        etag = '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'
        computed_at = getattr(response, "stats_computed_at", None)
        last_modified = int(computed_at.timestamp()) if computed_at else None
        found.store(
            response,
            etag=etag,
            last_modified=last_modified,
            timeout=settings.SALARY_PAGE_CACHE_SECONDS,
        )
        return _finish(request, response, etag, last_modified)

    wrapper.cache_params = params
    return wrapper


# Views that serve several kinds of page under one URL pattern (Wagtail's page serving)
# register what each kind reads; the middleware keys such paths with all of it, and the
# page's own key (what it reads alone) is looked up again only when the two differ.
SHARED_VIEW_PARAMS: dict[str, QueryParams] = {}


def shared_view_params(url_name: str, params: QueryParams) -> None:
    """Add what one kind of page served by the view named ``url_name`` reads."""
    SHARED_VIEW_PARAMS[url_name] = SHARED_VIEW_PARAMS.get(url_name, params) | params


def _view_params(request: HttpRequest) -> QueryParams | None:
    """What the view of this path reads, or None when it is not a cached view."""
    return _path_params(request.path_info)


@lru_cache(maxsize=4096)
def _path_params(path_info: str) -> QueryParams | None:
    # The URLconf does not change while the process runs, so neither does the answer;
    # remembering it saves resolving the path on every hit.
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    params = getattr(match.func, "cache_params", None)
    return params if params is not None else SHARED_VIEW_PARAMS.get(match.url_name)


class PageCacheMiddleware:
    """Serve fresh cached pages before the session, auth, CSRF and messages layers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        params = _view_params(request) if request.method in ("GET", "HEAD") else None
        if params is None:
            return self.get_response(request)
        key = cache_key(request, params)
        # On a miss, the view's own lookup of the same key is answered from this one.
        with read_ahead(lambda: (lookup_keys(key), [])):
            hit = _fresh_response(request, cache_lookup(key).entry)
            if hit is not None:
                return hit
            return self.get_response(request)
