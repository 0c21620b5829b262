"""RSS and Atom feeds of the newest articles."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from articles.models import ArticlePage


class ArticlesFeed(Feed):
    title = f"{settings.WAGTAIL_SITE_NAME}: articles"
    link = "/articles/"
    description = "New guides on developer roles, technologies and what they pay."

    def items(self):
        return ArticlePage.objects.live().public().order_by("-date", "-pk")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item):
        """When the entry last changed (Atom's required ``<updated>``): its last publish,
        else its publication date."""
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom1Feed
    subtitle = ArticlesFeed.description
