"""三审 transitions, scheduling, withdrawal and corrections, each on record."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import notifications
from articles.models import Article, Correction, Transition
from articles.models.articles import check_publishing_time
from articles.review_rules import check_correct, check_step
from proofing.services import check_sign_off

from .editing import store_article
from .previews import preview_links_revoke_all
from .transitions import record_transition

Action = Transition.Action


def article_transition(
    *,
    article: Article,
    by,
    action: Action,
    comment: str = "",
    at: datetime | None = None,
    override_reason: str = "",
) -> Article:
    """Move the article one step along 三审 (see articles/review_rules.py).

    Checks the step against the article as it is in the database now, so a
    stale page cannot pass an article twice or pass one already returned.
    终审签发 is refused while the article has a 禁用 word, unless a 总编辑
    gives ``override_reason``, which goes into the record (proofing/services.py).
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        step = check_step(by, action, article)
        comment = comment.strip()
        if step.needs_comment and not comment:
            raise ValidationError(_("“%(action)s”必须写明意见或理由。") % {"action": Action(action).label})
        from_status = article.status
        if action == Action.PUBLISH:
            override_note = check_sign_off(article=article, by=by, override_reason=override_reason)
            comment = "\n".join(filter(None, [comment, override_note]))
            at = at or timezone.now()
            check_publishing_time(at)
            # The expiry rule (下线时间 later than 发布时间) is Article.clean()'s:
            # store_article() below runs it on the new publish_at.
            article.publish_at = at
            if article.first_published_at is None or article.first_published_at > timezone.now():
                # Never yet live (only scheduled): it first goes live at the time it is signed for now.
                article.first_published_at = at
        article.status = step.target
        store_article(article, by=by, comment=f"{Action(action).label}：{comment}" if comment else Action(action).label)
        if action == Action.WITHDRAW:  # its preview links die with it, even if it is reopened
            preview_links_revoke_all(article=article, by=by)
        record = record_transition(
            article=article,
            action=action,
            by=by,
            from_status=from_status,
            comment=comment,
            publish_at=at if action == Action.PUBLISH else None,
        )
        notifications.step_taken(record)  # mails the next stage or the author once this commits
        return article


def article_submit(*, article: Article, by) -> Article:
    return article_transition(article=article, by=by, action=Action.SUBMIT)


def article_publish(*, article: Article, by, at: datetime | None = None) -> Article:
    """终审签发: live now, or at ``at`` (已排期) with nothing else to run."""
    return article_transition(article=article, by=by, action=Action.PUBLISH, at=at)


def article_return(*, article: Article, by, comment: str) -> Article:
    return article_transition(article=article, by=by, action=Action.RETURN, comment=comment)


def article_withdraw(*, article: Article, by, reason: str) -> Article:
    """撤稿: off every public surface at once; the reason is on record."""
    return article_transition(article=article, by=by, action=Action.WITHDRAW, comment=reason)


def article_import(*, article: Article, at: datetime) -> Article:
    """A new article from a seed document: it was printed, so it is published."""
    with transaction.atomic():
        article.status = Article.Status.PUBLISHED
        article.publish_at = article.first_published_at = at
        store_article(article, by=None, comment=Action.IMPORT.label)
        record_transition(
            article=article,
            action=Action.IMPORT,
            by=None,
            from_status=Article.Status.DRAFT,
            comment=article.source_document,
            publish_at=at,
        )
        return article


def article_add_correction(*, article: Article, by, text: str) -> Correction:
    """更正: a dated note readers see at the top of the article."""
    with transaction.atomic():
        check_correct(by, article)
        text = text.strip()
        if not text:
            raise ValidationError(_("更正内容不能为空。"))
        correction = Correction(article=article, text=text, created_by=by)
        correction.full_clean()
        correction.save()
        record_transition(article=article, action=Action.CORRECT, by=by, comment=text)
        return correction
