"""Values every page of the site frame needs."""

from django.conf import settings


def site_frame(request):
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
