"""The desk head (部门主任) and the editor-in-chief (总编辑) edit the article
during their own stage: give their groups the article, byline and credit
permissions that needs.

Self-contained (frozen lists, no imports from live code). Only a group whose
articles permissions are still exactly those it started with (migration
0003) is changed: a group the newsroom has reshaped is left alone. A fresh
database gets the new permissions from 0003's frozen role table already, so
this finds nothing to do there.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_READ = ["view_article", "view_series", "view_contributor", "view_byline", "view_credit", "view_correction"]
STARTING = {
    "部门主任": _READ + ["review_second"],
    "总编辑": _READ + ["review_final", "withdraw_article", "add_correction"],
}
STAGE_EDIT = [
    "change_article",
    "add_byline",
    "change_byline",
    "delete_byline",
    "add_credit",
    "change_credit",
    "delete_credit",
    "add_contributor",
]


def _unchanged_groups(apps, expected: dict[str, list[str]]):
    """The role groups whose articles permissions are exactly ``expected[name]``."""
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=expected):
        held = set(group.permissions.filter(content_type__app_label="articles").values_list("codename", flat=True))
        if held == set(expected[group.name]):
            yield group


def _stage_edit_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return list(Permission.objects.filter(content_type__app_label="articles", codename__in=STAGE_EDIT))


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations have run.
    app_config = apps.get_app_config("articles")
    if getattr(app_config, "models_module", None) is None:  # the historical registry of a migration
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    for group in list(_unchanged_groups(apps, STARTING)):
        group.permissions.add(*_stage_edit_permissions(apps))


def revoke(apps, schema_editor):
    granted = {name: codenames + STAGE_EDIT for name, codenames in STARTING.items()}
    for group in list(_unchanged_groups(apps, granted)):
        group.permissions.remove(*_stage_edit_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_public_page_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
