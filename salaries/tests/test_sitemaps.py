"""The sitemap of salary pages: only slices with published money figures."""

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
    assert body.count("/salaries/") == published_count
