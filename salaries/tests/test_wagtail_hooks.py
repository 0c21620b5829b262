"""Editors manage specializations, technologies and partners from the Salaries menu."""

import re

import pytest
from django.contrib.auth import get_user_model

from salaries.factories import SpecializationFactory, TechnologyFactory
from salaries.models import Specialization, Technology

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw-Long-42")
    client.force_login(user)
    return client


def test_salaries_menu_lists_the_three_sections(editor_client):
    html = editor_client.get("/admin/").content.decode()
    for label in ("Salaries", "Specializations", "Technologies", "API partners", "API keys"):
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


# --- Partners and their API keys ---


def test_keys_listing_shows_prefix_and_status_never_the_key(editor_client):
    from salaries.partner_keys import partner_key_create

    api_key, key = partner_key_create(partner_name="Acme Jobs")
    html = editor_client.get("/admin/snippets/salaries/partnerapikey/").content.decode()
    assert "API keys" in html
    assert api_key.prefix in html and "Acme Jobs" in html and "active" in html
    assert key.partition(".")[2] not in html


def test_making_a_key_in_the_admin_shows_it_once(editor_client):
    from salaries.models import Partner, PartnerAPIKey

    partner = Partner.objects.create(name="Acme Jobs", rate="50/minute")
    form = editor_client.get("/admin/snippets/salaries/partnerapikey/add/")
    assert form.status_code == 200 and 'name="expiry_date"' in form.content.decode()
    response = editor_client.post(
        "/admin/snippets/salaries/partnerapikey/add/",
        {"partner": partner.pk, "name": "production", "expiry_date": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be shown again" in html
    key = re.search(r'id="new-api-key"[^>]*value="([^"]+)"', html).group(1)
    api_key = PartnerAPIKey.objects.get_from_key(key)
    assert (api_key.partner, api_key.name) == (partner, "production")
    edit = editor_client.get(f"/admin/snippets/salaries/partnerapikey/edit/{api_key.pk}/")
    assert key not in edit.content.decode()


def test_revoking_a_key_in_the_admin_is_final(editor_client):
    from salaries.models import PartnerAPIKey
    from salaries.partner_keys import partner_key_create

    api_key, key = partner_key_create(partner_name="Acme Jobs")
    url = f"/admin/snippets/salaries/partnerapikey/edit/{api_key.pk}/"
    form = {"partner": api_key.partner_id, "name": api_key.name, "expiry_date": ""}
    assert editor_client.post(url, {**form, "revoked": "on"}).status_code == 302
    assert not PartnerAPIKey.objects.is_valid(key)
    editor_client.post(url, form)  # unticking does nothing: the field is locked
    assert PartnerAPIKey.objects.get(pk=api_key.pk).revoked


def test_a_partner_needs_a_valid_rate(editor_client):
    from salaries.models import Partner

    response = editor_client.post(
        "/admin/snippets/salaries/partner/add/",
        {"name": "Acme Jobs", "contact_email": "", "rate": "lots/hour", "active": "on"},
    )
    assert response.status_code == 200
    assert "Rate must look like 1000/hour" in response.content.decode()
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("slug", "accepted"),
    [
        ("back-end", True),
        ("3d-graphics", True),
        ("c--", True),  # the contract allows hyphens anywhere after the first character
        ("-2-3", False),  # a spreadsheet computes it
        ("-python", False),
        ("Back-End", False),
        ("back_end", False),
        ("all", False),
        ("b" * 51, False),
    ],
)
def test_editors_get_the_importers_slug_rule(editor_client, slug, accepted):
    response = editor_client.post(
        "/admin/snippets/salaries/specialization/add/",
        {"name": "Some Role", "role_title": "", "description": "", "slug": slug},
    )
    assert Specialization.objects.filter(slug=slug).exists() is accepted
    if accepted:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        reason = {"all": "is reserved", "b" * 51: "at most 50 characters"}.get(
            slug, "starting with a letter or a digit"
        )
        assert reason in response.content.decode()


def test_a_technology_slug_must_start_with_a_letter_or_digit(editor_client):
    response = editor_client.post(
        "/admin/snippets/salaries/technology/add/",
        {"name": "Minus", "description": "", "slug": "-net"},
    )
    assert response.status_code == 200
    assert not Technology.objects.filter(slug="-net").exists()
