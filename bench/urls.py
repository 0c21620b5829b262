"""The site's URLs plus ``/bench/bare/``: a Django view returning a small fixed page."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns

BARE_PAGE = b"<!DOCTYPE html><html lang=en><title>Bare</title><p>A small fixed page.</p></html>"


def bare(request):
    return HttpResponse(BARE_PAGE)


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
