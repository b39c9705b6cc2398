"""Saving an article's text: permissions, no lost edits, revisions; who else has it open."""

import re
import secrets
from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, ArticleOpen, Transition
from articles.people import user_name
from articles.review_rules import can_edit
from articles.richtext import clean_body
from articles.wordcount import word_count

from .transitions import record_transition

_PAGE = re.compile(r"[0-9a-f]{32}")


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


def store_article(article: Article, *, by, comment: str, claimed: bool = False) -> Article:
    """Validate and save, as one new revision: the one path every article write takes.

    No permission checks: callers do them first (``article_save``, the 三审
    steps in ``services/review.py``, the byline services in ``services/people.py``).
    """
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


def article_save(*, article: Article, by, claimed: bool = False, comment: str = "") -> Article:
    """Create or edit an article's text, if ``by`` may: checks the permission,
    then stores through ``store_article``.

    ``by`` None is the system (the seed loader). Unless the caller has
    already claimed the edit (the admin form does, while validating), the
    save claims it here: if someone saved since ``article`` was loaded, it
    raises StaleEdit and nothing is written. Editing a published article
    keeps it published and is logged in its sign-off history.
    """
    with transaction.atomic():
        creating = article.pk is None
        if by is not None:
            allowed = by.has_perm("articles.add_article") if creating else can_edit(by, article)
            if not allowed:
                raise PermissionDenied(_("你没有权限修改《%(title)s》。") % {"title": article.title})
        store_article(article, by=by, comment=comment or (_("新建") if creating else _("修改")), claimed=claimed)
        if not creating and article.status == Article.Status.PUBLISHED:
            record_transition(article=article, action=Transition.Action.EDIT_PUBLISHED, by=by, comment=comment)
        return article


# --- presence (在场): who has this article's edit page open now ---------------------------
#
# The change page's script (articles/static/articles/presence.js) reports every
# HEARTBEAT_SECONDS while the page is open and visible, with its state, and
# "left" when the page goes; a page not heard from for PRESENCE_TIMEOUT
# (articles/models/presence.py) is gone. Opening the page (the GET) counts as
# its first report, so the rule holds without JavaScript too. A save or a 三审
# step is not a report: only the page that follows it is.

# Seconds between two reports of an open page (the page reads it from its data-interval).
HEARTBEAT_SECONDS = 30


class PresenceState(models.TextChoices):
    READING = "reading", gettext_lazy("正在查看")
    EDITING = "editing", gettext_lazy("正在编辑")
    LEFT = "left", gettext_lazy("已离开")


@dataclass(frozen=True)
class Present:
    """A colleague with the article's edit page open, in one tab or more."""

    name: str
    is_editing: bool

    @property
    def label(self) -> str:
        return str(PresenceState.EDITING.label if self.is_editing else PresenceState.READING.label)

    def as_json(self) -> dict:
        return {"name": self.name, "editing": self.is_editing, "label": self.label}


def new_page() -> str:
    """The identity of one opened edit page (a tab): 32 random hex digits."""
    return secrets.token_hex(16)


def record_open(*, article: Article, user, page: str) -> ArticleOpen:
    """The edit page was opened (a GET), as the new ``page``: present, reading.
    Forgets expired pages, of every article."""
    now = timezone.now()
    ArticleOpen.objects.expired(at=now).delete()
    return ArticleOpen.objects.create(article=article, user=user, page=page, opened_at=now, last_seen_at=now)


def presence_report(*, article: Article, user, page: str, state: str) -> list[Present]:
    """A heartbeat of an open edit page: ``state`` is reading, editing or left.

    Returns the others present now. Whoever may not edit the article counts
    as reading whatever the page says. The caller checks that ``user`` may
    see the article. Bad input raises ValidationError.
    """
    if state not in PresenceState.values:
        raise ValidationError(
            _("未知的在场状态“%(state)s”：只能是 reading（查看）、editing（编辑）或 left（离开）。")
            % {"state": str(state)[:40]},
            code="state",
        )
    if not isinstance(page, str) or not _PAGE.fullmatch(page):
        raise ValidationError(_("页面标识不对：应为 32 位十六进制数字，请刷新页面。"), code="page")
    rows = ArticleOpen.objects.filter(article=article, user=user, page=page)
    if state == PresenceState.LEFT:
        rows.delete()
    else:
        now = timezone.now()
        editing = state == PresenceState.EDITING and can_edit(user, article)
        # One UPDATE for the usual beat; a page back after expiring (or left
        # and shown again from the browser's page cache) is created anew.
        if not rows.update(last_seen_at=now, is_editing=editing):
            ArticleOpen.objects.get_or_create(
                article=article,
                user=user,
                page=page,
                defaults={"opened_at": now, "last_seen_at": now, "is_editing": editing},
            )
    return present_colleagues(article=article, user=user)


def present_colleagues(*, article: Article, user) -> list[Present]:
    """Others with this article's edit page open now: one entry per person
    (editing if they are in any of their tabs), those editing first, then
    in the order they opened it."""
    people: dict[int, Present] = {}
    rows = ArticleOpen.objects.present().filter(article=article).exclude(user=user).select_related("user")
    for row in rows.order_by("opened_at", "id"):
        seen = people.get(row.user_id)
        if seen is None:
            people[row.user_id] = Present(user_name(row.user), row.is_editing)
        elif row.is_editing and not seen.is_editing:
            people[row.user_id] = Present(seen.name, True)
    return sorted(people.values(), key=lambda present: not present.is_editing)  # stable: opening order kept


def presence_context(*, article: Article, user, page: str, editing: bool) -> dict:
    """What the change page's banner needs (templates/admin/articles/article/includes/presence.html)."""
    return {
        "present": present_colleagues(article=article, user=user),
        "presence_page": page,
        "presence_interval": HEARTBEAT_SECONDS,
        "presence_state": PresenceState.EDITING if editing else PresenceState.READING,
    }
