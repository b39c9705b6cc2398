"""Article bodies become cleaned HTML: the field says so, and rows that exist
are cleaned now.

The allow-list is frozen here as it was when this migration was written, so
the migration keeps working however ``articles/richtext.py`` changes later;
pages clean again on render with whatever the current list is.
"""

import nh3
from django.db import migrations

import articles.editor

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote",
    "ul", "ol", "li", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "hr",
}
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}


def clean_existing_bodies(apps, schema_editor):
    from django.conf import settings

    media = "/" + settings.MEDIA_URL.lstrip("/") if not settings.MEDIA_URL.startswith("http") else settings.MEDIA_URL

    def keep(tag, attribute, value):
        if tag == "img" and attribute == "src" and not value.startswith(media):
            return None
        return value

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body").iterator():
        cleaned = nh3.clean(
            article.body,
            tags=TAGS,
            attributes=ATTRIBUTES,
            clean_content_tags={"script", "style", "template", "textarea", "select", "noscript", "title", "iframe"},
            attribute_filter=keep,
            url_schemes={"http", "https", "mailto"},
            allowed_classes={"figure": {"image"}},
            link_rel="noopener noreferrer",
        )
        if cleaned != article.body:
            Article.objects.filter(pk=article.pk).update(body=cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="body",
            field=articles.editor.BodyField(
                help_text="保存时只保留报纸正文需要的格式；脚本、外站图片等会被去掉。", verbose_name="正文"
            ),
        ),
        migrations.RunPython(clean_existing_bodies, migrations.RunPython.noop),
    ]
