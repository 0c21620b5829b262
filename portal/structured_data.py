"""schema.org pieces every part of the site shares: who publishes it (with its logo) and
the site itself. Absolute URLs under the one public origin (``portal.origin``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static

from portal.origin import absolute_url

LOGO = "img/logo-512.png"
SOCIAL_IMAGE = "img/social-card.png"


def organization(request: HttpRequest) -> dict:
    return {
        "@type": "Organization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute_url(request, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(request, static(LOGO)),
            "width": 512,
            "height": 512,
        },
    }


def website(request: HttpRequest, *, description: str) -> dict:
    """The site, with its search as a ``SearchAction``."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute_url(request, "/"),
        "description": description,
        "publisher": organization(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": absolute_url(request, "/search/") + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }
