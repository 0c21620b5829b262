"""Search over articles and technologies."""

import re

from django.core.paginator import Paginator
from django.db import DatabaseError
from django.shortcuts import render

from articles.models import ArticlePage
from portal.query import one_value
from salaries.models import Technology

RESULTS_PER_PAGE = 10
MAX_QUERY = 200


def search_terms(query: str) -> str:
    """The words of a visitor's query, without the punctuation that full-text engines read
    as operators (quotes, brackets, stars, colons) and without bare AND / OR / NOT."""
    words = re.sub(r"[^\w\s.+#-]", " ", query).split()
    return " ".join(word for word in words if word.upper() not in {"AND", "OR", "NOT"})


def search(request):
    query = one_value(request.GET, "q").strip()[:MAX_QUERY]
    context = {"query": query, "search_page": True}
    terms = search_terms(query)
    if terms:
        articles = ArticlePage.objects.live().public().search(terms)
        try:
            results = Paginator(articles, RESULTS_PER_PAGE).get_page(one_value(request.GET, "page"))
            results.object_list = list(results.object_list)
        except DatabaseError:  # a query the search backend still cannot parse
            results = Paginator([], RESULTS_PER_PAGE).get_page(1)
        context["results"] = results
        context["technologies"] = Technology.objects.filter(name__icontains=terms).order_by("name")[
            :12
        ]
    response = render(request, "articles/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
