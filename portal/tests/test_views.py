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


# --- Errors under /api/ are JSON, whatever the path and whatever went wrong ---


@pytest.mark.parametrize(
    "path", ["/api/v1/specializations/x%0A/", "/api/v1/stats/%0A/", "/api/v1/nope%0A"]
)
def test_partner_api_404s_are_json_even_for_odd_paths(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v2/nope/", "/api/v2/pages/x/", "/api/v3/"])
def test_other_api_404s_are_json(client, home, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found" or "message" in response.json()


def test_a_server_error_under_the_api_is_json(client, monkeypatch):
    from salaries import api

    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(api.SpecializationViewSet, "get_queryset", bug)
    client.raise_request_exception = False
    response = client.get("/api/v1/specializations/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"
    assert "logged" in response.json()["detail"]


def test_a_server_error_on_a_page_is_the_sites_500_page(client, monkeypatch):
    from salaries.views import explorer

    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(explorer, "render", bug)
    client.raise_request_exception = False
    response = client.get("/salaries/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
