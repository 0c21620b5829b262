"""The Salaries menu in the Wagtail admin: editors name and describe what offers refer to."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from salaries.models import Partner, Specialization, Technology


class SpecializationViewSet(SnippetViewSet):
    model = Specialization
    icon = "group"
    menu_label = "Specializations"
    list_display = ["name", "role_title", "slug"]
    search_fields = ["name", "slug", "role_title"]
    search_backend_name = None  # plain database filtering: no search index to keep
    ordering = ["name"]
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldPanel("role_title"),
        FieldPanel("description"),
        FieldPanel("slug"),
    ]


class TechnologyViewSet(SnippetViewSet):
    model = Technology
    icon = "code"
    menu_label = "Technologies"
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("related"),
        FieldPanel("slug"),
    ]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "key"
    menu_label = "API partners"
    list_display = ["name", "contact_email", "rate", "active"]
    list_filter = ["active"]
    search_fields = ["name", "contact_email"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldPanel("contact_email"),
        FieldPanel("rate"),
        FieldPanel("active"),
    ]


class SalariesGroup(SnippetViewSetGroup):
    items = (SpecializationViewSet, TechnologyViewSet, PartnerViewSet)
    menu_label = "Salaries"
    menu_icon = "table"
    menu_order = 300


register_snippet(SalariesGroup)
