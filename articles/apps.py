from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from articles import admin_warnings, signals  # noqa: F401  (connect the hooks and receivers)
        from articles.topics import comparison_article_find, topic_article_find
        from salaries.topics import (
            register_comparison_article_finder,
            register_topic_article_finder,
        )

        register_topic_article_finder(topic_article_find)
        register_comparison_article_finder(comparison_article_find)
