"""Newsletter issues and their delivery.

An issue is composed in the admin (a snippet with revisions and an email preview). Sending
it makes a ``NewsletterSend`` (now or at a time, to everyone or to chosen topics); when the
send starts, the worker writes one ``Delivery`` per recipient, unique per issue and
subscriber, and works through them: that row is what makes a send resumable without
mailing anyone twice.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.http import HttpResponse
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin, RevisionMixin

from articles.newsletter.blocks import IssueStreamBlock


class NewsletterIssue(PreviewableMixin, RevisionMixin, ClusterableModel):
    """One issue of the newsletter: subject, intro, a body of blocks and its topics."""

    subject = models.CharField(max_length=150, help_text="The subject line of the mail.")
    intro = models.TextField(
        blank=True, help_text="A short paragraph under the subject at the top of the mail."
    )
    topics = ParentalManyToManyField(
        "salaries.Technology",
        blank=True,
        related_name="+",
        help_text="What the issue is about: its “what changed” block lists these "
        "technologies' slices, and it can be sent to their subscribers. Empty: everything.",
    )
    body = StreamField(IssueStreamBlock(), blank=True, use_json_field=True)
    prepared_for_run = models.ForeignKey(
        "salaries.StatsRun",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The statistics run this draft was prepared after, when made automatically.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="newsletter_issue")

    panels = [
        FieldPanel("subject"),
        FieldPanel("intro"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "newsletter issue"
        permissions = [("send_newsletterissue", "Can send newsletter issues to subscribers")]

    def __str__(self) -> str:
        return self.subject

    @property
    def revisions(self):
        return self._revisions

    preview_modes = [("html", "Email (HTML)"), ("text", "Email (plain text)")]

    def serve_preview(self, request, mode_name):
        """The mail as a subscriber receives it, with a sample unsubscribe link."""
        from articles.newsletter.rendering import issue_render, preview_unsubscribe_url

        mail = issue_render(self).personal(preview_unsubscribe_url())
        if mode_name == "text":
            return HttpResponse(mail.text, content_type="text/plain; charset=utf-8")
        return HttpResponse(mail.html)

    @property
    def topic_names(self) -> str:
        return ", ".join(topic.name for topic in self.topics.all()) or "Everything"

    @property
    def last_send(self) -> NewsletterSend | None:
        return self.sends.order_by("-created_at").first()


class NewsletterSend(models.Model):
    """A request to mail an issue, now or at a time, to every confirmed subscriber or to
    those of chosen topics (subscribers without topics want everything, so they count)."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        DONE = "done", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="sends")
    everyone = models.BooleanField(
        default=True, help_text="Every confirmed subscriber; otherwise those of the topics."
    )
    topics = models.ManyToManyField("salaries.Technology", blank=True, related_name="+")
    scheduled_for = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "scheduled_for"], name="newsletter_send_due_idx")]

    def __str__(self) -> str:
        return f"{self.issue} ({self.get_state_display()})"

    @property
    def audience(self) -> str:
        if self.everyone:
            return "every confirmed subscriber"
        names = ", ".join(topic.name for topic in self.topics.all())
        return f"subscribers of {names} (and of everything)"


class Delivery(models.Model):
    """One recipient of one issue: pending until the SMTP server accepted the mail (sent),
    refused the address for good (bounced), or kept failing (failed); skipped when the
    subscriber unsubscribed or bounced before their turn."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        SKIPPED = "skipped", "Skipped"

    send = models.ForeignKey(NewsletterSend, on_delete=models.CASCADE, related_name="deliveries")
    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="+")
    subscriber = models.ForeignKey(
        "articles.Subscriber", on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="delivery_one_per_issue_and_subscriber"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.issue} → {self.subscriber_id}: {self.status}"


class SendingLease(models.Model):
    """The one right to send newsletter mail (a single row): whoever holds it mails and
    keeps the pace of ``NEWSLETTER_RATE_PER_MINUTE`` across every worker."""

    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True)
    next_mail_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"sending lease ({self.holder or 'free'})"


class FigureSnapshot(models.Model):
    """The published offers and median of one slice after one statistics run, kept so
    that runs can be compared (the published set itself only holds the newest run)."""

    run = models.ForeignKey("salaries.StatsRun", on_delete=models.CASCADE, related_name="+")
    specialization = models.ForeignKey(
        "salaries.Specialization", null=True, on_delete=models.CASCADE, related_name="+"
    )
    technology = models.ForeignKey(
        "salaries.Technology", null=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    offers = models.PositiveIntegerField()
    median = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["run", "technology"], name="figure_snapshot_run_idx")]

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.specialization_id}/{self.technology_id}/{self.year}"
