"""三审: who may move an article from which status to which.

Rules only, no writes: the services in ``articles/services/review.py``
apply them, and the admin asks them what to offer. Permissions are ordinary
Django permissions held through the groups in ``articles/roles.py``, so a
newsroom can reshape its roles in the admin.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .models import Article, Transition

Status = Article.Status
Action = Transition.Action

# Which permission signs off each review stage, and where a pass sends the article.
REVIEW_PERMISSIONS = {
    Status.FIRST_REVIEW: "articles.review_first",
    Status.SECOND_REVIEW: "articles.review_second",
    Status.FINAL_REVIEW: "articles.review_final",
}
STAGE_NAMES = {Status.FIRST_REVIEW: _("初审"), Status.SECOND_REVIEW: _("复审"), Status.FINAL_REVIEW: _("终审")}
# The stage each sign-off signs (三审分离 reads them from the Transition record).
SIGNED_STAGES = {
    Action.PASS_FIRST: Status.FIRST_REVIEW,
    Action.PASS_SECOND: Status.SECOND_REVIEW,
    Action.PUBLISH: Status.FINAL_REVIEW,
}


@dataclass(frozen=True)
class Step:
    action: Action
    sources: tuple[Status, ...]
    target: Status
    # None: the permission of the review stage the article is in.
    permission: str | None
    needs_comment: bool = False

    def permission_for(self, article: Article) -> str:
        return self.permission or REVIEW_PERMISSIONS.get(article.status, REVIEW_PERMISSIONS[Status.FIRST_REVIEW])


STEPS = {
    step.action: step
    for step in [
        Step(Action.SUBMIT, Article.WRITING_STATUSES, Status.FIRST_REVIEW, "articles.submit_article"),
        Step(Action.PASS_FIRST, (Status.FIRST_REVIEW,), Status.SECOND_REVIEW, REVIEW_PERMISSIONS[Status.FIRST_REVIEW]),
        Step(
            Action.PASS_SECOND, (Status.SECOND_REVIEW,), Status.FINAL_REVIEW, REVIEW_PERMISSIONS[Status.SECOND_REVIEW]
        ),
        # From PUBLISHED only while scheduled: the editor-in-chief re-signs with a new time.
        Step(
            Action.PUBLISH,
            (Status.FINAL_REVIEW, Status.PUBLISHED),
            Status.PUBLISHED,
            REVIEW_PERMISSIONS[Status.FINAL_REVIEW],
        ),
        Step(Action.RETURN, Article.IN_REVIEW_STATUSES, Status.RETURNED, None, needs_comment=True),
        Step(Action.WITHDRAW, (Status.PUBLISHED,), Status.WITHDRAWN, "articles.withdraw_article", needs_comment=True),
        Step(Action.REOPEN, (Status.WITHDRAWN,), Status.DRAFT, "articles.withdraw_article"),
    ]
}


def check_step(user, action: Action, article: Article) -> Step:
    """The step, if ``user`` may take it now; else PermissionDenied (not theirs
    to take) or ValidationError (not possible from the article's status, or
    not a step a person takes: 导入, 更正 and 修改已发布 are recorded, not taken)."""
    step = STEPS.get(action)
    if step is None:
        raise ValidationError(_("“%(action)s”不是三审里可以执行的操作。") % {"action": action}, code="unknown_step")
    if user is not None:
        if not user.has_perm(step.permission_for(article)):
            raise PermissionDenied(_("你没有权限对《%(title)s》执行“%(action)s”。") % _names(article, action))
        if action == Action.SUBMIT and not owns_or_edits_any(user, article):
            raise PermissionDenied(_("只能提交自己的稿件：《%(title)s》不是你创建的。") % _names(article, action))
    if article.status not in step.sources or (
        action == Action.PUBLISH and article.status == Status.PUBLISHED and not article.is_scheduled
    ):
        raise ValidationError(
            _("《%(title)s》现在是“%(status)s”，不能“%(action)s”。")
            % {**_names(article, action), "status": article.display_status}
        )
    stage = decided_stage(action, article)
    if user is not None and stage is not None:
        refusal = separation_refusal(user, article, stage)
        if refusal:
            raise PermissionDenied(refusal)
    return step


def allowed_steps(user, article: Article) -> list[Step]:
    """What to offer ``user`` on this article's page."""
    allowed = []
    for action in STEPS:
        try:
            allowed.append(check_step(user, action, article))
        except (PermissionDenied, ValidationError):
            continue
    return allowed


def owns_or_edits_any(user, article: Article) -> bool:
    return user.has_perm("articles.edit_any_article") or (
        article.created_by_id is not None and article.created_by_id == user.pk
    )


def can_edit(user, article: Article | None = None) -> bool:
    """Reporters edit their own articles while writing; the reviewer of the
    stage an article stands at edits it during that stage (部门主任 at 复审,
    总编辑 at 终审 and while it is 已排期); editors edit any article."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or user.has_perm("articles.edit_any_article"):
        return True
    if owns_or_edits_any(user, article) and article.status in Article.WRITING_STATUSES:
        return True
    return reviews_current_stage(user, article)


def current_stage(article: Article) -> Status | None:
    """The review stage whose reviewer holds the article now. A scheduled
    article is still the editor-in-chief's: 终审 may re-sign it."""
    if article.status in REVIEW_PERMISSIONS:
        return Status(article.status)
    return Status.FINAL_REVIEW if article.is_scheduled else None


def reviews_current_stage(user, article: Article) -> bool:
    stage = current_stage(article)
    return (
        stage is not None
        and user.has_perm(REVIEW_PERMISSIONS[stage])
        and separation_refusal(user, article, stage) is None
    )


# --- 三审分离: separation of duties -------------------------------------------------


def decided_stage(action: Action, article: Article) -> Status | None:
    """The review stage at which ``action`` is a reviewer's decision: the
    stage a pass signs, or the stage a 退回 is made at; None for other steps."""
    if action == Action.RETURN:
        return Status(article.status) if article.status in REVIEW_PERMISSIONS else None
    return SIGNED_STAGES.get(action)


def is_author(user, article: Article) -> bool:
    """The creator of the article, or a colleague its byline names (a
    Contributor linked to their account, ``Contributor.user``)."""
    if article.created_by_id is not None and article.created_by_id == user.pk:
        return True
    return _on_record(user, article).bylined


def signed_in_round(records, user_id) -> set[Status]:
    """The stages ``user_id`` signed in the current review round, from the
    article's (action, actor id) records in order. A round starts at each
    提交审稿: after 退回 (or 撤稿 and 恢复为草稿) the text is resubmitted and
    all three stages are signed afresh."""
    signed = set()
    for action, actor_id in records:
        if action == Action.SUBMIT:
            signed = set()
        elif action in SIGNED_STAGES and actor_id is not None and actor_id == user_id:
            signed.add(SIGNED_STAGES[action])
    return signed


def stages_signed(user, article: Article) -> frozenset[Status]:
    """What ``user`` signed in the article's current round, as on record."""
    return _on_record(user, article).signed


@dataclass(frozen=True)
class _Record:
    bylined: bool
    signed: frozenset[Status]


def _on_record(user, article: Article) -> _Record:
    """Whether ``user`` is in the article's byline and what they signed this
    round: read once per article instance and user (the change page asks
    for every step it might offer). The services load the article afresh
    before a step, so a decision never reads an earlier request's answer."""
    if article.pk is None:
        return _Record(bylined=False, signed=frozenset())
    known = article.__dict__.setdefault("_review_record", {})
    if user.pk not in known:
        records = article.transitions.order_by("created_at", "id").values_list("action", "actor_id")
        known[user.pk] = _Record(
            bylined=article.bylines.filter(contributor__user=user.pk).exists(),
            signed=frozenset(signed_in_round(records, user.pk)),
        )
    return known[user.pk]


def separation_refusal(user, article: Article, stage: Status) -> str | None:
    """Why ``user`` may not decide ``stage`` (pass or 退回) of ``article``, or None.

    No author reviews their own article, and no one decides two different
    stages of one round, superusers included. ``NEWSROOM_REVIEW_SEPARATION``
    off (a desk too small for three reviewers) lifts both rules.
    """
    if not settings.NEWSROOM_REVIEW_SEPARATION:
        return None
    names = {"title": article.title, "stage": STAGE_NAMES[stage]}
    if is_author(user, article):
        if article.created_by_id == user.pk:
            return _("作者不能审自己的稿件：《%(title)s》是你创建的，%(stage)s请交给另一位同事。") % names
        return _("作者不能审自己的稿件：《%(title)s》的署名有你，%(stage)s请交给另一位同事。") % names
    others = stages_signed(user, article) - {stage}
    signed = next((s for s in REVIEW_PERMISSIONS if s in others), None)  # the earliest, in stage order
    if signed is not None:
        return _("三审须由三位不同的人签发：你已签过《%(title)s》的%(signed)s，%(stage)s请交给另一位同事。") % {
            **names,
            "signed": STAGE_NAMES[signed],
        }
    return None


def check_correct(user, article: Article) -> None:
    """The correction rule, stated once: who holds ``articles.add_correction``
    adds a 更正 to a published article (已发布, live, scheduled or expired).
    PermissionDenied or ValidationError, with the reason, otherwise."""
    if not user.has_perm("articles.add_correction"):
        raise PermissionDenied(_("你没有权限为《%(title)s》添加更正。") % {"title": article.title})
    if article.status != Status.PUBLISHED:
        raise ValidationError(_("只有已发布的文章才能添加更正。"))


def can_correct(user, article: Article) -> bool:
    """Whether to offer ``user`` the 更正 form on this article (``check_correct``)."""
    try:
        check_correct(user, article)
    except (PermissionDenied, ValidationError):
        return False
    return True


def can_preview(user) -> bool:
    """Staff who may see articles in the admin may read any of them on the site."""
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


def can_make_preview_link(user, article: Article) -> bool:
    """Who may send an article outside the newsroom with a preview link:
    those who may edit it, and the reviewers of the stage it stands at
    (``current_stage``: a scheduled article is still 终审's)."""
    if not (user.is_active and user.is_staff):
        return False
    if user.has_perm("articles.edit_any_article") or can_edit(user, article):
        return True
    stage = current_stage(article)
    return stage is not None and user.has_perm(REVIEW_PERMISSIONS[stage])


def can_revoke_preview_link(user, link) -> bool:
    """The link's maker, or an editor who edits any article."""
    return user.is_active and (link.created_by_id == user.pk or user.has_perm("articles.edit_any_article"))


def review_statuses(user) -> list[Status]:
    """The review stages waiting on ``user`` (for "awaiting my review")."""
    return [status for status, permission in REVIEW_PERMISSIONS.items() if user.has_perm(permission)]


def _names(article: Article, action: Action) -> dict:
    return {"title": article.title, "action": Action(action).label}
