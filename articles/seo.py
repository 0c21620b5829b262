"""schema.org structured data of the Wagtail pages: the home page is the site (see
``portal.structured_data``), the article index a blog of its articles, an article an
``Article`` whose publisher carries the site's logo. Every URL is under the one public
origin (``portal.origin``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from portal.origin import absolute_url
from portal.structured_data import organization


def article_json_ld(page, request: HttpRequest) -> dict:
    publisher = organization(request)
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title,
        "description": page.search_description or page.intro,
        "datePublished": page.date.isoformat(),
        "dateModified": (
            page.last_published_at or page.latest_revision_created_at or timezone.now()
        ).isoformat(timespec="seconds"),
        "author": {"@type": "Person", "name": page.author} if page.author else publisher,
        "publisher": publisher,
        "mainEntityOfPage": absolute_url(request, page.get_url(request)),
        "keywords": [tag.name for tag in page.tags.all()],
    }


def article_index_json_ld(page, request: HttpRequest, articles) -> dict:
    """The section as a ``Blog`` with the articles listed on this page as its posts."""
    return {
        "@context": "https://schema.org",
        "@type": "Blog",
        "name": f"{page.title} · {settings.WAGTAIL_SITE_NAME}",
        "url": absolute_url(request, page.get_url(request)),
        "publisher": organization(request),
        "blogPost": [
            {
                "@type": "BlogPosting",
                "headline": article.title,
                "url": absolute_url(request, article.get_url(request)),
                "datePublished": article.date.isoformat(),
            }
            for article in articles
        ],
    }
