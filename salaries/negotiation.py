"""Content negotiation of the partner API (``REST_FRAMEWORK`` names it, so it imports no
views): an unknown ``?format=`` is a 400 that lists the formats the endpoint has."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation

from portal.query import one_value


class FormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        one_value(request.query_params, self.settings.URL_FORMAT_OVERRIDE)  # given once
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        found = [renderer for renderer in renderers if renderer.format == format]
        if not found:
            offered = ", ".join(r.format for r in renderers if r.format != "api")
            raise exceptions.ValidationError(
                {"format": [f'Unknown format "{format}" here. Use one of: {offered}.']},
                code="unknown_format",
            )
        return found
