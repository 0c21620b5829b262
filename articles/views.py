"""Search over articles and technologies."""

from django.core.paginator import Paginator
from django.shortcuts import render

from articles.models import ArticlePage
from salaries.models import Technology

RESULTS_PER_PAGE = 10


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    context = {"query": query, "search_page": True}
    if query:
        articles = ArticlePage.objects.live().public().search(query)
        context["results"] = Paginator(articles, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context["technologies"] = Technology.objects.filter(name__icontains=query).order_by("name")[
            :12
        ]
    response = render(request, "articles/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
