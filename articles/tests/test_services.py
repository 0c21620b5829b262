"""Putting the page tree back: what load_demo_data relies on when a database lost it."""

import pytest
from wagtail.models import Page, Site

from articles.models import ArticleIndexPage, HomePage
from articles.services import page_tree_ensure

pytestmark = pytest.mark.django_db


def test_the_tree_from_the_migrations_is_used_as_it_is(index):
    assert page_tree_ensure() == index
    assert ArticleIndexPage.objects.count() == 1


def test_a_lost_tree_is_rebuilt_and_served(client):
    Site.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()
    Page.objects.all().delete()
    index = page_tree_ensure()
    assert index.live and index.get_parent().specific_class is HomePage
    assert client.get("/").status_code == 200
    assert client.get("/articles/").status_code == 200
    assert page_tree_ensure() == index  # and only once
