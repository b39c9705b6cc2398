"""E-mail on 三审 steps: the author hears of a 退回, the next stage of a pass.

``step_taken`` is called by ``articles.services.review.article_transition``
for every step it records. The mails go out after the step's transaction
commits, so a step that is refused or rolled back mails nobody; a mail
server that fails is logged and never breaks or undoes the step. Django's
e-mail backend sends them (the console by default; settings and how to turn
the mails off in docs/workflow.md).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.urls import reverse

from . import review_rules
from .dashboard import short_time
from .models import Article, Transition
from .people import user_name

logger = logging.getLogger(__name__)

Status, Action = Article.Status, Transition.Action
SIGNATURE = "\n\n——\n{site}（这封邮件由系统自动发出，请勿直接回复）"


def step_taken(record: Transition) -> None:
    """Mail the people a step hands work to, once the step is committed."""
    if not settings.NEWSROOM_NOTIFY_BY_EMAIL:
        return
    if record.action == Action.RETURN or record.to_status in review_rules.REVIEW_PERMISSIONS:
        # A function, not a partial: Django logs a robust callback's failure by its __qualname__.
        transaction.on_commit(lambda: _send(record), robust=True)


def messages_for(record: Transition) -> list[mail.EmailMessage]:
    """The mails for one recorded step (none for steps nobody waits on)."""
    article, actor = record.article, record.actor
    if record.action == Action.RETURN:
        author = article.created_by
        if not _reachable(author) or author == actor:
            return []
        return [_message(author.email, *_return_text(record))]
    stage = record.to_status
    if stage not in review_rules.REVIEW_PERMISSIONS:
        return []
    subject, body = _pass_text(record)
    return [_message(address, subject, body) for address in _reviewers(stage, article, exclude=actor)]


# --- internals ------------------------------------------------------------------------


def _send(record: Transition) -> None:
    try:
        messages = messages_for(record)
        if messages:
            mail.get_connection().send_messages(messages)
    except Exception:  # whatever the mail server does, the step stands
        logger.exception("三审通知邮件没有发出：《%s》%s", record.article.title, record.get_action_display())


def _reviewers(stage: Status, article: Article, *, exclude) -> list[str]:
    """The addresses of the active colleagues who may decide ``stage`` of
    ``article`` (its group, not superusers by default rights alone), minus
    whoever took the step and anyone 三审分离 keeps from this stage."""
    candidates = (
        get_user_model()
        # Named: with more than one backend (django-axes is one) with_perm needs it; groups live in ModelBackend.
        .objects.with_perm(
            review_rules.REVIEW_PERMISSIONS[stage],
            is_active=True,
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .exclude(email="")
        .order_by("pk")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    addresses = []
    for user in candidates:
        if review_rules.separation_refusal(user, article, stage) is None and user.email not in addresses:
            addresses.append(user.email)
    return addresses


def _reachable(user) -> bool:
    return user is not None and user.is_active and bool(user.email)


def _message(to: str, subject: str, body: str) -> mail.EmailMessage:
    return mail.EmailMessage(subject=subject, body=body + SIGNATURE.format(site=settings.NEWSROOM_SITE_NAME), to=[to])


def _link(article: Article) -> str:
    return settings.NEWSROOM_ADMIN_BASE_URL.rstrip("/") + reverse("admin:articles_article_change", args=[article.pk])


def _actor_name(record: Transition) -> str:
    return user_name(record.actor) if record.actor else "系统"


def _return_text(record: Transition) -> tuple[str, str]:
    article = record.article
    stage = review_rules.STAGE_NAMES.get(record.from_status, "审稿")
    subject = f"【退回】《{article.title}》被退回修改"
    body = (
        f"你的稿件《{article.title}》在{stage}时被{_actor_name(record)}退回（{short_time(record.created_at)}）。\n\n"
        f"退回意见：\n{record.comment}\n\n"
        f"请按意见修改后重新提交审稿：\n{_link(article)}"
    )
    return subject, body


def _pass_text(record: Transition) -> tuple[str, str]:
    article = record.article
    stage = review_rules.STAGE_NAMES[record.to_status]
    subject = f"【待{stage}】《{article.title}》"
    body = (
        f"{_actor_name(record)}对《{article.title}》执行了“{record.get_action_display()}”"
        f"（{short_time(record.created_at)}），稿件现在等待{stage}。\n\n"
        + (f"意见：\n{record.comment}\n\n" if record.comment else "")
        + f"打开稿件：\n{_link(article)}"
    )
    return subject, body
