"""Filters for mail templates, where every link must be absolute."""

from django import template

from articles.newsletter.rendering import site_url

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    """``/salaries/...`` -> ``https://site/salaries/...`` (the site's public base URL)."""
    return site_url(path)
