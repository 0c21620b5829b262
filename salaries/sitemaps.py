"""Salary pages in ``sitemap.xml``: only slices with published figures (thin slices are
``noindex`` on the page itself)."""

from django.contrib.sitemaps import Sitemap

from salaries import selectors


class SalaryPageSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def __init__(self, request=None):
        self.request = request

    def items(self):
        return selectors.salary_stat_sitemap()

    def location(self, stat):
        return stat.get_absolute_url()

    def lastmod(self, stat):
        return stat.computed_at
