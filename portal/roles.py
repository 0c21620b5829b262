"""The newsroom's roles, as admin groups (both apps' permissions meet here):

- **Editors** write articles and submit them for moderation, manage images and documents,
  compose newsletter issues and send themselves a test. They cannot publish, and cannot
  reach API keys, partners or subscribers.
- **Moderators** also publish (they are the group of Wagtail's "Moderators approval"
  workflow), send issues to subscribers and see and export the subscribers.
- **Administrators** hold every permission (their demo user is also a superuser).

``roles_ensure`` makes the groups match this, keeping any extra permission an
administrator gave them; Wagtail's migrations already create Editors and Moderators and the
workflow, and this puts back whatever is missing.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

EDITORS, MODERATORS, ADMINISTRATORS = "Editors", "Moderators", "Administrators"

_COMMON = [
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtailimages.delete_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtaildocs.delete_document",
    # The live blocks choose a specialization and a technology.
    "salaries.view_specialization",
    "salaries.view_technology",
    "articles.add_newsletterissue",
    "articles.change_newsletterissue",
    "articles.view_newsletterissue",
]
MODEL_PERMISSIONS = {
    EDITORS: _COMMON,
    MODERATORS: [
        *_COMMON,
        "articles.delete_newsletterissue",
        "articles.send_newsletterissue",
        "articles.view_subscriber",
    ],
}
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: ["add_image", "change_image", "choose_image", "add_document", "change_document",
              "choose_document"],
    MODERATORS: ["add_image", "change_image", "choose_image", "add_document", "change_document",
                 "choose_document"],
}  # fmt: skip


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create or complete the three groups and the moderation workflow on the page tree."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, MODERATORS)}
    # The migrations make both roots; a database that lost them gets them back.
    root = Page.get_first_root_node() or Page.add_root(title="Root")
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for name, group in groups.items():
        group.permissions.add(*[_permission(dotted) for dotted in MODEL_PERMISSIONS[name]])
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=_permission(f"wagtailcore.{codename}")
            )
        for codename in COLLECTION_PERMISSIONS[name]:
            app = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(f"{app}.{codename}")
            )
    # Editors cannot publish: drop a publish permission someone may have given them.
    GroupPagePermission.objects.filter(
        group=groups[EDITORS], permission__codename="publish_page"
    ).delete()
    admins, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    admins.permissions.set(Permission.objects.all())
    groups[ADMINISTRATORS] = admins
    _moderation_workflow(groups[MODERATORS], root)
    return groups


def _moderation_workflow(moderators: Group, root: Page) -> None:
    """Every page waits for a moderator's approval before it goes live (Wagtail's own
    default workflow, made again if it was removed)."""
    task = GroupApprovalTask.objects.filter(name="Moderators approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name="Moderators approval")
    if not workflow.workflow_tasks.filter(task=task).exists():
        workflow.workflow_tasks.create(task=task, sort_order=0)
    workflow.active = True
    workflow.save(update_fields=["active"])
    WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})


DEMO_USERS = {"editor": EDITORS, "moderator": MODERATORS, "administrator": ADMINISTRATORS}


@transaction.atomic
def demo_users_ensure() -> dict[str, str | None]:
    """One demo user per role, each with a random password: returns each username with its
    new password, or None for a user that already existed (whose password is kept)."""
    from django.contrib.auth import get_user_model

    groups = roles_ensure()
    User = get_user_model()
    made: dict[str, str | None] = {}
    for username, role in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=username,
                email=f"{username}@example.com",
                password=password,
                is_superuser=role == ADMINISTRATORS,
                is_staff=role == ADMINISTRATORS,
            )
            made[username] = password
        else:
            made[username] = None
        user.groups.add(groups[role])
    return made
