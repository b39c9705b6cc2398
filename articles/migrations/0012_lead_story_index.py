"""The home page's 头条 query (the newest public article marked is_lead) by
its own partial index: few articles are marked, and without it finding none
read every public row (docs/benchmarks.md, "Pages")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_presence"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("is_lead", True)),
                fields=["status", "publish_at", "id", "expire_at"],
                name="article_lead_idx",
            ),
        ),
    ]
