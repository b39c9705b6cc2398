from django.db import migrations
from django.db.models import F


def create_roles(apps, schema_editor):
    from articles.roles import ensure_roles

    ensure_roles(apps)


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
