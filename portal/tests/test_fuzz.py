"""Hostile input on every public URL: no answer is ever a 5xx, and under ``/api/v1/`` and
``/api/v2/`` every error is JSON.

The URLs come from the URLconf itself (every pattern outside the admin), their path
parameters filled with real slugs, years and ids from a small published data set and with
hostile ones. The query parameters each view reads are collected, not listed by hand:
FilterSet fields and pagination of the DRF views, the parameters Wagtail's content API
knows, and every ``request.GET`` / ``one_value`` read in the modules of the function views
and the page models. Each gets hostile values (NUL, Unicode and huge numbers, separators,
10,000 characters, empty, repeated) with GET, and a sample with HEAD and OPTIONS.

A new URL pattern with a parameter this module cannot fill, or regex syntax it cannot
read, fails the test rather than going unfuzzed.
"""

from __future__ import annotations

import inspect
import re
import sys
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.settings import api_settings
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Page

from articles.models import Subscriber
from salaries.partner_keys import partner_key_create

SKIPPED_PREFIXES = ("admin/", "_util/", "documents/authenticate_with_password/")

HOSTILE = [
    "\x00",
    "²",
    "١٢٣",
    "1e400",
    "99999999999999999999",
    "-1",
    "0",
    ",",
    ";",
    ",,",
    " ",
    "%",
    "'\"<>&",
    "x" * 10_000,
    "ALL",
    "-median,",
]
QUERY_HOSTILE = [*HOSTILE, ""]
PATH_HOSTILE = [quote(value, safe="") for value in HOSTILE] + ["..", "%0A", "%2F"]
# A few values HEAD and OPTIONS get too (GET gets them all).
SAMPLE = ["99999999999999999999", "x" * 10_000]

GET_READS = [
    re.compile(r"""(?:GET|query_params)(?:\.get|\.getlist|\.pop)?[\[(]\s*["'](\w+)["']"""),
    re.compile(r"""one_value\(\s*request\.(?:GET|query_params)\s*,\s*["'](\w+)["']"""),
]


@dataclass
class Target:
    template: str  # "/salaries/{specialization}/" ...
    view: object
    params: set[str] = field(default_factory=set)


# --- Reading the URLconf ---


def slot(name: str) -> str:
    return "{" + name + "}"


def _named_groups_to_fields(regex: str) -> str:
    """``(?P<name>...)`` → ``{name}``, other groups → ``{_0}``, ``{_1}``…, anchors off."""
    out, index, unnamed = [], 0, 0
    while index < len(regex):
        char = regex[index]
        if char == "(" and not regex.startswith("(?:", index):
            depth, end = 0, index
            for end in range(index, len(regex)):
                depth += {"(": 1, ")": -1}.get(regex[end], 0)
                if depth == 0:
                    break
            group = regex[index : end + 1]
            named = re.match(r"\(\?P<(\w+)>", group)
            out.append(slot(named.group(1) if named else f"_{unnamed}"))
            unnamed += 0 if named else 1
            index = end + 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


def url_template(pieces: list[str]) -> str:
    parts = []
    for piece in pieces:
        piece = _named_groups_to_fields(piece)
        piece = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", piece)  # path() converters
        piece = piece.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
        parts.append(piece)
    template = "/" + "".join(parts)
    residue = re.sub(r"\{\w+\}", "", template)
    assert not re.search(r"[\\()\[\]*+?|]", residue), f"cannot read the URL pattern {template}"
    return template


def walk(patterns, pieces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, (*pieces, str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            yield (*pieces, str(pattern.pattern)), pattern.callback


# --- What each view reads ---


def _module_reads(module_name: str) -> set[str]:
    module = sys.modules.get(module_name)
    try:
        source = inspect.getsource(module)
    except (TypeError, OSError):
        return set()
    names = {name for regex in GET_READS for name in regex.findall(source)}
    from django_filters.filterset import BaseFilterSet

    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, BaseFilterSet)
            and re.search(rf"\b{value.__name__}\(", source)
        ):
            names |= set(value.base_filters)
    return names


def params_read(view) -> set[str]:
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    names = {api_settings.URL_FORMAT_OVERRIDE}
    # What a cached view declares it reads (facets, the salary of "where do I stand", ...).
    declared = getattr(view, "cache_params", None) or getattr(cls, "cache_params", None)
    if declared is not None and hasattr(declared, "names"):
        names |= set(declared.names)
    if cls is not None and issubclass(cls, BaseAPIViewSet):
        names |= cls.known_query_parameters | cls.find_query_parameters
        names |= set(cls.get_available_fields(cls.model, db_fields_only=True))
        return names
    if cls is not None:
        filterset = getattr(cls, "filterset_class", None)
        names |= set(filterset.base_filters) if filterset else set()
        paginator = getattr(cls, "pagination_class", None)
        if paginator is not None:
            names |= {
                name
                for name in (
                    getattr(paginator, "page_query_param", None),
                    getattr(paginator, "page_size_query_param", None),
                )
                if name
            }
        return names | _module_reads(cls.__module__)
    names |= _module_reads(getattr(view, "__module__", ""))
    if getattr(view, "__name__", "") == "serve" and view.__module__ == "wagtail.views":
        # Wagtail serves pages: what their models read.
        for model in {type(page.specific) for page in Page.objects.filter(depth__gt=1)}:
            names |= _module_reads(model.__module__)
    return names


# --- The data and the fills ---


@pytest.fixture
def fills(published, make_article, image):
    article = make_article(tags=["python", "flask"], topic_technology=published["flask"])
    subscriber = Subscriber.objects.create(email="reader@example.com", token="tok-en_1")
    return {
        "specialization": ["back-end", "all"],
        "technology": ["flask", "all"],
        "technologies": ["django-vs-flask"],
        "year": ["2024"],
        "slug": ["back-end", "flask"],
        "format": ["json", "csv", "api"],
        "path": ["nope"],
        "pk": [str(article.pk), str(image.pk)],
        "token": [subscriber.token],
        # Unnamed groups: Wagtail's page path, or a document's id and file name.
        "_0": ["", "articles/", article.url.strip("/") + "/"],
        "_1": ["report.pdf"],
    }


def targets() -> list[Target]:
    found = []
    for pieces, view in walk(get_resolver().url_patterns):
        if "".join(pieces).lstrip("^").startswith(SKIPPED_PREFIXES):
            continue
        found.append(Target(url_template(list(pieces)), view, params_read(view)))
    return found


def urls(target: Target, fills: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(URLs with real values in every field, URLs with one hostile field each)."""
    fields = re.findall(r"\{(\w+)\}", target.template)
    missing = [name for name in fields if name not in fills]
    assert not missing, f"no values to fill {missing} of {target.template}"
    real = [target.template]
    for name in fields:
        real = [url.replace(slot(name), value, 1) for url in real for value in fills[name]]
    first = {name: fills[name][-1] for name in fields}
    hostile = []
    for name in fields:
        for value in PATH_HOSTILE:
            url = target.template
            for other in fields:
                url = url.replace(slot(other), value if other == name else first[other], 1)
            hostile.append(url)
    return sorted(set(real)), hostile


# --- The run ---


def is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


@pytest.mark.django_db
def test_no_hostile_input_on_any_public_url_is_a_server_error(fills):
    _, key = partner_key_create(partner_name="Fuzzer", rate="10000000/hour")
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Api-Key {key}")
    failures: list[str] = []
    sent = 0

    def send(method: str, url: str, query: list[tuple[str, str]] | None = None):
        nonlocal sent
        full = url + ("?" + urlencode(query) if query else "")
        try:
            # One savepoint per request, so that on PostgreSQL a query the database refused
            # spoils only this request's answer, not the test's transaction.
            with transaction.atomic():
                response = getattr(client, method)(full)
        except DatabaseError:
            pass  # refused, then answered (a 500 is counted below; a handled error is fine)
        sent += 1
        api_error = url.startswith(("/api/v1/", "/api/v2/")) and response.status_code >= 400
        browsable = "format=api" in full or ".api" in url
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {method.upper()} {full[:160]}")
        elif api_error and not browsable and not is_json(response):
            failures.append(f"{response.status_code} not JSON {method.upper()} {full[:160]}")

    all_targets = targets()
    assert len(all_targets) > 30, "the URLconf walk found too little"
    for target in all_targets:
        real, hostile = urls(target, fills)
        for url in real:
            for method in ("get", "head", "options"):
                send(method, url)
        for url in hostile:
            send("get", url)
        for url in hostile[:: max(1, len(hostile) // 4)]:
            send("head", url)
            send("options", url)
        if ".{format}" in target.template:
            continue  # the same view as the URL without the suffix, fuzzed there
        for base in real:  # each real URL: Wagtail's page types read different parameters
            for name in sorted(target.params):
                for value in QUERY_HOSTILE:
                    send("get", base, [(name, value)])
                send("get", base, [(name, "1"), (name, "2")])
                send("get", base, [(name, "all"), (name, "")])
            if target.params:  # every parameter at once, hostile
                send("get", base, [(name, ",,") for name in sorted(target.params)])
        for name in sorted(target.params):
            for value in SAMPLE:
                send("head", real[-1], [(name, value)])
                send("options", real[-1], [(name, value)])

    assert sent > 3000
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:60])
