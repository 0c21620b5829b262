"""The site's URLs plus ``/bench/bare/``, a Django view returning a small fixed page, and
``/bench/bare-drf/``, a DRF view returning a small fixed JSON object (no authentication,
throttling or negotiation beyond JSON): what the API benchmark compares with."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.urls import urlpatterns as site_urlpatterns

BARE_PAGE = b"<!DOCTYPE html><html lang=en><title>Bare</title><p>A small fixed page.</p></html>"


def bare(request):
    return HttpResponse(BARE_PAGE)


class BareDRFView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"status": "ok", "figures": [1, 2, 3]})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-drf/", BareDRFView.as_view()),
    *site_urlpatterns,
]
