"""Writes on the page tree that commands need (the admin does the rest)."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from articles.models import ArticleIndexPage, HomePage


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
