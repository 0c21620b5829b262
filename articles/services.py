"""Writes on the page tree that commands need (the admin does the rest)."""

from collections.abc import Iterable

from django.db import transaction
from wagtail.models import Locale, Page, Site

from articles.demo import DemoArticle
from articles.models import ArticleIndexPage, ArticlePage, HomePage
from salaries.models import Specialization, Technology


@transaction.atomic
def page_tree_ensure() -> ArticleIndexPage:
    """The site's Articles section, creating whatever of the tree is missing: Wagtail's
    root, the home page (as the default site's root) and the section. The migrations make
    the same tree; this puts it back on a database that has lost it."""
    index = ArticleIndexPage.objects.live().order_by("path").first()
    if index is not None:
        return index
    home = HomePage.objects.order_by("path").first()
    if home is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node() or Page.add_root(title="Root")
        home = root.add_child(instance=HomePage(title="Developer salaries", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home},
        )
    index = home.add_child(
        instance=ArticleIndexPage(
            title="Articles",
            slug="articles",
            intro="<p>Role guides, technology deep dives and salary analysis.</p>",
        )
    )
    index.save_revision().publish()
    return index


@transaction.atomic
def articles_publish(*, articles: Iterable[DemoArticle]) -> int:
    """Publish each article whose slug is not taken yet in the Articles section (made if
    missing), with its topic resolved from catalogue slugs; returns how many were
    published. An article that already exists is left as the editors have it."""
    index = page_tree_ensure()
    specializations = dict(Specialization.objects.values_list("slug", "pk"))
    technologies = dict(Technology.objects.values_list("slug", "pk"))
    published = 0
    for article in articles:
        if ArticlePage.objects.filter(slug=article.slug).exists():
            continue
        page = ArticlePage(
            title=article.title,
            slug=article.slug,
            intro=article.intro,
            author=article.author,
            date=article.date,
            search_description=article.search_description,
            topic_specialization_id=specializations.get(article.specialization),
            topic_technology_id=technologies.get(article.technology),
            body=article.body(specializations.__getitem__, technologies.__getitem__),
        )
        page.tags.add(*article.tags)
        index.add_child(instance=page)
        page.save_revision().publish()
        published += 1
    return published
