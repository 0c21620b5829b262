import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_home_page_is_a_wagtail_page_inside_the_site_frame(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    for label, href in (
        ("Salaries", "/salaries/"),
        ("Articles", "/articles/"),
        ("API", "/api/"),
    ):
        assert f'<a href="{href}"' in html and f">{label}</a>" in html
    assert "<footer" in html
    assert response.context["page"].specific_class.__name__ == "HomePage"


def test_articles_section_exists(client):
    response = client.get("/articles/")
    assert response.status_code == 200
    assert "No articles have been published yet." in response.content.decode()


def test_admin_login_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_healthz_reports_ok_after_asking_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_503_when_the_database_is_down(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_api_root_is_browsable_json(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert isinstance(response.json(), dict)
    html = client.get("/api/v1/", HTTP_ACCEPT="text/html")
    assert html.status_code == 200
    assert b"Api Root" in html.content or b"API Root" in html.content


def test_unknown_path_gets_the_sites_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "/no/such/page/" in html
    assert 'class="site-header"' in html


def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html


def test_sitemap_lists_the_home_page(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"<urlset" in response.content
