"""What ``sitemap.xml`` lists besides the Wagtail pages: salary pages with published
figures (thin slices are ``noindex`` on the page itself), the explorer, the
specialization pages, the partner guide and the comparisons of related technologies that
both publish. Every address is under the request's origin (``portal.origin``), like the
pages' own canonical links."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from portal.origin import absolute_url
from salaries import selectors
from salaries.slugs import ALL
from salaries.views.compare import comparison_sitemap_items


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


class SectionSitemap(Sitemap):
    """The explorer, each specialization with published figures, and the partner guide."""

    changefreq = "monthly"

    def items(self):
        specializations = sorted(
            {
                stat.specialization_slug
                for stat in selectors.salary_stat_sitemap().select_related("specialization")
            }
            | {ALL}
        )
        return [
            reverse("salaries:explorer"),
            *(reverse("salaries:specialization", args=[slug]) for slug in specializations),
            reverse("partner-guide"),
        ]

    def location(self, path):
        return path


class ComparisonSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return comparison_sitemap_items()

    def location(self, path):
        return path


class PageSitemap(WagtailSitemap):
    """Wagtail's pages under the request's origin, as the rest of the sitemap (Wagtail
    would build them from the Site record's host, which may differ)."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = absolute_url(self.request, url["location"])
        return urls
