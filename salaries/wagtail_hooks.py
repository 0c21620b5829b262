"""The Salaries menu in the Wagtail admin: editors name and describe what offers refer to;
administrators manage API partners and their keys."""

from django import forms
from django.db.models import Q
from django.template.response import TemplateResponse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from salaries.models import Partner, PartnerAPIKey, Specialization, Technology


class NameSearchForm(BaseFilterForm):
    """A search box for choosers of catalogue entries (by name or slug, in the database:
    the catalogue grows through imports, which no search index would follow)."""

    q = forms.CharField(
        label="Search term",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Search by name"}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(Q(name__icontains=query) | Q(slug__icontains=query))
            self.is_searching, self.search_query = True, query
        return objects


class CatalogueChooseView(ChooseView):
    filter_form_class = NameSearchForm


class CatalogueChooseResultsView(ChooseResultsView):
    filter_form_class = NameSearchForm


class CatalogueChooserViewSet(SnippetChooserViewSet):
    choose_view_class = CatalogueChooseView
    choose_results_view_class = CatalogueChooseResultsView


class SpecializationViewSet(SnippetViewSet):
    model = Specialization
    icon = "group"
    menu_label = "Specializations"
    list_display = ["name", "role_title", "slug"]
    search_fields = ["name", "slug", "role_title"]
    search_backend_name = None  # plain database filtering: no search index to keep
    chooser_viewset_class = CatalogueChooserViewSet
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
    chooser_viewset_class = CatalogueChooserViewSet
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


class PartnerAPIKeyForm(WagtailAdminModelForm):
    """A key stays with the partner it was made for, and revocation is final."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["partner"].disabled = True
            if self.instance.revoked:
                self.fields["revoked"].disabled = True
        self.fields[
            "expiry_date"
        ].help_text = "The key stops working at this time. Empty: it never expires."


class PartnerAPIKeyCreateView(CreateView):
    """Makes the key on save and shows it once, on the page that answers the form: only
    its hash is stored, so it can never be shown again."""

    def save_instance(self):
        self.new_key = PartnerAPIKey.objects.assign_key(self.form.instance)
        return super().save_instance()

    def save_action(self):
        return TemplateResponse(
            self.request,
            "salaries/admin/partner_key_created.html",
            {
                "api_key": self.object,
                "key": self.new_key,
                "index_url": self.get_success_url(),
                "header_title": f"New key for {self.object.partner}",
                "page_title": f"New key for {self.object.partner}",
            },
        )


class PartnerAPIKeyViewSet(SnippetViewSet):
    model = PartnerAPIKey
    icon = "password"
    menu_label = "API keys"
    add_view_class = PartnerAPIKeyCreateView
    list_display = ["name", "partner", "prefix", "created", "expiry_date", "status"]
    list_filter = ["partner", "revoked"]
    search_fields = ["name", "prefix", "partner__name"]
    search_backend_name = None
    ordering = ["-created"]
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("partner"),
            FieldPanel("name"),
            FieldPanel("expiry_date"),
            FieldPanel("revoked"),
        ],
        base_form_class=PartnerAPIKeyForm,
    )


class SalariesGroup(SnippetViewSetGroup):
    items = (SpecializationViewSet, TechnologyViewSet, PartnerViewSet, PartnerAPIKeyViewSet)
    menu_label = "Salaries"
    menu_icon = "table"
    menu_order = 300


register_snippet(SalariesGroup)
