"""The article about a salary topic, offered to the salary pages (see ``salaries.topics``)."""

from __future__ import annotations

from django.db import models

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


def comparison_article_find(
    specialization: Specialization | None, technologies: list[Technology]
) -> TopicArticle | None:
    """The newest live, public article about one of ``technologies`` (in this
    specialization or with none set) that names every other one in its alternatives or
    compares them all in a live comparison block: the Flask guide with Django and FastAPI
    among its alternatives compares Flask with both."""
    from articles.models import ArticlePage

    wanted = {tech.pk for tech in technologies}
    names = {tech.pk: tech.name.casefold() for tech in technologies}
    candidates = (
        ArticlePage.objects.live()
        .public()
        .filter(topic_technology__in=wanted)
        .filter(
            models.Q(topic_specialization__isnull=True)
            | models.Q(topic_specialization=specialization.pk if specialization else None)
        )
        .order_by("-date", "-pk")
    )
    for article in candidates:
        covered = {article.topic_technology_id}
        for block in article.body:
            if block.block_type == "alternative":
                covered |= {
                    pk for pk, name in names.items() if name == block.value["name"].casefold()
                }
            elif block.block_type == "salary_comparison":
                compared = {tech.pk for tech in block.value["technologies"] if tech is not None}
                if wanted <= compared:
                    covered |= wanted
        if wanted <= covered:
            return TopicArticle(title=article.title, url=article.url, summary=article.intro)
    return None
