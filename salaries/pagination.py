"""Pagination of the partner API's lists, and the citation every response carries.

Lists answer ``{"count", "next", "previous", "computed_at", "methodology",
"min_sample_size", "results"}`` and a ``Link`` header with the next and previous pages
(handy with ``?format=csv``, whose body holds the rows only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from portal.query import one_value, whole_number
from salaries import selectors

MAX_PAGE_SIZE = 500


def methodology_url(request) -> str:
    return request.build_absolute_uri(reverse("partner-guide") + "#methodology")


@dataclass(frozen=True)
class Citation:
    """When the published figures were computed (and by which run), where the method is
    explained, and the sample size under which money figures are withheld."""

    run: int  # the statistics run the figures belong to (0 before the first)
    computed_at: datetime | None
    methodology: str
    min_sample_size: int

    @classmethod
    def of(cls, request) -> Citation:
        run = selectors.stats_run_latest()
        return cls(
            run=run.pk if run else 0,
            computed_at=run.finished_at if run else None,
            methodology=methodology_url(request),
            min_sample_size=settings.SALARY_MIN_OFFERS,
        )

    def fields(self) -> dict:
        """The citation as every answer carries it."""
        return {
            "computed_at": self.computed_at,
            "methodology": self.methodology,
            "min_sample_size": self.min_sample_size,
        }


CITATION_SCHEMA = {
    "computed_at": {
        "type": "string",
        "format": "date-time",
        "nullable": True,
        "description": "When the published statistics were last computed (UTC); null "
        "before the first computation.",
        "example": "2024-12-31T23:00:00Z",
    },
    "methodology": {
        "type": "string",
        "format": "uri",
        "description": "How the figures are computed: cite it with the figures.",
        "example": "https://salaries.example.com/api/#methodology",
    },
    "min_sample_size": {
        "type": "integer",
        "description": "Slices with fewer offers than this publish offers and candidates "
        "only; their money figures and histogram are null. Other disclosure rules can "
        "withhold figures too: each slice names the rule in withheld.",
        "example": 5,
    },
}


class CitedPagination(PageNumberPagination):
    """Pages of a list; ``page_size`` outside 1 to ``MAX_PAGE_SIZE`` is a 400 (never a
    silent clamp), and ``page`` and ``page_size`` are given once each."""

    page_size_query_param = "page_size"
    page_size_query_description = f"Results per page, 1 to {MAX_PAGE_SIZE} (default 50)."
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        self.params = getattr(view, "cache_params", None)
        return super().paginate_queryset(queryset, request, view)

    def _page_url(self, number: int) -> str:
        """Links carry only the parameters the view reads (``cache_params``): an answer
        cached for one client must not hand the next one the first one's stray ones."""
        request = self.request
        query = self.params.normalise(request.GET) if self.params else request.GET.urlencode()
        url = request.build_absolute_uri(request.path) + (f"?{query}" if query else "")
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_next_link(self):
        return self._page_url(self.page.next_page_number()) if self.page.has_next() else None

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        return self._page_url(self.page.previous_page_number())

    def get_page_size(self, request):
        raw = one_value(request.query_params, self.page_size_query_param)
        if not raw:
            return self.page_size
        size = whole_number(raw, low=1, high=self.max_page_size)
        if size is None:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number of results per page from 1 to "
                        f"{self.max_page_size}; for more, follow the next links."
                    ]
                }
            )
        return size

    def get_page_number(self, request, paginator):
        one_value(request.query_params, self.page_query_param)
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_paginated_response(self, data):
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        body = {
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            **self.view.citation.fields(),
            "results": data,
        }
        return Response(body, headers={"Link": ", ".join(links)} if links else None)

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        properties = base["properties"]
        example = "https://salaries.example.com/api/v1/stats/?page={}&year=2024"
        base["properties"] = {
            "count": {**properties["count"], "example": 230},
            "next": {**properties["next"], "example": example.format(3)},
            "previous": {**properties["previous"], "example": example.format(1)},
            **CITATION_SCHEMA,
            "results": properties["results"],
        }
        base["required"] = list(base["properties"])
        return base
