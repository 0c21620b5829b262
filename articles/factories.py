"""Page factories for tests (wagtail-factories): articles placed in the tree the
migrations create, published through a revision as an editor's "Publish" does."""

import factory
import wagtail_factories

from articles.models import ArticleIndexPage, ArticlePage, HomePage, Subscriber
from articles.newsletter.models import NewsletterIssue


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


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber; ``topics`` takes a list of technologies (none: everything)."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    token = factory.Sequence(lambda n: f"token-{n:04d}")
    status = Subscriber.Status.CONFIRMED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class NewsletterIssueFactory(factory.django.DjangoModelFactory):
    """An issue with a paragraph; ``body`` takes StreamField's stored form, ``topics`` a
    list of technologies. A first revision is saved, as the admin does."""

    class Meta:
        model = NewsletterIssue
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"Issue {n}")
    intro = "This month in salaries."
    body = factory.LazyFunction(
        lambda: [{"type": "text", "value": "<p>Flask medians moved up.</p>"}]
    )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.save()

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        if create:
            self.save_revision()
