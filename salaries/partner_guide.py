"""``/api/``: the partner guide, an HTML page about the API (what the figures mean, how to
get a key, examples, limits, policy), beside the API it explains."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.settings import api_settings

from salaries import selectors
from salaries.disclosure import disclosure_in_words
from salaries.pagination import MAX_PAGE_SIZE
from salaries.renderers import STAT_COLUMNS


def partner_guide(request: HttpRequest) -> HttpResponse:
    """``/api/``: what the figures mean, how to get a key, examples, limits, policy."""
    base = request.build_absolute_uri("/").rstrip("/")
    example = (
        selectors.salary_stat_queryset()
        .without_rollups(specialization=True, technology=True)
        .filter(median__isnull=False)
    )
    example = example.order_by("-year", "-offers").first()
    return render(
        request,
        "salaries/partner_guide.html",
        {
            "page_title": "Partner API",
            "base": base,
            "example": example,
            "anon_rate": api_settings.DEFAULT_THROTTLE_RATES["anon"],
            "partner_rate": api_settings.DEFAULT_THROTTLE_RATES["partner"],
            "min_offers": settings.SALARY_MIN_OFFERS,
            "disclosure": disclosure_in_words(),
            "max_page_size": MAX_PAGE_SIZE,
            "max_age": settings.API_MAX_AGE,
            "stat_columns": STAT_COLUMNS,
            "cors": bool(settings.CORS_ALLOWED_ORIGINS),
        },
    )
