"""How the partner API describes itself in OpenAPI beyond what drf-spectacular infers.
Imported when the app is ready, so the extensions register before any schema is built.

The schema states what the API enforces, so that generated clients and schema-driven
tests agree with it: the bounds of number filters and of pagination, the ordering as a
repeatable parameter, the typed 400 body, CSV as text, and this site as the server."""

from django import forms
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from salaries.authentication import KEYWORD
from salaries.facets import OPENAPI


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    """Describes the key to OpenAPI (and so to Swagger UI's "Authorize" button)."""

    target_class = "salaries.authentication.PartnerKeyAuthentication"
    name = "PartnerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                f'A partner key, sent as "{KEYWORD} <key>" (for example '
                f'"{KEYWORD} AbCd1234.0123456789abcdefghijABCDEFGHIJKL"). Without it, requests '
                "are allowed at the low anonymous rate."
            ),
        }


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # what Django's SlugField takes


class EnforcedFilterBounds(DjangoFilterExtension):
    """django-filter's parameters as drf-spectacular reads them, plus what our filters
    enforce: a number filter's ``min_value`` / ``max_value`` as ``minimum`` / ``maximum``,
    a slug filter's characters as a ``pattern``, and a list filter (the ordering) given as
    repeated parameters, the way OpenAPI clients send an array (comma-separated works
    too)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter["schema"]
            for bound, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
                if filter_field.extra.get(bound) is not None:
                    schema[keyword] = filter_field.extra[bound]
            if issubclass(filter_field.field_class, forms.SlugField):
                schema["pattern"] = SLUG_PATTERN
            if "facet" in filter_field.extra:
                schema.update(OPENAPI[filter_field.extra["facet"]])
            if parameter.get("style") == "form" and schema.get("type") == "array":
                parameter["explode"] = True
        return parameters


# --- Hooks (named in SPECTACULAR_SETTINGS) ---


def partner_endpoints_only(endpoints):
    """Preprocessing hook: the schema documents the partner API, not Wagtail's own APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def this_site_as_server(result, generator, request, public):
    """The server is the site that served the schema (paths start with ``/api/v1/``)."""
    url = request.build_absolute_uri("/").rstrip("/") if request is not None else "/"
    result["servers"] = [{"url": url, "description": "This site"}]
    return result


QUERY_ERRORS = {
    "type": "object",
    "description": "A 400: each bad query parameter, with what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {
        "specialization": [
            'Unknown specialization "back-ned". Use "all" or a slug from the specialization list.'
        ]
    },
}
QUERY_ERRORS_REF = {"$ref": "#/components/schemas/QueryErrors"}


def empty_query_values_are_absent(result, generator, request, public):
    """``?year=`` is the same as no ``year`` for every query parameter of the API."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result


def query_errors_component(result, generator, request, public):
    """The 400 body as a named component, so generated clients get a type for it."""
    result.setdefault("components", {}).setdefault("schemas", {})["QueryErrors"] = QUERY_ERRORS
    return result


CSV_BODY = {
    "type": "string",
    "description": "CSV with a header row; columns as the partner guide lists them.",
}


def csv_is_text(result, generator, request, public):
    """A CSV answer is text, not the JSON object drf-spectacular assumes for every
    renderer, and errors are always JSON."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if "text/csv" not in content:
                    continue
                if status == "200":
                    content["text/csv"] = {"schema": CSV_BODY}
                else:
                    del content["text/csv"]
    return result


def facet_entries_are_closed(result, generator, request, public):
    """A list item is a slice or, with a facet, a breakdown entry (``oneOf``); an entry
    holds no field beyond its own, so a slice can never pass for one."""
    schemas = result.get("components", {}).get("schemas", {})
    if "FacetEntry" in schemas:
        schemas["FacetEntry"]["additionalProperties"] = False
    return result
