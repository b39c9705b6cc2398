"""Saving an article's text: permissions, no lost edits, revisions."""

from datetime import timedelta

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reversion.models import Version

from articles import revisions
from articles.models import Article, ArticleOpen, Transition
from articles.people import user_name
from articles.richtext import clean_body
from articles.wordcount import word_count
from articles.workflow import can_edit

# How long an opened edit page counts as "someone else is looking at this".
RECENT_OPEN = timedelta(minutes=30)


class StaleEdit(ValidationError):
    """Someone else saved the article after this editor loaded it."""

    def __init__(self, article: Article):
        current = Article.objects.select_related("updated_by").get(pk=article.pk)
        who = user_name(current.updated_by) if current.updated_by else _("系统（导入）")
        when = date_format(timezone.localtime(current.updated_at), "Y年n月j日 H:i:s")
        super().__init__(
            _(
                "保存被拒绝：%(who)s 在 %(when)s 修改了这篇文章（你打开之后）。"
                "你的修改还在下面的表单里，没有丢失；下面列出了对方改了什么，"
                "点“载入最新内容”在最新稿上合并（你的文字会留在旁边），再保存。"
            )
            % {"who": who, "when": when},
            code="stale",
        )
        self.current = current


def claim_edit(*, article: Article, version: int) -> None:
    """Take the next version number if ``version`` is still the current one.

    One conditional UPDATE, so of two people saving at once exactly one
    wins, on SQLite as on PostgreSQL. The loser gets StaleEdit.
    """
    claimed = Article.objects.filter(pk=article.pk, version=version).update(version=version + 1)
    if not claimed:
        raise StaleEdit(article)
    article.version = version + 1


def write_article(article: Article, *, by, comment: str, claimed: bool = False) -> Article:
    """Validate and save, as one new revision. No permission checks: callers do them."""
    stored_series = (
        Article.objects.filter(pk=article.pk).values_list("series", flat=True).first() if article.pk else None
    )
    if article.pk and not claimed:
        claim_edit(article=article, version=article.version)
    if article.series_id and article.series_id != stored_series:
        # New in this series: it goes last; editors reorder on the series page.
        last = Article.objects.filter(series=article.series_id).aggregate(last=Max("series_position"))["last"]
        article.series_position = 0 if last is None else last + 1
    if article.pk is None:
        article.created_by = by
    article.updated_by = by
    article.body = clean_body(article.body)  # every write path passes here
    article.word_count = word_count(article.body)
    article.full_clean()
    with reversion.create_revision():
        article.save()
        reversion.set_user(by)
        reversion.set_comment(comment)
    return article


@transaction.atomic
def article_save(*, article: Article, by, claimed: bool = False, comment: str = "") -> Article:
    """Create or edit an article's text.

    ``by`` None is the system (the seed loader). Unless the caller has
    already claimed the edit (the admin form does, while validating), the
    save claims it here: if someone saved since ``article`` was loaded, it
    raises StaleEdit and nothing is written. Editing a published article
    keeps it published and is logged in its sign-off history.
    """
    creating = article.pk is None
    if by is not None:
        allowed = by.has_perm("articles.add_article") if creating else can_edit(by, article)
        if not allowed:
            raise PermissionDenied(_("你没有权限修改《%(title)s》。") % {"title": article.title})
    write_article(article, by=by, comment=comment or (_("新建") if creating else _("修改")), claimed=claimed)
    if not creating and article.status == Article.Status.PUBLISHED:
        Transition.objects.create(
            article=article,
            action=Transition.Action.EDIT_PUBLISHED,
            from_status=article.status,
            to_status=article.status,
            actor=by,
            comment=comment,
        )
    return article


@transaction.atomic
def article_restore(*, article: Article, version: Version, by, loaded_version: int | None = None) -> Article:
    """Bring back an earlier revision's text (引题, 标题, 副题, 摘要, 正文) and
    its bylines and credits, as a new revision, like any edit (a published
    article stays published and the edit is logged in its sign-off history).

    ``loaded_version`` is the version the editor saw when they confirmed: if
    someone saved since, StaleEdit and nothing is written. Bylines or credits
    the revision did not record (an import, an old revision) are left as they
    are; so are rows whose contributor has since been deleted.
    """
    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise ValidationError(_("这个历史版本不属于《%(title)s》。") % {"title": article.title})
    if loaded_version is not None:
        article.version = loaded_version  # the claim in article_save checks it
    fields = version.field_dict
    for name in revisions.TEXT_FIELDS:
        setattr(article, name, fields.get(name) or "")
    people = revisions.people_at(version)
    when = date_format(timezone.localtime(version.revision.date_created), "Y年n月j日 H:i")
    with reversion.create_revision():  # one revision, taken with the restored bylines and credits
        article_save(article=article, by=by, comment=_("恢复到 %(when)s 的版本") % {"when": when})
        for kind in revisions.PEOPLE:
            if people[kind] is None:
                continue
            getattr(article, kind).all().delete()
            for row in people[kind]:
                row.article = article
                row.save()  # one by one: each is recorded in the revision
    return article


def record_open(*, article: Article, user) -> None:
    ArticleOpen.objects.update_or_create(article=article, user=user, defaults={"opened_at": timezone.now()})


def recent_openers(*, article: Article, user) -> list[ArticleOpen]:
    """Others who opened this article's edit page recently, latest first."""
    return list(
        ArticleOpen.objects.filter(article=article, opened_at__gte=timezone.now() - RECENT_OPEN)
        .exclude(user=user)
        .select_related("user")
        .order_by("-opened_at")
    )
