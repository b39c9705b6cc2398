"""The newsroom's roles as Django groups, and first publication dates.

Self-contained: the role table is a frozen copy of articles/roles.py's as it
stood when migrations 0001–0011 were the whole history, so this migration
keeps doing the same thing however that module changes later. A group that
already exists is left alone.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F

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
_STAGE_EDIT = [
    "change_article",
    "add_byline",
    "change_byline",
    "delete_byline",
    "add_credit",
    "change_credit",
    "delete_credit",
    "add_contributor",
]
ROLES = {
    "记者": _READ + _WRITE,
    "编辑": _READ + _WRITE + ["edit_any_article", "review_first", "add_series", "change_series", "change_contributor"],
    "部门主任": _READ + _STAGE_EDIT + ["review_second"],
    "总编辑": _READ + _STAGE_EDIT + ["review_final", "withdraw_article", "add_correction"],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations have run; make
    # sure ours exist now so that a fresh database gets complete groups.
    app_config = apps.get_app_config("articles")
    if getattr(app_config, "models_module", None) is None:  # the historical registry of a migration
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    for name, codenames in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


def backfill_first_published(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status__in=["published", "withdrawn"], first_published_at__isnull=True).update(
        first_published_at=F("publish_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(backfill_first_published, migrations.RunPython.noop),
    ]
