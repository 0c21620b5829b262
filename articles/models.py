"""Wagtail page types. Pages stay thin: fields, panels, where they may live, and context."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
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


class ArticleIndexPage(Page):
    """A section that lists the articles under it, newest first."""

    intro = RichTextField(blank=True, help_text="Shown above the list of articles.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["articles.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article index page"
