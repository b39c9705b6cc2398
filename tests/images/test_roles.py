"""The role groups' picture permissions, as images' data migration grants them."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from images.permissions import can_browse, can_upload

pytestmark = pytest.mark.django_db

migration = importlib.import_module("images.migrations.0002_roles")


def image_permissions(group_name: str) -> set[str]:
    return set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label="images")
        .values_list("codename", flat=True)
    )


def test_the_migration_grants_existing_groups_and_creates_none(staff):
    Permission.objects.filter(content_type__app_label="images").delete()
    Group.objects.filter(name="总编辑").delete()

    migration.grant(apps, schema_editor=None)

    assert image_permissions("记者") == {"add_image", "change_image", "view_image"}
    assert image_permissions("编辑") == {"add_image", "change_image", "view_image"}
    assert image_permissions("部门主任") == {"view_image"}
    assert not Group.objects.filter(name="总编辑").exists()


def test_the_migration_keeps_the_live_table():
    from images.roles import IMAGE_ROLES

    assert migration.IMAGE_ROLES == IMAGE_ROLES


@pytest.mark.parametrize(
    ("role", "uploads", "browses"),
    [
        ("记者", True, True),
        ("编辑", True, True),
        # they edit the article at their own stage (复审, 终审): they may pick a library picture, not upload
        ("部门主任", False, True),
        ("总编辑", False, True),
        ("超级用户", True, True),
    ],
)
def test_who_may_upload_and_browse(staff, role, uploads, browses):
    user = staff.roles()[role]

    assert (can_upload(user), can_browse(user)) == (uploads, browses)


def test_an_inactive_or_non_staff_reporter_may_not(staff):
    staff.reporter.is_staff = False
    assert not can_upload(staff.reporter)
