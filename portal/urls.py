from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from portal import views
from portal.api import api_v2
from salaries.partner_guide import partner_guide
from salaries.sitemaps import ComparisonSitemap, PageSitemap, SalaryPageSitemap, SectionSitemap

SITEMAPS = {
    "pages": PageSitemap,
    "sections": SectionSitemap,
    "salaries": SalaryPageSitemap,
    "comparisons": ComparisonSitemap,
}

# The Wagtail admin's editor still runs inline scripts: its views, and only they, may
# (the rest of the policy stays as strict as the site's).
admin_urlpatterns = decorate_urlpatterns(
    wagtailadmin_urls.urlpatterns,
    csp_replace({"script-src": [SELF, "'unsafe-inline'"]}),
)

# JSON under /api/, the site's pages elsewhere.
handler400 = views.bad_request
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(admin_urlpatterns)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", partner_guide, name="partner-guide"),
    path("api/v1/", include("portal.api")),
    path("salaries/", include("salaries.urls")),
    path("api/v2/", api_v2.urls),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("articles.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page serving is last: it claims every path nobody else did.
    path("", include(wagtail_urls)),
]
