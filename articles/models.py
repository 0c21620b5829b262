"""Wagtail page types. Pages stay thin: fields, panels, where they may live, and context.

Public pages are served through the statistics-generation cache (``portal.response_cache``):
live salary blocks go stale with a new statistics run, and publishing any page moves the
content version, so a cached page never outlives what it shows.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import models
from django.utils.cache import add_never_cache_headers
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from articles.blocks import ArticleStreamBlock, topic_stat
from articles.seo import article_index_json_ld, article_json_ld
from portal.query import one_value
from portal.response_cache import NO_PARAMS, cached_page, params_of, shared_view_params
from portal.structured_data import website
from salaries import selectors
from salaries.charts import offers_ranking_chart, slice_histogram_chart
from salaries.models import slice_subject

ARTICLES_PER_PAGE = 12


class CachedPageMixin:
    """Serve the public page through the generation-keyed page cache.

    Previews are rendered fresh every time. A page with a view restriction (a password,
    logged-in users, groups; on the page or any ancestor) is never stored in or answered
    from the shared cache and tells browsers and proxies not to keep it: Wagtail's
    ``before_serve_page`` check stops visitors who may not see it before ``serve``, and
    the ones who may must not leave a copy behind for the others.
    """

    # The query parameters the page reads (``portal.response_cache.QueryParams``).
    cache_params = NO_PARAMS

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        if self.get_view_restrictions().exists():
            response = super().serve(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        # cached_page renders the TemplateResponse before storing it.
        return cached_page(super().serve, params=self.cache_params)(request, *args, **kwargs)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Wagtail serves every page kind through one view: the middleware keys its paths
        # with the parameters any kind reads.
        shared_view_params("wagtail_serve", cls.cache_params)


class HomePage(CachedPageMixin, Page):
    """The site root at ``/``."""

    hero_title = models.CharField(
        max_length=120,
        default="What developers earn, technology by technology",
        help_text="The large heading at the top of the home page.",
    )
    hero_text = models.TextField(
        blank=True,
        default=(
            "Salary expectations from real job offers, counted once per offer, "
            "with the method in plain sight."
        ),
        help_text="One or two sentences under the heading.",
    )

    content_panels = [*Page.content_panels, FieldPanel("hero_title"), FieldPanel("hero_text")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.ArticleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = (
            ArticlePage.objects.live().public().order_by("-date", "-pk")[:6]
        )
        context["specializations"] = selectors.specialization_list()
        context["json_ld"] = website(
            request, description=self.search_description or self.hero_text or self.title
        )
        years = selectors.salary_stat_years()
        if years:
            top = selectors.salary_stat_ranking(specialization="all", year=years[0])[:10]
            context["demand_year"] = years[0]
            context["demand_svg"] = offers_ranking_chart(
                top, title=f"Most demanded technologies in {years[0]}, by job offers"
            ).render("demand")
        return context


class ArticleIndexPage(CachedPageMixin, Page):
    """A section that lists the articles under it, newest first, by tag or topic."""

    intro = RichTextField(blank=True, help_text="Shown above the list of articles.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    cache_params = params_of("tag", "topic", "page", lower=("topic",), page="1")

    parent_page_types = ["articles.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = "article index page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = (
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .select_related("topic_specialization", "topic_technology")
            .prefetch_related("tags")
            .order_by("-date", "-pk")
        )
        tag = one_value(request.GET, "tag").strip()[:100]
        topic = one_value(request.GET, "topic").strip().lower()[:50]
        if tag:
            articles = articles.filter(tags__slug=tag)
        if topic:
            articles = articles.filter(topic_technology__slug=topic)
        context["tag"], context["topic"] = tag, topic
        context["page_obj"] = Paginator(articles, ARTICLES_PER_PAGE).get_page(
            one_value(request.GET, "page")
        )
        context["json_ld"] = article_index_json_ld(self, request, context["page_obj"])
        context["filter_query"] = urlencode(
            {k: v for k, v in (("tag", tag), ("topic", topic)) if v}
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(CachedPageMixin, Page):
    """A long-form article, optionally about a salary topic (specialization × technology)."""

    intro = models.TextField(
        max_length=600, help_text="One or two sentences under the title and in listings."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional wide image at the top of the article.",
    )
    author = models.CharField(max_length=100, blank=True)
    date = models.DateField(
        "publication date", default=date.today, help_text="Shown on the article and in feeds."
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    topic_specialization = models.ForeignKey(
        "salaries.Specialization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="With a topic, the article opens with its live salary figures and the "
        "topic's salary page shows the article.",
    )
    topic_technology = models.ForeignKey(
        "salaries.Technology",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the article is shared (1200 × 630 works best).",
    )
    body = StreamField(ArticleStreamBlock(), use_json_field=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("author"), FieldPanel("date")]),
                FieldPanel("tags"),
                FieldPanel("hero_image"),
            ],
            heading="About the article",
        ),
        MultiFieldPanel(
            [FieldPanel("topic_specialization"), FieldPanel("topic_technology")],
            heading="Salary topic",
            help_text="Leave both empty for an article without live figures in its header.",
        ),
        FieldPanel("body"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]

    api_fields = [
        APIField("intro"),
        APIField("author"),
        APIField("date"),
        APIField("tags"),
        APIField("topic_specialization"),
        APIField("topic_technology"),
        APIField("hero_image"),
        APIField("body"),
    ]

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article"

    @property
    def has_topic(self) -> bool:
        return bool(self.topic_specialization_id or self.topic_technology_id)

    def headings(self) -> list[tuple[str, str]]:
        """(anchor, text) of the body's section headings, for the table of contents."""
        from django.utils.text import slugify

        found = []
        for block in self.body:
            if block.block_type == "heading" and block.value["level"] == "h2":
                found.append((slugify(block.value["text"]), block.value["text"]))
            elif block.block_type in ("related_technologies", "timeline", "salary_comparison"):
                heading = block.value.get("heading")
                if heading:
                    found.append((slugify(heading), heading))
        return found

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.has_topic:
            stat = topic_stat(self.topic_specialization, self.topic_technology)
            context["topic_stat"] = stat
            context["topic_subject"] = slice_subject(
                self.topic_specialization, self.topic_technology
            )
            if stat is not None and stat.published:
                context["topic_histogram_svg"] = slice_histogram_chart(stat).render(
                    "topic-histogram"
                )
        context["toc"] = self.headings()
        context["json_ld"] = article_json_ld(self, request)
        return context


class Subscriber(models.Model):
    """A newsletter subscription with double opt-in: pending until the emailed link is
    followed. The address is stored case-folded, so one person has one row."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Address refused (hard bounce)"

    email = models.EmailField(unique=True)
    topics = models.ManyToManyField(
        "salaries.Technology",
        blank=True,
        related_name="+",
        help_text="Technologies the subscriber wants news about; none means everything.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="subscriber_status_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def topic_names(self) -> str:
        return ", ".join(topic.name for topic in self.topics.all()) or "Everything"


# The newsletter's issues, sends and deliveries live in their own module.
from articles.newsletter.models import (  # noqa: E402, F401
    Delivery,
    FigureSnapshot,
    NewsletterIssue,
    NewsletterSend,
    SendingLease,
)
