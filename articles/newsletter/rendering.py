"""An issue as the mail it becomes: subject, an HTML part and a plain-text part.

An issue is rendered once per run of the sender and then made personal per recipient by
putting their own unsubscribe link where a marker stands, so a large send does not render
the blocks (and query the figures) once per subscriber.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from articles.models import Subscriber
from articles.newsletter.models import NewsletterIssue

# Stands where the recipient's own unsubscribe link goes; it cannot occur in rendered text.
_MARK = "\x00unsubscribe-url\x00"


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def unsubscribe_url(subscriber: Subscriber) -> str:
    return site_url(reverse("newsletter:unsubscribe", args=[subscriber.token]))


def preview_unsubscribe_url() -> str:
    return site_url(reverse("newsletter:unsubscribe", args=["preview"]))


@dataclass(frozen=True)
class PersonalMail:
    subject: str
    html: str
    text: str
    unsubscribe_url: str


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str
    text: str

    def personal(self, unsubscribe: str) -> PersonalMail:
        return PersonalMail(
            subject=self.subject,
            html=self.html.replace(_MARK, escape(unsubscribe)),
            text=self.text.replace(_MARK, unsubscribe),
            unsubscribe_url=unsubscribe,
        )


def issue_render(issue: NewsletterIssue) -> RenderedIssue:
    """Render the issue's blocks once, as HTML and as plain text."""
    context = {"issue": issue, "site_name": settings.WAGTAIL_SITE_NAME}
    html_parts, text_parts = [], []
    for child in issue.body:
        block = child.block
        block_context = block.get_context(child.value, parent_context=context)
        html_parts.append(render_to_string(block.meta.template, block_context))
        text_parts.append(render_to_string(block.meta.text_template, block_context).strip())
    context |= {
        "blocks_html": html_parts,
        "blocks_text": [part for part in text_parts if part],
        "unsubscribe_url": _MARK,
        "site_url": site_url("/"),
    }
    return RenderedIssue(
        subject=issue.subject,
        html=render_to_string("newsletter/email/issue.html", context),
        text=render_to_string("newsletter/email/issue.txt", context),
    )


def message_id_domain() -> str:
    return settings.WAGTAILADMIN_BASE_URL.split("//", 1)[-1].split("/", 1)[0].split(":")[0]


def issue_message(
    mail: PersonalMail, *, to: str, delivery_id: int | None = None
) -> EmailMultiAlternatives:
    """The mail to one recipient: plain text with an HTML alternative, and the one-click
    unsubscribe headers of RFC 8058 (the same link as in the mail's footer, which takes a
    POST without any form token)."""
    # A delivery keeps its Message-ID across attempts, so a receiving system can fold a
    # mail that an interrupted send handed over twice.
    local = f"newsletter-{delivery_id}" if delivery_id else f"test-{secrets.token_hex(8)}"
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{mail.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{settings.WAGTAIL_SITE_NAME} <newsletter.{message_id_domain()}>",
            "Message-ID": f"<{local}@{message_id_domain()}>",
        },
    )
    message.attach_alternative(mail.html, "text/html")
    return message
