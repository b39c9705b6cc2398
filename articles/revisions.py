"""Every saved state of an article, kept by django-reversion, and how two compare."""

import reversion
from django.utils.formats import date_format
from django.utils.timezone import localtime
from reversion.models import Version

from .diffs import inline_diff
from .models import Article, Byline, Credit
from .richtext import clean_body
from .text import html_to_review_text

reversion.register(Byline)
reversion.register(Credit)
reversion.register(Article, follow=["bylines", "credits"])


def article_versions(article: Article):
    """The article's revisions, newest first, with who made them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def version_label(version: Version) -> str:
    revision = version.revision
    who = revision.user.get_username() if revision.user else "系统"
    return f"{date_format(localtime(revision.date_created), 'Y年n月j日 H:i:s')} · {who}"


def compare(old: Version, new: Version) -> dict:
    """Readable differences of title, subtitle and body between two revisions;
    the body's links, pictures and tables are compared too, not only its text."""
    old_fields, new_fields = old.field_dict, new.field_dict
    return {
        "title": inline_diff(old_fields["title"], new_fields["title"]),
        "subtitle": inline_diff(old_fields["subtitle"], new_fields["subtitle"]),
        "body": inline_diff(
            html_to_review_text(clean_body(old_fields["body"])), html_to_review_text(clean_body(new_fields["body"]))
        ),
        "changed": any(old_fields[f] != new_fields[f] for f in ("title", "subtitle", "body")),
    }
