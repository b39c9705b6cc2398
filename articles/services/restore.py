"""Bringing back an earlier revision: its text through ``article_save``, its
bylines and credits through ``article_set_people``, in one new revision. The
rows are written in one place (services/people.py), whoever changes them."""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.models import Version

from articles import revisions
from articles.models import Article

from .editing import article_save
from .people import article_set_people


def article_restore(*, article: Article, version: Version, by, loaded_version: int | None = None) -> Article:
    """Bring back an earlier revision's text (引题, 标题, 副题, 摘要, 正文) and
    its bylines and credits, as a new revision, like any edit (a published
    article stays published and the edit is logged in its sign-off history).

    ``loaded_version`` is the version the editor saw when they confirmed: if
    someone saved since, StaleEdit and nothing is written. Bylines or credits
    the revision did not record (an import, an old revision) are left as they
    are; so are rows whose contributor has since been deleted.
    """
    with transaction.atomic():
        if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
            raise ValidationError(_("这个历史版本不属于《%(title)s》。") % {"title": article.title})
        if loaded_version is not None:
            article.version = loaded_version  # the claim in article_save checks it
        fields = version.field_dict
        for name in revisions.TEXT_FIELDS:
            setattr(article, name, fields.get(name) or "")
        people = revisions.people_at(version)
        parts = {
            kind: None if people[kind] is None else [(row.contributor, row.role) for row in people[kind]]
            for kind in revisions.PEOPLE
        }
        when = date_format(timezone.localtime(version.revision.date_created), "Y年n月j日 H:i")
        with reversion.create_revision():  # one revision, taken with the restored bylines and credits
            article_save(article=article, by=by, comment=_("恢复到 %(when)s 的版本") % {"when": when})
            # article_save claimed the version and stored the article: the rows join its revision.
            article_set_people(article=article, by=by, claimed=True, **parts)
        return article
