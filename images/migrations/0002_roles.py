"""Give the newsroom's role groups their picture permissions.

Self-contained (a frozen copy of images/roles.py's table): only groups that
exist get permissions, and nothing is taken away.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

IMAGE_ROLES = {
    "记者": ["add_image", "change_image", "view_image"],
    "编辑": ["add_image", "change_image", "view_image"],
    "部门主任": ["view_image"],
    "总编辑": ["view_image"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations have run.
    app_config = apps.get_app_config("images")
    if getattr(app_config, "models_module", None) is None:  # the historical registry of a migration
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    for group in Group.objects.filter(name__in=IMAGE_ROLES):
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="images", codename__in=IMAGE_ROLES[group.name])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("articles", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
