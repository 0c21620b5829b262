"""Search, feeds and the newsletter (articles themselves are Wagtail pages)."""

from django.urls import include, path

from articles import feeds, views
from articles.newsletter import views as newsletter

newsletter_patterns = (
    [
        path("", newsletter.subscribe, name="subscribe"),
        path("thanks/", newsletter.thanks, name="thanks"),
        path("confirm/<str:token>/", newsletter.confirm, name="confirm"),
        path("unsubscribe/<str:token>/", newsletter.unsubscribe, name="unsubscribe"),
    ],
    "newsletter",
)

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/articles.rss", feeds.ArticlesFeed(), name="articles-rss"),
    path("feeds/articles.atom", feeds.ArticlesAtomFeed(), name="articles-atom"),
    path("newsletter/", include(newsletter_patterns)),
]
