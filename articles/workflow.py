"""三审: who may move an article from which status to which.

Rules only, no writes: the services in ``articles/services/workflow.py``
apply them, and the admin asks them what to offer. Permissions are ordinary
Django permissions held through the groups in ``articles/roles.py``, so a
newsroom can reshape its roles in the admin.
"""

from dataclasses import dataclass

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
    to take) or ValidationError (not possible from the article's status)."""
    step = STEPS[action]
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
    """Reporters edit their own articles while writing; editors edit any article."""
    if not user.has_perm("articles.change_article"):
        return False
    if article is None or user.has_perm("articles.edit_any_article"):
        return True
    return owns_or_edits_any(user, article) and article.status in Article.WRITING_STATUSES


def can_correct(user, article: Article) -> bool:
    return user.has_perm("articles.add_correction") and article.status == Status.PUBLISHED


def can_preview(user) -> bool:
    """Staff who may see articles in the admin may read any of them on the site."""
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")


def review_statuses(user) -> list[Status]:
    """The review stages waiting on ``user`` (for "awaiting my review")."""
    return [status for status, permission in REVIEW_PERMISSIONS.items() if user.has_perm(permission)]


def user_name(user) -> str:
    """How the newsroom calls a colleague: their name, else their login."""
    return user.get_full_name() or user.get_username()


def _names(article: Article, action: Action) -> dict:
    return {"title": article.title, "action": Action(action).label}
