"""The sign-off history: every step of an article's life is recorded here, once."""

from datetime import datetime

from articles.models import Article, Transition


def record_transition(
    *,
    article: Article,
    action: Transition.Action,
    by,
    from_status: str | None = None,
    comment: str = "",
    publish_at: datetime | None = None,
) -> Transition:
    """Put one step on record (审稿记录): ``action`` taken by ``by`` (None:
    the system) on ``article``, from ``from_status`` (its status now by
    default) to the status it has now. The 三审 steps, 导入, 更正 and edits
    of a published article all pass here; nothing else creates a Transition."""
    return Transition.objects.create(
        article=article,
        action=action,
        from_status=article.status if from_status is None else from_status,
        to_status=article.status,
        actor=by,
        comment=comment,
        publish_at=publish_at,
    )
