"""Editors manage specializations, technologies and partners from the Salaries menu."""

import pytest
from django.contrib.auth import get_user_model

from salaries.factories import SpecializationFactory, TechnologyFactory
from salaries.models import Technology

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw-Long-42")
    client.force_login(user)
    return client


def test_salaries_menu_lists_the_three_sections(editor_client):
    html = editor_client.get("/admin/").content.decode()
    for label in ("Salaries", "Specializations", "Technologies", "API partners"):
        assert label in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/salaries/specialization/",
        "/admin/snippets/salaries/technology/",
        "/admin/snippets/salaries/partner/",
        "/admin/snippets/salaries/technology/?q=fla",
    ],
)
def test_listings_open(editor_client, url):
    TechnologyFactory(slug="flask", name="Flask")
    SpecializationFactory(slug="back-end")
    response = editor_client.get(url)
    assert response.status_code == 200


def test_editor_renames_and_relates_a_technology(editor_client):
    flask = TechnologyFactory(slug="flask", name="flask")
    django = TechnologyFactory(slug="django", name="Django")
    response = editor_client.post(
        f"/admin/snippets/salaries/technology/edit/{flask.pk}/",
        {
            "name": "Flask",
            "description": "A micro web framework for Python.",
            "related": [django.pk],
            "slug": "flask",
        },
    )
    assert response.status_code == 302
    flask = Technology.objects.get(pk=flask.pk)
    assert flask.name == "Flask"
    assert list(flask.related.values_list("slug", flat=True)) == ["django"]
    assert list(django.related.values_list("slug", flat=True)) == ["flask"]


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/admin/snippets/salaries/technology/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
