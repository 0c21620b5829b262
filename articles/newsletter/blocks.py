"""The blocks of a newsletter issue. They render as mail: ``Meta.template`` is the HTML part
(simple markup with inline styles, as mail clients need) and ``Meta.text_template`` the
plain-text part; links are absolute.
"""

from wagtail import blocks

from articles.blocks import LATEST, LiveSalaryBlock


class TextBlock(blocks.RichTextBlock):
    class Meta:
        icon = "pilcrow"
        template = "newsletter/email/blocks/text.html"
        text_template = "newsletter/email/blocks/text.txt"
        description = "A paragraph of text."
        preview_value = "<p>This month the median for Flask moved up again.</p>"
        features = ["bold", "italic", "link", "ol", "ul"]


class ArticleTeasersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Worth reading")
    articles = blocks.ListBlock(blocks.PageChooserBlock(page_type="articles.ArticlePage"))

    class Meta:
        icon = "doc-full"
        template = "newsletter/email/blocks/articles.html"
        text_template = "newsletter/email/blocks/articles.txt"
        description = "Chosen articles, each with its title, intro and a link."
        preview_value = {"heading": "Worth reading", "articles": []}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["pages"] = [page.specific for page in value["articles"] if page and page.live]
        return context


class EmailLiveSalaryBlock(LiveSalaryBlock):
    """The article block's live figures, as a few lines of text in the mail."""

    class Meta:
        template = "newsletter/email/blocks/live_salary.html"
        text_template = "newsletter/email/blocks/live_salary.txt"
        preview_value = {"year": LATEST, "show_histogram": False}


class WhatChangedBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="What changed")
    limit = blocks.IntegerBlock(
        min_value=1, max_value=20, default=5, help_text="How many slices to list."
    )

    class Meta:
        icon = "list-ul"
        template = "newsletter/email/blocks/what_changed.html"
        text_template = "newsletter/email/blocks/what_changed.txt"
        description = (
            "The slices of the issue's topics (all, when it has none) whose median or "
            "offers moved most between the last two statistics runs."
        )
        preview_value = {"heading": "What changed", "limit": 5}

    def get_context(self, value, parent_context=None):
        from articles.figures import figure_moves

        context = super().get_context(value, parent_context)
        issue = (parent_context or {}).get("issue")
        topics = list(issue.topics.all()) if issue is not None and issue.pk else []
        context["moves"] = figure_moves(technologies=topics or None, limit=value["limit"])
        return context


class IssueStreamBlock(blocks.StreamBlock):
    text = TextBlock()
    articles = ArticleTeasersBlock()
    live_salary = EmailLiveSalaryBlock()
    what_changed = WhatChangedBlock()
