"""Give the newsroom's role groups their permissions on the word lists.

Self-contained (a frozen copy of proofing/roles.py's table): only groups that
exist get permissions, and nothing is taken away.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_sensitiveword", "view_commonmistake"]
MAINTAIN = VIEW + [
    "add_sensitiveword",
    "change_sensitiveword",
    "delete_sensitiveword",
    "add_commonmistake",
    "change_commonmistake",
    "delete_commonmistake",
]
PROOFING_ROLES = {
    "记者": VIEW,
    "编辑": MAINTAIN,
    "部门主任": VIEW,
    "总编辑": MAINTAIN + ["override_sensitive"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations have run.
    app_config = apps.get_app_config("proofing")
    if getattr(app_config, "models_module", None) is None:  # the historical registry of a migration
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    for group in Group.objects.filter(name__in=PROOFING_ROLES):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="proofing", codename__in=PROOFING_ROLES[group.name])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("proofing", "0001_initial"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
