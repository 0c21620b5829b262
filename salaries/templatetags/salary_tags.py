"""Template filters and tags for salary figures (``{% load salary_tags %}``)."""

from django import template

from salaries import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("per_candidate", formatting.per_candidate)


@register.inclusion_tag("includes/stat_cards.html")
def stat_cards(stat, compact: bool = False) -> dict:
    """The headline cards of a slice; ``compact`` (in articles) leaves out the help."""
    return {"cards": formatting.stat_cards(stat), "compact": compact}
