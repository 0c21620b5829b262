"""The article about a salary topic, offered to the salary pages (see ``salaries.topics``)."""

from __future__ import annotations

from salaries.models import Specialization, Technology
from salaries.topics import TopicArticle


def topic_article_find(
    specialization: Specialization | None, technology: Technology | None
) -> TopicArticle | None:
    """The newest live, public article whose topic is exactly this specialization and
    technology (an empty topic field matching "all")."""
    from articles.models import ArticlePage

    article = (
        ArticlePage.objects.live()
        .public()
        .filter(
            topic_specialization=specialization.pk if specialization else None,
            topic_technology=technology.pk if technology else None,
        )
        .order_by("-date", "-pk")
        .first()
    )
    if article is None:
        return None
    return TopicArticle(title=article.title, url=article.url, summary=article.intro)
