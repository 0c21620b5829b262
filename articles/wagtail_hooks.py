"""Editors' admin: subscribers under a Newsletter menu, with search and CSV export."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from articles.models import Subscriber


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Newsletter"
    menu_name = "newsletter"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["email", "status", "topic_names", "created_at", "confirmed_at"]
    list_filter = ["status"]
    list_export = ["email", "status", "topic_names", "created_at", "confirmed_at"]
    export_filename = "newsletter-subscribers"
    search_fields = ["email"]
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [FieldPanel("email"), FieldPanel("status"), FieldPanel("topics")]


register_snippet(SubscriberViewSet)
