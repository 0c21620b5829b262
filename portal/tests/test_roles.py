"""The newsroom's roles: what an editor and a moderator can reach in the admin, and an
editor's article that waits for a moderator in the moderation workflow."""

import pytest
from django.test import Client
from wagtail.models import WorkflowState

from articles.factories import SubscriberFactory
from articles.models import ArticlePage
from articles.tests.test_admin import article_form
from portal.roles import ADMINISTRATORS, EDITORS, MODERATORS, demo_users_ensure, roles_ensure

pytestmark = pytest.mark.django_db

SUBSCRIBERS = "/admin/snippets/articles/subscriber/"
FORBIDDEN_TO_EDITORS = [
    "/admin/snippets/salaries/partnerapikey/",
    "/admin/snippets/salaries/partnerapikey/add/",
    "/admin/snippets/salaries/partner/",
    "/admin/snippets/salaries/partner/add/",
    SUBSCRIBERS,
    SUBSCRIBERS + "?export=csv",
    "/admin/users/",
    "/admin/groups/",
]


def member(django_user_model, role: str, username: str) -> Client:
    user = django_user_model.objects.create_user(username=username, password="pw-123456")
    user.groups.add(roles_ensure()[role])
    client = Client()
    client.force_login(user)
    return client


def refused(response) -> bool:
    """The admin refuses by redirecting home (with a message) or with a 403."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_an_editor_writes_but_cannot_reach_keys_partners_or_subscribers(django_user_model):
    SubscriberFactory(email="private@example.com")
    editor = member(django_user_model, EDITORS, "eddie")
    for url in [
        "/admin/",
        "/admin/pages/",
        "/admin/images/",
        "/admin/snippets/articles/newsletterissue/",
    ]:
        assert editor.get(url).status_code == 200, url
    for url in FORBIDDEN_TO_EDITORS:
        response = editor.get(url)
        assert refused(response), (url, response.status_code)
        assert b"private@example.com" not in response.content
    menu = editor.get("/admin/").content.decode()
    assert "API keys" not in menu and "API partners" not in menu


def test_a_moderator_sees_and_exports_subscribers_but_not_keys(django_user_model):
    SubscriberFactory(email="reader@example.com")
    moderator = member(django_user_model, MODERATORS, "mia")
    export = moderator.get(SUBSCRIBERS, {"export": "csv"})
    assert export.status_code == 200
    assert "reader@example.com" in b"".join(export.streaming_content).decode()
    assert refused(moderator.get("/admin/snippets/salaries/partnerapikey/"))


def test_an_editors_article_waits_for_a_moderator(django_user_model, published, index, image):
    editor = member(django_user_model, EDITORS, "eddie")
    moderator = member(django_user_model, MODERATORS, "mia")
    add = f"/admin/pages/add/articles/articlepage/{index.pk}/"

    # Publishing is not the editor's to do: the button is not there and the action fails.
    form = article_form(published, image)
    assert "action-publish" not in editor.get(add).content.decode()
    editor.post(add, {**form, "action-publish": "1"})
    page = ArticlePage.objects.get(slug="flask-in-the-admin")
    assert not page.live

    # Submitted, it waits in the workflow for a moderator.
    edit = f"/admin/pages/{page.pk}/edit/"
    response = editor.post(edit, {**form, "action-submit": "1"})
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live
    assert "Flask in the admin" in moderator.get("/admin/").content.decode()

    # The moderator approves: it goes live.
    task_state = state.current_task_state
    approve = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    assert moderator.post(approve, {"comment": ""}).status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


def test_demo_users_get_a_random_password_once_and_keep_it(django_user_model):
    first = demo_users_ensure()
    assert set(first) == {"editor", "moderator", "administrator"}
    assert all(first.values()) and len(set(first.values())) == 3
    again = demo_users_ensure()
    assert again == dict.fromkeys(first)
    for username, password in first.items():
        assert django_user_model.objects.get(username=username).check_password(password)
    groups = {u.username: [g.name for g in u.groups.all()] for u in django_user_model.objects.all()}
    assert groups == {
        "editor": [EDITORS],
        "moderator": [MODERATORS],
        "administrator": [ADMINISTRATORS],
    }
    assert django_user_model.objects.get(username="administrator").is_superuser
