"""Page factories for tests (wagtail-factories): articles placed in the tree the
migrations create, published through a revision as an editor's "Publish" does."""

import factory
import wagtail_factories

from articles.models import ArticleIndexPage, ArticlePage, HomePage


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    """A section under the home page."""

    class Meta:
        model = ArticleIndexPage

    title = factory.Sequence(lambda n: f"Section {n}")
    parent = factory.LazyFunction(HomePage.objects.get)


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article under the Articles section. ``body`` takes StreamField's stored form
    (a list of ``{"type", "value"}``), ``tags`` a list of names; ``live=False`` leaves it
    a draft."""

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    intro = factory.LazyAttribute(lambda page: f"Intro of {page.title.lower()}.")
    body = factory.LazyFunction(list)
    live = True
    parent = factory.LazyFunction(lambda: ArticleIndexPage.objects.get(slug="articles"))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        """Save a revision and, for a live page, publish it (what sets the publication
        timestamps and fires the publish signals)."""
        if not create:
            return
        revision = self.save_revision()
        if self.live:
            revision.publish()
        self.refresh_from_db()
