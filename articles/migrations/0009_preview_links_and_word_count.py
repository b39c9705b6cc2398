"""Preview links on record (PreviewLink) and the stored 字数 (Article.word_count).

The word counts of existing articles are filled here with a frozen copy of
articles/wordcount.py (a migration must not change when that module does).
Links made before this migration (signed tokens carrying the article's id)
stop working: there is no row to list or revoke them by (docs/workflow.md).
"""

import re
from html.parser import HTMLParser

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import articles.models.previews

_WHITESPACE = re.compile(r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")


class _Text(HTMLParser):
    SKIPPED = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _word_count(html):
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return len(_WHITESPACE.sub("", "".join(parser.parts)))


def count_words(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    changed = []
    for article in Article.objects.only("pk", "body").iterator(chunk_size=500):
        article.word_count = _word_count(article.body)
        changed.append(article)
        if len(changed) >= 500:
            Article.objects.bulk_update(changed, ["word_count"])
            changed = []
    Article.objects.bulk_update(changed, ["word_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_stage_editors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="word_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="正文的字数：汉字、标点、字母、数字各算一个字，空白不算；标题、引题、副题和摘要不计。保存时统计。",
                verbose_name="字数",
            ),
        ),
        migrations.RunPython(count_words, migrations.RunPython.noop),
        migrations.CreateModel(
            name="PreviewLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "key",
                    models.CharField(
                        default=articles.models.previews.new_preview_key,
                        editable=False,
                        max_length=32,
                        unique=True,
                        verbose_name="链接密钥",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        editable=False,
                        help_text="生成链接时文章的网址标识；标识改了，链接随之失效。",
                        max_length=100,
                        verbose_name="网址标识",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="生成时间")),
                ("expires_at", models.DateTimeField(help_text="过了这个时间，链接打不开。", verbose_name="失效时间")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="撤销时间")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="preview_links",
                        to="articles.article",
                        verbose_name="文章",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="preview_links_created",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="生成人",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="preview_links_revoked",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="撤销人",
                    ),
                ),
            ],
            options={
                "verbose_name": "预览链接",
                "verbose_name_plural": "预览链接",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("expires_at__gt", models.F("created_at"))),
                        name="preview_link_expires_after_creation",
                        violation_error_message="失效时间必须晚于生成时间。",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("revoked_by__isnull", True), ("revoked_at__isnull", False), _connector="OR"
                        ),
                        name="preview_link_revoked_by_has_revoked_at",
                        violation_error_message="撤销人必须有撤销时间。",
                    ),
                ],
            },
        ),
    ]
