"""The newsletter's public pages: subscribe in one step, confirm (then choose topics),
unsubscribe.

Every page carries the same small form (``includes/subscribe_form.html``): an address and
one button, posted straight to ``subscribe``, which queues the confirmation mail. The
cached public pages hold no per-visitor token, so that POST is exempt from the CSRF token;
it is guarded instead by the browser's own word on where the form was sent from (``Origin``
and ``Sec-Fetch-Site``, checked against the site's public origin), by a per-address rate
limit, and by the double opt-in itself: nothing is subscribed until the owner of the
address follows the mailed link. Every answer to a subscription is the same, in content and
in time, whether or not the address was known: the request only queues the work
(``services.subscription_request``). Topics are chosen on the confirmation page, which the
emailed link opens and whose own token is the secret.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Subscriber
from articles.newsletter.services import (
    subscriber_confirm,
    subscriber_topics_set,
    subscriber_unsubscribe,
    subscription_request,
)
from portal.cache import cache_counter_hit
from portal.client_address import client_address
from portal.origin import public_origin
from portal.query import one_value
from salaries.models import Technology

RATE_LIMIT = 5  # subscription attempts per address (IP) and hour
RATE_WINDOW = 60 * 60
SUBSCRIBE_FIELDS = ("email", "topic", "website")
ECHO_LIMIT = 1000  # characters of a typed value shown back on an error page
# What Sec-Fetch-Site may say about a form this site's own page sent ("none": the visitor
# acted in the browser itself, e.g. resent the form from its history).
OWN_FETCH_SITES = {"same-origin", "none"}
DEFAULT_PORTS = {"http": 80, "https": 443}


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address such as name@example.com.",
            "max_length": "An email address has at most 254 characters.",
            "null_characters_not_allowed": "Enter an email address such as name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    # The technology of the page the form was on, as the first topic (changed after
    # confirming); an unknown or malformed one is simply no topic.
    topic = forms.CharField(required=False, max_length=ECHO_LIMIT, strip=True)
    # A field people never see: bots that fill every input reveal themselves.
    website = forms.CharField(required=False, max_length=ECHO_LIMIT, label="Leave this empty")

    def topics(self) -> list[Technology]:
        slug = self.cleaned_data.get("topic", "").lower()[:50]
        return list(Technology.objects.filter(slug=slug)) if slug else []


class TopicsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Technology.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to hear about everything.",
        error_messages={"invalid_choice": "Choose topics from the list."},
    )


def _over_rate_limit(request: HttpRequest) -> bool:
    # The client's address as the API's throttles see it (behind a proxy, from
    # X-Forwarded-For as far as the configured number of proxies is trusted).
    key = "newsletter:attempts:" + (client_address(request) or "unknown")
    attempts = cache_counter_hit(key, RATE_WINDOW)  # None: cache unavailable, let it through
    return attempts is not None and attempts > RATE_LIMIT


def _origin_key(origin: str) -> tuple[str, str, int] | None:
    """An origin as scheme, host and port, the default port spelled out (``Host`` may
    name it where ``Origin`` leaves it out); None for "null" or anything unreadable."""
    try:
        parts = urlsplit(origin.strip().lower())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.scheme, parts.hostname, port


def sent_from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says the form was sent from one of this site's pages.

    Browsers name the page's origin in ``Origin`` on every form POST, and modern ones say in
    ``Sec-Fetch-Site`` whether it was the same origin; when either is sent it must agree
    with the site's public origin (or an origin trusted for CSRF). A client that sends
    neither (an old browser, a script) is let through: it could not have been made to send
    the form by another site's page, and the rate limit and the double opt-in still hold.
    """
    origin = request.headers.get("Origin")
    if origin is not None:
        own = {_origin_key(public_origin(request))} | {
            _origin_key(trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS
        }
        if _origin_key(origin) not in own - {None}:
            return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    return fetch_site is None or fetch_site.lower() in OWN_FETCH_SITES


def _posted_form(request: HttpRequest) -> SubscribeForm:
    """The form as posted, one value per field: a field sent twice keeps its first value
    on the page and is named in an error, never silently resolved."""
    try:
        post = request.POST
    except MultiPartParserError:
        post = QueryDict()
    data = {name: post.getlist(name)[0][:ECHO_LIMIT] for name in SUBSCRIBE_FIELDS if name in post}
    for name in ("topic", "website"):  # only the address is worth an error message
        if name in data:
            data[name] = data[name].replace("\x00", "")
    form = SubscribeForm(data)
    if form.is_valid():
        for name in SUBSCRIBE_FIELDS:
            if len(post.getlist(name)) > 1:
                if name == "email":
                    form.add_error("email", "Enter one email address, not several.")
                else:
                    form.add_error(None, "The form arrived garbled; please send it again.")
    return form


def _subscribe_page(request: HttpRequest, form: SubscribeForm, *, status: int = 200, **context):
    return render(request, "newsletter/subscribe.html", {"form": form, **context}, status=status)


@csrf_exempt  # the cached pages' form carries no token: see the module's docstring
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial = {
            "email": one_value(request.GET, "email")[:254],
            "topic": one_value(request.GET, "topic").strip().lower()[:50],
        }
        return _subscribe_page(request, SubscribeForm(initial=initial))
    form = _posted_form(request)
    if not sent_from_this_site(request):
        # Another site's page sent it; the visitor can still send it from this one.
        return _subscribe_page(request, form, status=403, foreign=True)
    if _over_rate_limit(request):
        return _subscribe_page(request, form, status=429, limited=True)
    if not form.is_valid():
        return _subscribe_page(request, form, status=400)
    if not form.cleaned_data["website"]:
        subscription_request(email=form.cleaned_data["email"], topics=form.topics())
    return redirect("newsletter:thanks")


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/thanks.html")


def _subscriber(token: str) -> Subscriber:
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        raise Http404("This link is not valid any more.")
    return subscriber


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Following the mailed link confirms the subscription and offers the topics; the page
    posts the choice back to itself (and can be opened again later to change it)."""
    subscriber = _subscriber(token)
    if request.method == "POST":
        form = TopicsForm(request.POST)
        if form.is_valid():
            subscriber_topics_set(subscriber=subscriber, topics=form.cleaned_data["topics"])
            return redirect(reverse("newsletter:confirm", args=[token]) + "?saved=1#topics")
        status = 400
    else:
        subscriber_confirm(subscriber=subscriber)
        form = TopicsForm(initial={"topics": list(subscriber.topics.all())})
        status = 200
    context = {
        "subscriber": subscriber,
        "form": form,
        "saved": request.method == "GET" and request.GET.get("saved") == "1",
    }
    return render(request, "newsletter/confirmed.html", context, status=status)


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
