"""Covering indexes for the public pages (see Article.Meta.indexes)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_furniture_and_special_issues"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_status_publish_idx"),
        migrations.RemoveIndex(model_name="article", name="article_series_order_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "publish_at", "id", "expire_at", "is_lead", "series", "print_date"],
                name="article_public_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["series", "series_position", "publish_at", "id", "status", "expire_at"],
                name="article_series_editors_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["series", "publish_at", "id", "status", "expire_at", "series_position"],
                name="article_series_latest_idx",
            ),
        ),
    ]
