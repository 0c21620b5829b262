"""The newsletter in the admin: issues (a snippet with revisions and an email preview in
HTML and plain text), a page to send one (a test to oneself, or to subscribers now or at a
time) that lists its sends with their delivery counts, and the subscribers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from articles.newsletter import services
from articles.newsletter.models import Delivery, NewsletterIssue, NewsletterSend
from salaries.models import Technology

SEND_PERMISSION = "articles.send_newsletterissue"
SEND_URL_NAME = "wagtailsnippets_articles_newsletterissue:send"


def delivery_counts(send: NewsletterSend) -> dict[str, int]:
    """How many deliveries of the send are in each state (every state listed)."""
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for row in send.deliveries.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


class SendForm(forms.Form):
    audience = forms.ChoiceField(
        choices=[("everyone", "Every confirmed subscriber"), ("topics", "Subscribers of topics")],
        widget=forms.RadioSelect,
        initial="everyone",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Technology.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Subscribers who chose no topic get every issue, so they count too.",
    )
    when = forms.ChoiceField(
        choices=[("now", "Now"), ("later", "At a time")], widget=forms.RadioSelect, initial="now"
    )
    at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In UTC.",
    )

    def clean(self):
        data = super().clean()
        if data.get("audience") == "topics" and not data.get("topics"):
            self.add_error("topics", "Choose at least one topic, or send to everyone.")
        if data.get("when") == "later":
            at = data.get("at")
            if at is None:
                self.add_error("at", "Give the time to send at.")
            elif at <= timezone.now():
                self.add_error("at", "Give a time in the future.")
        return data


class IssueSendView(WagtailAdminTemplateMixin, TemplateView):
    """Send a test to oneself, send to subscribers, or cancel a scheduled send."""

    template_name = "newsletter/admin/send.html"
    header_icon = "mail"
    viewset = None

    def dispatch(self, request, pk):
        self.issue = get_object_or_404(NewsletterIssue, pk=pk)
        if not request.user.has_perm("articles.change_newsletterissue"):
            raise PermissionDenied
        self.can_send = request.user.has_perm(SEND_PERMISSION)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return f"Send “{self.issue.subject}”"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse(self.viewset.get_url_name("list")), "label": "Newsletter issues"},
            {
                "url": reverse(self.viewset.get_url_name("edit"), args=[self.issue.pk]),
                "label": self.issue.subject,
            },
            {"url": "", "label": "Send"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sends = list(self.issue.sends.prefetch_related("topics"))
        form = kwargs.get("form") or SendForm(
            initial={"topics": self.issue.topics.all(), "audience": "everyone"}
        )
        context |= {
            "issue": self.issue,
            "form": form,
            "can_send": self.can_send,
            "sends": [(send, delivery_counts(send)) for send in sends],
            "states": Delivery.Status.choices,
            "edit_url": reverse(self.viewset.get_url_name("edit"), args=[self.issue.pk]),
        }
        return context

    def post(self, request, pk):
        action = request.POST.get("action")
        if action == "test":
            if not request.user.email:
                messages.error(request, "Your account has no email address to send a test to.")
            else:
                services.issue_test_request(issue=self.issue, email=request.user.email)
                messages.success(request, f"A test is on its way to {request.user.email}.")
            return redirect(request.path)
        if not self.can_send:
            raise PermissionDenied
        if action == "cancel":
            send = get_object_or_404(NewsletterSend, pk=request.POST.get("send"), issue=self.issue)
            if services.newsletter_send_cancel(send=send):
                messages.success(request, "The scheduled send is cancelled.")
            else:
                messages.error(request, "That send has already started.")
            return redirect(request.path)
        form = SendForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        everyone = form.cleaned_data["audience"] == "everyone"
        send = services.newsletter_send(
            issue=self.issue,
            everyone=everyone,
            topics=[] if everyone else form.cleaned_data["topics"],
            at=form.cleaned_data["at"] if form.cleaned_data["when"] == "later" else None,
            user=request.user,
        )
        messages.success(
            request,
            f"Sending to {send.audience}"
            + (
                f" at {send.scheduled_for:%Y-%m-%d %H:%M} UTC."
                if form.cleaned_data["when"] == "later"
                else " has started."
            ),
        )
        return redirect(request.path)


class IssueEditView(EditView):
    @property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                "Send…",
                url=reverse(SEND_URL_NAME, args=[self.object.pk]),
                icon_name="mail",
                priority=5,
            ),
        ]


class IssueIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            ListingButton(
                "Send…",
                url=reverse(SEND_URL_NAME, args=[instance.pk]),
                icon_name="mail",
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]


class NewsletterIssueViewSet(SnippetViewSet):
    model = NewsletterIssue
    icon = "mail"
    menu_label = "Issues"
    edit_view_class = IssueEditView
    index_view_class = IssueIndexView
    list_display = [
        "subject",
        "topic_names",
        Column("last_send", label="Last send"),
        "updated_at",
    ]
    search_fields = ["subject"]
    search_backend_name = None
    ordering = ["-created_at"]

    @property
    def send_view(self):
        return IssueSendView.as_view(viewset=self)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("send/<int:pk>/", self.send_view, name="send")]
