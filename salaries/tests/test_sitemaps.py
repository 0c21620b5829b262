"""The sitemap of salary pages: only slices with published money figures."""

import re

import pytest

from salaries.models import SalaryStat

pytestmark = pytest.mark.django_db


# --- Sitemap ---


def test_sitemap_lists_only_slices_with_money_figures(client, published):
    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/salaries/back-end/flask/2024/" in body
    assert "http://testserver/salaries/all/all/2024/" in body
    assert "/salaries/back-end/fastapi/2024/" not in body  # 3 offers
    published_count = SalaryStat.objects.filter(median__isnull=False).count()
    salary_pages = re.findall(r"<loc>http://testserver/salaries/[^/<]+/[^/<]+/\d{4}/</loc>", body)
    assert len(salary_pages) == published_count


def test_sitemap_lists_the_explorer_each_role_the_api_guide_and_comparisons(client, published):
    body = client.get("/sitemap.xml").content.decode()
    for path in ("/salaries/", "/salaries/back-end/", "/salaries/front-end/", "/salaries/all/"):
        assert f"<loc>http://testserver{path}</loc>" in body, path
    assert "<loc>http://testserver/api/</loc>" in body
    # Flask and Django are related and both publish in 2024; FastAPI (3 offers) does not.
    assert "<loc>http://testserver/salaries/compare/back-end/django-vs-flask/2024/</loc>" in body
    assert "fastapi-vs-flask" not in body
