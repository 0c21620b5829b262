"""The admin dashboard as a newsroom's home: the last statistics run and what moved,
articles whose live figures moved most since they were last published, subscribers by
topic, and the last newsletter issue sent with its delivery counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

from articles.figures import Move, figure_moves, recorded_runs
from articles.models import ArticlePage, Subscriber
from articles.newsletter.models import Delivery, NewsletterSend
from salaries.models import StatsRun, Technology


class _Panel(Component):
    name = ""
    order = 50

    def __init__(self, request):
        self.request = request


class StatisticsPanel(_Panel):
    name = "statistics_run"
    order = 10
    template_name = "articles/dashboard/statistics.html"

    def get_context_data(self, parent_context=None):
        return {"run": StatsRun.objects.order_by("-id").first(), "moves": figure_moves(limit=5)}


@dataclass(frozen=True)
class Reread:
    article: ArticlePage
    move: Move


def articles_to_reread(*, limit: int = 5) -> list[Reread]:
    """Live articles with a topic whose figures moved since the article was last
    published (the run before its publication against the newest), most moved first."""
    newest = recorded_runs(limit=1)
    if not newest:
        return []
    articles = ArticlePage.objects.live().filter(
        Q(topic_specialization__isnull=False) | Q(topic_technology__isnull=False)
    )
    by_run: dict[int, list[ArticlePage]] = {}
    for article in articles.exclude(last_published_at=None):
        then = recorded_runs(limit=1, before=article.last_published_at)
        if then and then[0] != newest[0]:
            by_run.setdefault(then[0], []).append(article)
    found = []
    for then, group in by_run.items():
        topics = {(a.topic_specialization_id, a.topic_technology_id) for a in group}
        moves = figure_moves(runs=(then, newest[0]), slices=topics, limit=None)
        latest: dict[tuple, Move] = {}
        for move in moves:  # the article shows its topic's newest year
            key = (
                move.specialization.pk if move.specialization else None,
                move.technology.pk if move.technology else None,
            )
            if key not in latest or move.year > latest[key].year:
                latest[key] = move
        for article in group:
            move = latest.get((article.topic_specialization_id, article.topic_technology_id))
            if move is not None:
                found.append(Reread(article=article, move=move))
    found.sort(key=lambda item: item.move.score, reverse=True)
    return found[:limit]


class RereadPanel(_Panel):
    name = "articles_to_reread"
    order = 20
    template_name = "articles/dashboard/reread.html"

    def get_context_data(self, parent_context=None):
        return {"items": articles_to_reread()}


def subscribers_by_topic() -> list[tuple[str, int]]:
    """Confirmed subscribers of each technology that has any, most first, and those who
    chose no topic (everything) first of all."""
    confirmed = Q(subscriber__status=Subscriber.Status.CONFIRMED)
    everything = Subscriber.objects.filter(
        status=Subscriber.Status.CONFIRMED, topics__isnull=True
    ).count()
    through = Subscriber.topics.through
    counts = (
        through.objects.filter(confirmed)
        .values("technology_id")
        .annotate(n=Count("subscriber_id"))
        .order_by("-n")
    )
    names = Technology.objects.in_bulk([row["technology_id"] for row in counts])
    rows = [("Everything (no topic chosen)", everything)]
    rows += [(names[row["technology_id"]].name, row["n"]) for row in counts]
    return rows


class SubscribersPanel(_Panel):
    name = "subscribers_by_topic"
    order = 30
    template_name = "articles/dashboard/subscribers.html"

    def get_context_data(self, parent_context=None):
        return {
            "rows": subscribers_by_topic(),
            "confirmed": Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).count(),
            "list_url": reverse("wagtailsnippets_articles_subscriber:list"),
            "can_view": self.request.user.has_perm("articles.view_subscriber"),
        }


class LastIssuePanel(_Panel):
    name = "last_newsletter_issue"
    order = 40
    template_name = "articles/dashboard/last_issue.html"

    def get_context_data(self, parent_context=None):
        from articles.newsletter.admin import SEND_URL_NAME, delivery_counts

        send = (
            NewsletterSend.objects.exclude(state=NewsletterSend.State.CANCELLED)
            .select_related("issue")
            .order_by("-scheduled_for")
            .first()
        )
        if send is None:
            return {"send": None}
        issue = send.issue
        sends = issue.sends.all()
        counts = dict.fromkeys(Delivery.Status.values, 0)
        for one in sends:
            for status, n in delivery_counts(one).items():
                counts[status] += n
        return {
            "send": send,
            "issue": issue,
            "counts": [(label, counts[value]) for value, label in Delivery.Status.choices],
            "send_url": reverse(SEND_URL_NAME, args=[issue.pk]),
        }


def dashboard_panels(request) -> list[Component]:
    return [
        StatisticsPanel(request),
        RereadPanel(request),
        SubscribersPanel(request),
        LastIssuePanel(request),
    ]
