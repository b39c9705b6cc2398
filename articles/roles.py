"""The newsroom's roles as Django groups, with the permissions each starts with.

Migration 0003 creates them from a frozen copy of this table (a migration
must not change when this module does); afterwards they are ordinary groups
that an administrator may reshape in the admin. ``ensure_roles`` (the test
factories' way back after a flush) never changes a group that already exists.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

REPORTER, EDITOR, DESK_HEAD, EDITOR_IN_CHIEF = "记者", "编辑", "部门主任", "总编辑"

_READ = ["view_article", "view_series", "view_contributor", "view_byline", "view_credit", "view_correction"]
_WRITE = [
    "add_article",
    "change_article",
    "submit_article",
    "add_byline",
    "change_byline",
    "delete_byline",
    "add_credit",
    "change_credit",
    "delete_credit",
    "add_contributor",
]

# What a reviewer needs to edit an article during their own stage (部门主任 at
# 复审, 总编辑 at 终审; articles/review_rules.can_edit decides when): the article
# and its bylines and credits. Databases made before this was here get it from
# migration 0008, which keeps a frozen copy of these lists. A change to this
# table reaches existing databases only through a new migration of its own.
_STAGE_EDIT = [codename for codename in _WRITE if codename not in ("add_article", "submit_article")]

ROLES = {
    REPORTER: _READ + _WRITE,
    EDITOR: _READ + _WRITE + ["edit_any_article", "review_first", "add_series", "change_series", "change_contributor"],
    DESK_HEAD: _READ + _STAGE_EDIT + ["review_second"],
    EDITOR_IN_CHIEF: _READ + _STAGE_EDIT + ["review_final", "withdraw_article", "add_correction"],
}


def ensure_roles(apps=global_apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    create_permissions(apps.get_app_config("articles"), apps=apps, verbosity=0)
    for name, codenames in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
