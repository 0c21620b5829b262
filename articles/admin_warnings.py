"""Warnings for editors after they save an article: a live salary block that shows exactly
what the article's own topic header shows above it (the same specialization and
technology, for the newest year, not narrowed by any facet) tells the reader nothing
new."""

from __future__ import annotations

from django.contrib import messages
from wagtail import hooks

from articles.blocks import LATEST, block_facets, topic_stat


def repeated_topic_blocks(page) -> list[int]:
    """Positions (1-based) of the body's live salary blocks that repeat the topic header."""
    if not getattr(page, "has_topic", False):
        return []
    header = None
    found = []
    for position, block in enumerate(page.body, start=1):
        if block.block_type != "live_salary":
            continue
        value = block.value
        if block_facets(value):  # narrowed: figures the header does not show
            continue
        if (value.get("specialization"), value.get("technology")) != (
            page.topic_specialization,
            page.topic_technology,
        ):
            continue
        year = value.get("year") or LATEST
        if year != LATEST:
            if header is None:
                header = topic_stat(page.topic_specialization, page.topic_technology)
            if header is None or str(header.year) != str(year):
                continue
        found.append(position)
    return found


def warn_about_repeats(request, page) -> None:
    page = page.specific
    positions = repeated_topic_blocks(page)
    if positions:
        where = ", ".join(f"block {position}" for position in positions)
        messages.warning(
            request,
            f"The live salary {where} of “{page.title}” shows the same figures as the "
            "article's topic header above it (same specialization, technology and year). "
            "Readers see them twice: remove the block, or choose another year or topic for it.",
        )


hooks.register("after_create_page", warn_about_repeats)
hooks.register("after_edit_page", warn_about_repeats)
