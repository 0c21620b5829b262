"""Editorial content about a salary topic, supplied from outside this app.

Dependencies run one way (``articles`` imports ``salaries``, never the reverse), so the
articles app registers a finder here at start-up and salary pages ask for "the article
about this specialization × technology" without knowing what an article is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from salaries.models import Specialization, Technology


@dataclass(frozen=True)
class TopicArticle:
    title: str
    url: str
    summary: str = ""


TopicArticleFinder = Callable[[Specialization | None, Technology | None], TopicArticle | None]
_finders: list[TopicArticleFinder] = []


def register_topic_article_finder(finder: TopicArticleFinder) -> TopicArticleFinder:
    """Register ``finder(specialization, technology)``; ``None`` stands for "all"."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


def topic_article_get(
    *, specialization: Specialization | None, technology: Technology | None
) -> TopicArticle | None:
    """The first article a registered finder offers for this topic, if any."""
    for finder in _finders:
        article = finder(specialization, technology)
        if article is not None:
            return article
    return None


# Comparison pages ask for "the article comparing these technologies" the same way.
ComparisonArticleFinder = Callable[[Specialization | None, list[Technology]], TopicArticle | None]
_comparison_finders: list[ComparisonArticleFinder] = []


def register_comparison_article_finder(
    finder: ComparisonArticleFinder,
) -> ComparisonArticleFinder:
    """Register ``finder(specialization, technologies)``; ``None`` stands for "all"."""
    if finder not in _comparison_finders:
        _comparison_finders.append(finder)
    return finder


def comparison_article_get(
    *, specialization: Specialization | None, technologies: list[Technology]
) -> TopicArticle | None:
    """The first article a registered finder offers as comparing these technologies."""
    for finder in _comparison_finders:
        article = finder(specialization, technologies)
        if article is not None:
            return article
    return None
