"""How the partner API describes itself in OpenAPI beyond what drf-spectacular infers.
Imported when the app is ready, so the extension registers before any schema is built."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from salaries.authentication import KEYWORD


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


def partner_endpoints_only(endpoints):
    """Preprocessing hook: the schema documents the partner API, not Wagtail's own APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


CSV_BODY = {
    "type": "string",
    "description": "CSV with a header row; columns as the partner guide lists them.",
}


def csv_is_text(result, generator, request, public):
    """Postprocessing hook: a CSV answer is text, not the JSON object drf-spectacular
    assumes for every renderer, and errors are always JSON."""
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
