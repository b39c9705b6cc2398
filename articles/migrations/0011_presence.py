"""Presence (在场): an ArticleOpen row is one open edit page, kept alive by
its heartbeats, instead of "opened in the last 30 minutes".

The old rows say only that someone opened a page at some time: they carry no
presence, so they are dropped rather than carried over (and going back, the
presence rows are dropped the same way).
"""

import django.utils.timezone
from django.db import migrations, models


def drop_old_opens(apps, schema_editor):
    apps.get_model("articles", "ArticleOpen").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_contributor_account"),
    ]

    operations = [
        migrations.RunPython(drop_old_opens, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="articleopen", name="article_open_once_per_user"),
        migrations.AlterModelOptions(
            name="articleopen",
            options={"verbose_name": "在场记录", "verbose_name_plural": "在场记录"},
        ),
        migrations.AddField(
            model_name="articleopen",
            name="page",
            field=models.CharField(
                default="",
                help_text="每次打开编辑页面时生成的随机标识，区分同一个人的几个标签页。",
                max_length=32,
                verbose_name="页面标识",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="articleopen",
            name="last_seen_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                help_text="页面最后一次报到（心跳）的时间。",
                verbose_name="最后在场时间",
            ),
        ),
        migrations.AddField(
            model_name="articleopen",
            name="is_editing",
            field=models.BooleanField(
                default=False, help_text="打开页面后已经改动了稿件内容。", verbose_name="正在编辑"
            ),
        ),
        migrations.AddConstraint(
            model_name="articleopen",
            constraint=models.UniqueConstraint(fields=("article", "user", "page"), name="article_open_once_per_page"),
        ),
        # Going back: one person's several tabs would break the old one-row-per-person constraint.
        migrations.RunPython(migrations.RunPython.noop, drop_old_opens),
    ]
