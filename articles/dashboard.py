"""待办: the work waiting on a colleague, for the admin index and the article page.

Reads only, and returns plain data. The dashboard costs a fixed number of
queries however many articles there are: one for every list's count, one per
list (each bounded to ``LIMIT`` rows) and one for the 退回 records of the
returned list. The change list's 我的工作 filter reads the same conditions
(``queue_filter``), so "查看全部" shows exactly what was counted.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import dateformat, timezone

from . import review_rules
from .models import Article, Byline, Transition
from .people import user_name

Status, Action = Article.Status, Transition.Action

# Rows per list on the dashboard; "查看全部" opens the filtered change list.
LIMIT = 10
EXPIRING_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class ReturnNote:
    """The reason of a 退回, who gave it and when."""

    comment: str
    by: str
    at: datetime
    stage: str

    @property
    def by_and_when(self) -> str:
        return f"{self.by}，{short_time(self.at)}"

    @property
    def heading(self) -> str:
        return f"退回意见（{self.by_and_when}）"


@dataclass(frozen=True)
class Entry:
    article_id: int
    title: str
    url: str
    state: str
    status: str
    when: str
    note: ReturnNote | None = None


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    count: int
    all_url: str
    empty: str
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class _Spec:
    title: str
    empty: str
    order: tuple[str, ...]
    when: str  # the Article field the list shows a time for
    when_label: str


SPECS = {
    "review": _Spec("待我审", "没有等你审的稿件。", ("updated_at", "id"), "updated_at", "更新于"),
    "returned": _Spec("被退回的我的稿件", "没有被退回的稿件。", ("-updated_at", "-id"), "updated_at", "更新于"),
    "scheduled": _Spec("我的定时发布", "没有定时发布的稿件。", ("publish_at", "id"), "publish_at", "将于 {} 发布"),
    "expiring": _Spec("24 小时内下线", "24 小时内没有要下线的文章。", ("expire_at", "id"), "expire_at", "将于 {} 下线"),
    "drafts": _Spec("我的草稿", "没有草稿。", ("-updated_at", "-id"), "updated_at", "更新于"),
}


def queue_choices() -> list[tuple[str, str]]:
    """The change list filter's choices (besides 我的文章)."""
    return [(key, spec.title) for key, spec in SPECS.items()]


def queue_filter(key: str, user, now: datetime | None = None) -> Q | None:
    """The articles in queue ``key`` for ``user``; None if that queue is not
    theirs (a reporter has nothing to review) or there is no such queue."""
    now = now or timezone.now()
    writes = user.has_perm("articles.add_article")
    mine = Q(created_by=user.pk)
    if key == "review":
        return _awaiting_review(user)
    if key == "returned" and writes:
        return mine & Q(status=Status.RETURNED)
    if key == "scheduled" and writes:
        return mine & Q(status=Status.PUBLISHED, publish_at__gt=now)
    if key == "drafts" and writes:
        return mine & Q(status=Status.DRAFT)
    if key == "expiring":
        expiring = Q(status=Status.PUBLISHED, expire_at__gt=now, expire_at__lte=now + EXPIRING_WITHIN)
        if any(user.has_perm(p) for p in ("articles.edit_any_article", "articles.withdraw_article")):
            return expiring
        return mine & expiring if writes else None
    return None


def todo(user, *, now: datetime | None = None, limit: int = LIMIT) -> list[Queue]:
    """The lists on ``user``'s dashboard, those that concern their role."""
    now = now or timezone.now()
    filters = {key: q for key in SPECS if (q := queue_filter(key, user, now)) is not None}
    if not filters:
        return []
    counts = Article.objects.filter(reduce(or_, filters.values())).aggregate(
        **{key: Count("pk", filter=q) for key, q in filters.items()}
    )
    changelist = reverse("admin:articles_article_changelist")
    queues = []
    for key, q in filters.items():
        spec = SPECS[key]
        rows = []
        if counts[key]:
            rows = list(
                Article.objects.filter(q)
                .only("title", "status", "publish_at", "expire_at", "updated_at")
                .order_by(*spec.order)[:limit]
            )
        notes = _latest_returns([a.pk for a in rows]) if key == "returned" else {}
        queues.append(
            Queue(
                key=key,
                title=spec.title,
                count=counts[key],
                all_url=f"{changelist}?queue={key}",
                empty=spec.empty,
                entries=[_entry(article, spec, notes.get(article.pk)) for article in rows],
            )
        )
    return queues


def return_notice(user, article: Article) -> ReturnNote | None:
    """The latest 退回 of ``article``, while it still stands: to anyone while
    the article is 已退回, and to its author until it is published again
    (after resubmitting, as a reminder of what was asked). One query."""
    returned = article.status == Status.RETURNED
    if not returned and not (review_rules.is_author(user, article) and article.status in Article.IN_REVIEW_STATUSES):
        return None
    latest = (
        article.transitions.filter(action__in=[Action.RETURN, Action.PUBLISH, Action.REOPEN])
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or latest.action != Action.RETURN:
        return None
    return _note(latest)


def short_time(at: datetime) -> str:
    """11月28日 14:05, Beijing time; with the year when it is not this year's."""
    local = timezone.localtime(at)
    return dateformat.format(local, "n月j日 H:i" if local.year == timezone.localtime().year else "Y年n月j日 H:i")


# --- internals ------------------------------------------------------------------------


def _awaiting_review(user) -> Q | None:
    """The articles standing at a stage ``user`` may decide (pass or 退回).

    The SQL twin of ``review_rules.separation_refusal`` (三审分离): not the
    author's own, and no stage other than this one signed by ``user`` since
    the latest 提交审稿. tests/articles/test_dashboard.py checks the two agree.
    """
    statuses = review_rules.review_statuses(user)
    if not statuses:
        return None
    if not settings.NEWSROOM_REVIEW_SEPARATION:
        return Q(status__in=statuses)
    submitted = Transition.objects.filter(article=OuterRef(OuterRef("pk")), action=Action.SUBMIT).order_by(
        "-created_at", "-id"
    )
    since = Subquery(submitted.values("created_at")[:1])
    since_id = Subquery(submitted.values("id")[:1])
    signed_in_round = Transition.objects.filter(article=OuterRef("pk"), actor=user.pk).filter(
        Q(created_at__gt=since) | Q(created_at=since, id__gt=since_id) | Q(~Exists(submitted))
    )
    stages = []
    for status in statuses:
        other_signs = [action for action, stage in review_rules.SIGNED_STAGES.items() if stage != status]
        stages.append(Q(status=status) & ~Exists(signed_in_round.filter(action__in=other_signs)))
    bylined = Byline.objects.filter(article=OuterRef("pk"), contributor__user=user.pk)
    return reduce(or_, stages) & ~Q(created_by=user.pk) & ~Exists(bylined)


def _latest_returns(article_ids: list[int]) -> dict[int, ReturnNote]:
    """Each article's latest 退回, in one query."""
    notes = {}
    records = (
        Transition.objects.filter(article__in=article_ids, action=Action.RETURN)
        .select_related("actor")
        .order_by("article", "-created_at", "-id")
    )
    for record in records:
        notes.setdefault(record.article_id, _note(record))
    return notes


def _note(record: Transition) -> ReturnNote:
    return ReturnNote(
        comment=record.comment,
        by=user_name(record.actor) if record.actor else "系统",
        at=record.created_at,
        stage=review_rules.STAGE_NAMES.get(record.from_status, ""),
    )


def _entry(article: Article, spec: _Spec, note: ReturnNote | None) -> Entry:
    at, label = getattr(article, spec.when), spec.when_label
    when = label.format(short_time(at)) if "{}" in label else f"{label} {short_time(at)}"
    return Entry(
        article_id=article.pk,
        title=article.title,
        url=reverse("admin:articles_article_change", args=[article.pk]),
        state=article.state,
        status=article.display_status,
        when=when,
        note=note,
    )
