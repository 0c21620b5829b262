"""What the partner API's OpenAPI schema says beyond what drf-spectacular infers from the
views: the shared error responses, the ``format`` parameter, the slice example and the
path parameters. The views in ``salaries.api`` put them in their ``extend_schema``
decorators; ``salaries.schema`` holds the schema-wide hooks."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from salaries.facets import FACETS, OPENAPI
from salaries.filters import MAX_YEAR, MIN_YEAR
from salaries.schema import QUERY_ERRORS_REF
from salaries.serializers import ErrorSerializer

SLUG = r"[A-Za-z0-9-]{1,50}"
YEAR = r"[0-9]{4}"

ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Malformed or unknown API key."),
    403: OpenApiResponse(ErrorSerializer, description="Revoked or expired API key."),
    429: OpenApiResponse(
        ErrorSerializer, description="Over the rate limit; Retry-After says when to retry."
    ),
}
BAD_QUERY = OpenApiResponse(
    QUERY_ERRORS_REF,
    description="A query parameter is invalid (or given twice, or holds a null character): "
    "each bad parameter is a key, with a list of messages.",
    examples=[
        OpenApiExample(
            "Unknown slug",
            value={
                "specialization": [
                    'Unknown specialization "back-ned". Use "all" or a slug '
                    "from the specialization list."
                ]
            },
        )
    ],
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such slice, page or item.")
FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="json (default) or csv: one row per item, nested figures flattened into "
    "fixed columns (see the partner guide).",
)
SLICE_EXAMPLE = {
    "specialization": "back-end",
    "technology": "flask",
    "year": 2024,
    "offers": 571,
    "candidates": 143,
    "median": 7707,
    "mean": 7650,
    "p10": 4000,
    "p25": 5800,
    "p75": 9000,
    "p90": 11000,
    "histogram": [{"from": 5000, "to": 5500, "label": "5k+", "offers": 31}],
    "withheld": None,
    "filters": {},
    "by_seniority": {
        "junior": {
            "offers": 40,
            "candidates": 12,
            "median": 3100,
            "p25": 2500,
            "p75": 3600,
            "withheld": None,
        },
        "expert": {
            "offers": 12,
            "candidates": 4,
            "median": None,
            "p25": None,
            "p75": None,
            "withheld": "min_candidates",
        },
    },
    "by_english_level": {
        "advanced": {
            "offers": 210,
            "candidates": 51,
            "median": 8200,
            "p25": 6400,
            "p75": 9800,
            "withheld": None,
        }
    },
    "by_remote": {
        "true": {
            "offers": 260,
            "candidates": 66,
            "median": 8000,
            "p25": 6100,
            "p75": 9500,
            "withheld": None,
        },
        "false": {
            "offers": 311,
            "candidates": 77,
            "median": 7400,
            "p25": 5600,
            "p75": 8800,
            "withheld": None,
        },
    },
    "by_country": {
        "UA": {
            "offers": 240,
            "candidates": 60,
            "median": 7100,
            "p25": 5400,
            "p75": 8600,
            "withheld": None,
        },
        "PL": {
            "offers": 3,
            "candidates": 2,
            "median": None,
            "p25": None,
            "p75": None,
            "withheld": "min_offers",
        },
    },
    "computed_at": "2024-12-31T23:00:00Z",
    "url": "https://salaries.example.com/salaries/back-end/flask/2024/",
    "methodology": "https://salaries.example.com/api/#methodology",
    "min_sample_size": 5,
}
FACET_DESCRIPTIONS = {
    "seniority": "Narrow to offers at this seniority (any case; empty: not set).",
    "english_level": "Narrow to offers with this English level (any case; empty: not set).",
    "remote": "true (also 1, yes): remote offers only; false (0, no): office offers only "
    "(empty: not set).",
    "country": "Narrow to offers from this ISO 3166-1 alpha-2 country, any case; a "
    "well-formed code with no offers matches none (empty: not set).",
}
FACET_PARAMETERS = [
    OpenApiParameter(
        facet,
        str,
        enum=OPENAPI[facet].get("enum"),
        pattern=OPENAPI[facet].get("pattern"),
        description=FACET_DESCRIPTIONS[facet],
    )
    for facet in FACETS
]
SLICE_PATH = [
    OpenApiParameter(
        "specialization",
        str,
        OpenApiParameter.PATH,
        pattern=f"^{SLUG}$",
        description='Specialization slug, or "all".',
    ),
    OpenApiParameter(
        "technology",
        str,
        OpenApiParameter.PATH,
        pattern=f"^{SLUG}$",
        description='Technology slug, or "all".',
    ),
]
YEAR_PATH = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
    OpenApiParameter.PATH,
    description=f"Calendar year, {MIN_YEAR} to {MAX_YEAR}.",
)


def catalogue_schema(serializer, noun: str):
    return {
        "list": extend_schema(
            summary=f"List {noun}",
            tags=["catalogue"],
            parameters=[FORMAT],
            responses={200: serializer(many=True), 400: BAD_QUERY, 404: NOT_FOUND, **ERRORS},
        ),
        "retrieve": extend_schema(
            summary=f"One of the {noun}",
            tags=["catalogue"],
            responses={200: serializer, 400: BAD_QUERY, 404: NOT_FOUND, **ERRORS},
        ),
    }
