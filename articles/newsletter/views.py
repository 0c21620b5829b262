"""The newsletter's public pages: subscribe with double opt-in, confirm, unsubscribe.

Articles and the home page carry a plain GET form that leads here, so the cached public
pages hold no CSRF token or session; this page, never cached, carries the token for the
POST. Every answer to a subscription is the same, in content and in time, whether or not
the address was known: the request only queues the work (``services.subscription_request``).
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Subscriber
from articles.newsletter.services import subscriber_unsubscribe, subscription_request
from portal.cache import cache_counter_hit
from portal.client_address import client_address
from portal.query import one_value
from salaries.models import Technology

RATE_LIMIT = 5  # subscription attempts per address (IP) and hour
RATE_WINDOW = 60 * 60


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        error_messages={"invalid": "Enter an email address such as name@example.com."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Technology.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to hear about everything.",
    )
    # A field people never see: bots that fill every input reveal themselves.
    website = forms.CharField(required=False, label="Leave this empty")


def _over_rate_limit(request: HttpRequest) -> bool:
    # The client's address as the API's throttles see it (behind a proxy, from
    # X-Forwarded-For as far as the configured number of proxies is trusted).
    key = "newsletter:attempts:" + (client_address(request) or "unknown")
    attempts = cache_counter_hit(key, RATE_WINDOW)  # None: cache unavailable, let it through
    return attempts is not None and attempts > RATE_LIMIT


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if _over_rate_limit(request):
            return render(
                request, "newsletter/subscribe.html", {"form": form, "limited": True}, status=429
            )
        if form.is_valid():
            if not form.cleaned_data["website"]:
                subscription_request(
                    email=form.cleaned_data["email"], topics=form.cleaned_data["topics"]
                )
            return redirect("newsletter:thanks")
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    initial = {"email": one_value(request.GET, "email")[:254]}
    topic = one_value(request.GET, "topic").strip().lower()[:50]
    if topic:
        initial["topics"] = Technology.objects.filter(slug=topic)
    return render(request, "newsletter/subscribe.html", {"form": SubscribeForm(initial=initial)})


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/thanks.html")


def _subscriber(token: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        raise Http404("This link is not valid any more.")
    return subscriber


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = _subscriber(token)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners follow links, so it changes nothing); POST unsubscribes.

    The POST needs no form token: the link's own token is the secret, and mail providers
    send the one-click POST of RFC 8058 (``List-Unsubscribe=One-Click``) without cookies.
    """
    subscriber = _subscriber(token)
    if request.method == "POST":
        subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
