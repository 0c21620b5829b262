"""Editors' admin: the Newsletter menu (issues, subscribers with search and CSV export) and
the dashboard's panels."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from articles.dashboard import dashboard_panels
from articles.models import Subscriber
from articles.newsletter.admin import NewsletterIssueViewSet
from portal import spreadsheets


class SubscriberIndexView(IndexView):
    """The list, whose CSV export is written spreadsheet-safe: anyone can subscribe, and
    an address such as ``=cmd|'/C calc'!A0@example.com`` is valid. (Wagtail's XLSX
    export already stores every cell as text.)"""

    def stream_csv(self, queryset):
        out = spreadsheets.writer(spreadsheets.LineEcho())
        yield out.writerow([self.get_heading(queryset, field) for field in self.list_export])
        for item in queryset:
            row = self.to_row_dict(item)
            yield out.writerow(
                [
                    self.preprocess_field_value(field, row[field], self.FORMAT_CSV)
                    for field in self.list_export
                ]
            )


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    index_view_class = SubscriberIndexView
    icon = "group"
    menu_label = "Subscribers"
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


class NewsletterViewSetGroup(SnippetViewSetGroup):
    items = (NewsletterIssueViewSet, SubscriberViewSet)
    menu_icon = "mail"
    menu_label = "Newsletter"
    menu_name = "newsletter"
    menu_order = 310


register_snippet(NewsletterViewSetGroup)


@hooks.register("construct_homepage_panels")
def _dashboard(request, panels) -> None:
    panels[:0] = dashboard_panels(request)
