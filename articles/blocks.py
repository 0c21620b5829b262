"""StreamField blocks for articles: one ``ArticleStreamBlock`` made of small blocks.

Every block has a template in ``templates/blocks/``, an icon, a description and a preview
value, so editors see what they are choosing. The live salary blocks read the published
statistics through ``salaries.selectors``; they never aggregate offers themselves.

One module, though long, as the StreamField's blocks are one vocabulary: editors choose
among them in one menu, and the stream block lists them all here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from salaries import selectors
from salaries.charts import median_ranking_chart, slice_histogram_chart
from salaries.disclosure import withheld_reason
from salaries.facets import FACETS, LABEL, VALUE_LABELS, facet_parse, facets_in_words, value_label
from salaries.filters import MAX_YEAR, MIN_YEAR
from salaries.models import Seniority, slice_subject
from salaries.slugs import slug_or_all

LANGUAGES = [
    ("python", "Python"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("bash", "Shell"),
    ("sql", "SQL"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("toml", "TOML"),
    ("go", "Go"),
    ("java", "Java"),
    ("kotlin", "Kotlin"),
    ("csharp", "C#"),
    ("php", "PHP"),
    ("ruby", "Ruby"),
    ("rust", "Rust"),
    ("dockerfile", "Dockerfile"),
    ("text", "Plain text"),
]
LATEST = "latest"


def highlight_code(code: str, language: str) -> str:
    """Code as highlighted HTML (Pygments, CSS classes from ``static/css/code.css``)."""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
    return mark_safe(highlight(code, lexer, formatter))  # noqa: S308  (Pygments escapes the code)


def _year(value: str | None) -> int | None:
    """A block's year choice as a number, or ``None`` for "latest"."""
    return None if not value or value == LATEST else int(value)


def topic_stat(specialization, technology, year: int | None = None):
    """The published slice for a block's topic (``None`` meaning all) in ``year`` or the
    newest year with data."""
    return selectors.salary_stat_latest(
        specialization=slug_or_all(specialization),
        technology=slug_or_all(technology),
        year=year,
    )


def specialization_chooser() -> SnippetChooserBlock:
    """The topic's specialization in a live block; empty means all of them."""
    return SnippetChooserBlock(
        "salaries.Specialization", required=False, help_text="Empty: every specialization."
    )


def technology_chooser() -> SnippetChooserBlock:
    """The topic's technology in a live block; empty means all of them."""
    return SnippetChooserBlock(
        "salaries.Technology", required=False, help_text="Empty: every technology."
    )


class YearChoiceBlock(blocks.CharBlock):
    """A year such as 2024, or "latest" for the newest year with data."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default", LATEST)
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("help_text", 'A year such as 2024, or "latest".')
        super().__init__(**kwargs)

    def clean(self, value):
        value = (super().clean(value) or LATEST).strip().lower()
        if value != LATEST and not (value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR):
            raise ValidationError(f'Enter a year from {MIN_YEAR} to {MAX_YEAR}, or "latest".')
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Subsection (H3)")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        description = "A section heading; it also appears in the article's table of contents."
        preview_value = {"text": "What a back-end developer does", "level": "h2"}


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=LANGUAGES, default="python")
    code = blocks.TextBlock(help_text="Pasted as is; highlighted on the server.")
    caption = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "code"
        template = "blocks/code.html"
        description = "A code sample, highlighted on the server, with a copy button."
        preview_value = {
            "language": "python",
            "code": 'from flask import Flask\n\napp = Flask(__name__)\n\n@app.get("/")\n'
            'def index():\n    return {"hello": "world"}\n',
            "caption": "A minimal Flask application",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["highlighted"] = highlight_code(value["code"], value["language"])
        context["language_label"] = dict(LANGUAGES).get(value["language"], value["language"])
        return context


class OptionalCodeBlock(CodeBlock):
    """A code sample inside another block: leaving the code empty shows none."""

    code = blocks.TextBlock(required=False, help_text="Optional. Highlighted on the server.")


class AlternativeBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=80)
    link = blocks.URLBlock(required=False, help_text="The project's home page.")
    summary = blocks.RichTextBlock(features=["bold", "italic", "link", "code"])
    code = OptionalCodeBlock(required=False)
    pros = blocks.ListBlock(blocks.CharBlock(max_length=200), label="Pros")
    cons = blocks.ListBlock(blocks.CharBlock(max_length=200), label="Cons")

    class Meta:
        icon = "tasks"
        template = "blocks/alternative.html"
        description = "An alternative technology: what it is, a code sample, pros and cons."
        preview_value = {
            "name": "FastAPI",
            "link": "https://fastapi.tiangolo.com/",
            "summary": "<p>An async-first framework built on type hints.</p>",
            "code": {"language": "python", "code": "@app.get('/')\nasync def index(): ..."},
            "pros": ["Request validation from type hints", "OpenAPI docs for free"],
            "cons": ["Younger ecosystem than Django's"],
        }


class SeniorityRowBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(choices=Seniority.choices)
    years = blocks.CharBlock(max_length=40, help_text='Experience, e.g. "2–5 years".')
    salary_from = blocks.IntegerBlock(min_value=0, help_text="USD per month.")
    salary_to = blocks.IntegerBlock(min_value=0, help_text="USD per month.")
    responsibilities = blocks.TextBlock()

    class Meta:
        icon = "user"

    def clean(self, value):
        value = super().clean(value)
        if value["salary_from"] > value["salary_to"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "salary_to": ValidationError("The top of the range is below its bottom.")
                }
            )
        return value


class SeniorityTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(required=False, max_length=200)
    rows = blocks.ListBlock(SeniorityRowBlock())
    show_live_median = blocks.BooleanBlock(
        required=False,
        help_text="Show the published median per level next to the editorial range, and "
        "flag levels where it falls outside the range.",
    )
    specialization = specialization_chooser()
    technology = technology_chooser()
    year = YearChoiceBlock(required=False)

    class Meta:
        icon = "list-ol"
        template = "blocks/seniority_table.html"
        description = "Junior to expert: years, salary range and responsibilities per level."
        preview_value = {
            "caption": "Back-end developers with Flask",
            "rows": [
                {
                    "level": "junior",
                    "years": "0–2 years",
                    "salary_from": 1500,
                    "salary_to": 3000,
                    "responsibilities": "Fixes bugs, writes small endpoints.",
                },
                {
                    "level": "senior",
                    "years": "5–8 years",
                    "salary_from": 6000,
                    "salary_to": 9000,
                    "responsibilities": "Designs services, mentors.",
                },
            ],
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        live = {}
        if value.get("show_live_median"):
            stat = topic_stat(
                value.get("specialization"), value.get("technology"), _year(value.get("year"))
            )
            if stat is not None:
                live = stat.by_seniority
                context["live_stat"] = stat
        rows = []
        for row in value["rows"]:
            figures = live.get(row["level"]) or {}
            median = figures.get("median")
            rows.append(
                {
                    "row": row,
                    "label": Seniority(row["level"]).label,
                    "median": median,
                    "reason": withheld_reason(figures.get("withheld")),
                    "outside": median is not None
                    and not (row["salary_from"] <= median <= row["salary_to"]),
                }
            )
        context["rows"] = rows
        context["show_live"] = bool(value.get("show_live_median"))
        return context


class RelatedItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "code"])
    code = OptionalCodeBlock(required=False)


class RelatedTechnologiesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(RelatedItemBlock())

    class Meta:
        icon = "list-ol"
        template = "blocks/related_technologies.html"
        description = "A numbered list of related technologies, each with text and code."
        preview_value = {
            "heading": "Top technologies used with Flask",
            "items": [
                {"title": "SQLAlchemy", "text": "<p>The ORM most Flask projects use.</p>"},
                {"title": "Jinja", "text": "<p>Flask's template engine.</p>"},
            ],
        }


class FactBlock(blocks.StructBlock):
    when = blocks.CharBlock(max_length=40, help_text='A year or a version, e.g. "2010" or "2.0".')
    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(FactBlock())

    class Meta:
        icon = "date"
        template = "blocks/timeline.html"
        description = "Quick facts or a history: year or version, title, text."
        preview_value = {
            "heading": "Flask in brief",
            "items": [
                {"when": "2010", "title": "Flask 0.1", "text": "The first release."},
                {"when": "2023", "title": "Flask 3.0", "text": "Python 3.8 and newer."},
            ],
        }


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("info", "Note"), ("tip", "Tip"), ("warning", "Warning")], default="info"
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "code"])

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        description = "A highlighted note, tip or warning."
        preview_value = {
            "tone": "tip",
            "title": "Tip",
            "text": "<p>Figures on this page update when the statistics are recomputed.</p>",
        }


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "An image with alt text and an optional caption."
        preview_value = {"caption": "Chosen images appear here with their caption."}


class DataTableBlock(TableBlock):
    class Meta:
        icon = "table"
        template = "blocks/table.html"
        description = "A table of text, with an optional header row."
        preview_value = {
            "first_row_is_table_header": True,
            "data": [["Framework", "First release"], ["Flask", "2010"], ["Django", "2005"]],
        }


class FacetsBlock(blocks.StructBlock):
    """Narrows a live block to the offers of one seniority, English level, work format
    and country (any of them; none means every offer), with the values the salary page and
    the API take."""

    seniority = blocks.ChoiceBlock(
        choices=list(VALUE_LABELS["seniority"].items()), required=False, label=LABEL["seniority"]
    )
    english_level = blocks.ChoiceBlock(
        choices=list(VALUE_LABELS["english_level"].items()),
        required=False,
        label=LABEL["english_level"],
    )
    remote = blocks.ChoiceBlock(
        choices=list(VALUE_LABELS["remote"].items()), required=False, label=LABEL["remote"]
    )
    country = blocks.CharBlock(
        required=False,
        label=LABEL["country"],
        help_text="A two-letter ISO 3166-1 code such as UA or PL.",
    )

    class Meta:
        icon = "filter"
        label = "Narrow the figures"
        collapsed = True

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for facet in FACETS:
            try:
                value[facet] = facet_parse(facet, value.get(facet) or "") or ""
            except ValueError as error:
                errors[facet] = ValidationError(str(error))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


def block_facets(value) -> dict[str, str]:
    """The facets a block is narrowed to, canonical and in the order of ``FACETS``. A
    stored value that is not valid (saved before a rule changed) narrows nothing rather
    than fail the page; the block says what it is narrowed to, so the reader sees that."""
    chosen = (value or {}).get("facets") or {}
    found = {}
    for facet in FACETS:
        try:
            parsed = facet_parse(facet, str(chosen.get(facet) or ""))
        except ValueError:
            continue
        if parsed is not None:
            found[facet] = parsed
    return found


def faceted_stat(stat, facets: dict[str, str]):
    """The published slice narrowed to ``facets`` by the engine the salary page uses, under
    the same disclosure and complement rules; the slice itself without facets."""
    if stat is None or not facets:
        return stat
    return selectors.salary_stat_narrowed(stat=stat, facets=facets)


def faceted_page_url(stat, facets: dict[str, str]) -> str:
    """The salary page of ``stat`` narrowed as the block is, as the page's form links it."""
    url = stat.get_absolute_url()
    return f"{url}?{urlencode(facets)}" if facets else url


FACET_PHRASES = {
    "seniority": "{} level",
    "english_level": "{} English",
    "remote": "{} work",
    "country": "offers from {}",
}


def facets_caption(facets: dict[str, str]) -> str:
    """What a block is filtered to, as a phrase: "senior level, remote work and offers
    from Ukraine"."""
    phrases = []
    for facet, value in facets.items():
        label = value_label(facet, value)
        label = label if facet == "country" else label.lower()
        phrases.append(FACET_PHRASES[facet].format(label))
    if len(phrases) < 2:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} and {phrases[-1]}"


class LiveSalaryBlock(blocks.StructBlock):
    """Live figures of one slice; the article body uses ``FacetedLiveSalaryBlock``."""

    specialization = specialization_chooser()
    technology = technology_chooser()
    year = YearChoiceBlock()
    show_histogram = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "table"
        template = "blocks/live_salary.html"
        description = (
            "Live salary figures for a specialization and technology: offers, median, "
            "candidates and the histogram. They update whenever the statistics do."
        )
        preview_value = {"year": LATEST, "show_histogram": True}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        year = value.get("year") or LATEST
        facets = block_facets(value)
        stat = topic_stat(value.get("specialization"), value.get("technology"), _year(year))
        stat = faceted_stat(stat, facets)
        context["stat"] = stat
        context["subject"] = slice_subject(value.get("specialization"), value.get("technology"))
        context["year_label"] = year
        context["facets"] = facets
        context["facets_caption"] = facets_caption(facets)
        if stat is not None:
            context["title"] = f"{stat.title}: {facets_in_words(facets)}" if facets else stat.title
            context["url"] = faceted_page_url(stat, facets)
        if stat is not None and stat.published and value.get("show_histogram"):
            chart_id = "-".join(["live", str(stat.pk), *facets.values()])
            context["histogram_svg"] = slice_histogram_chart(stat).render(chart_id)
        return context


class FacetedLiveSalaryBlock(LiveSalaryBlock):
    """The live figures of a slice, optionally narrowed to a seniority, English level, work
    format and country."""

    facets = FacetsBlock(required=False)

    class Meta:
        description = (
            "Live salary figures for a specialization and technology, optionally narrowed "
            "to a seniority, English level, remote or office and a country: offers, median, "
            "candidates and the histogram. They update whenever the statistics do."
        )


class SalaryComparisonBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    specialization = specialization_chooser()
    technologies = blocks.ListBlock(SnippetChooserBlock("salaries.Technology"), min_num=2)
    year = YearChoiceBlock()
    facets = FacetsBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/salary_comparison.html"
        description = (
            "Compare several technologies: a live table and bar chart of medians, optionally "
            "narrowed to a seniority, English level, remote or office and a country."
        )
        preview_value = {"heading": "Flask and its alternatives", "year": LATEST}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        spec = value.get("specialization")
        year = value.get("year") or LATEST
        facets = block_facets(value)
        rows = []
        for tech in value.get("technologies") or []:
            if tech is None:
                continue
            stat = faceted_stat(topic_stat(spec, tech, _year(year)), facets)
            url = faceted_page_url(stat, facets) if stat is not None else ""
            rows.append({"technology": tech, "stat": stat, "url": url})
        published = [
            row["stat"] for row in rows if row["stat"] is not None and row["stat"].published
        ]
        context["rows"] = rows
        context["facets"] = facets
        context["facets_caption"] = facets_caption(facets)
        if published:
            ordered = sorted(published, key=lambda stat: -stat.median)
            subject = slice_subject(spec, None)
            if facets:
                subject = f"{subject}, {facets_in_words(facets)}"
            chart_id = "-".join(
                ["compare", *(str(stat.technology_id) for stat in ordered), *facets.values()]
            )
            context["chart_svg"] = median_ranking_chart(
                ordered,
                title=f"Median salary expectation: {subject}",
                href=lambda stat: faceted_page_url(stat, facets),
            ).render(chart_id)
        return context


class ArticleStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["h3", "bold", "italic", "link", "ol", "ul", "code", "blockquote"],
        icon="pilcrow",
        template="blocks/paragraph.html",
        description="Rich text: paragraphs, lists, links, inline code.",
        preview_value="<p>Back-end developers build the parts of a web application that "
        "users never see: the APIs, data and integrations behind every page.</p>",
    )
    code = CodeBlock()
    alternative = AlternativeBlock()
    seniority_table = SeniorityTableBlock()
    related_technologies = RelatedTechnologiesBlock()
    timeline = TimelineBlock()
    callout = CalloutBlock()
    image = CaptionedImageBlock()
    table = DataTableBlock()
    live_salary = FacetedLiveSalaryBlock()
    salary_comparison = SalaryComparisonBlock()
