"""Writes with side effects. The admin, commands and views call these."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """Make the article public at ``at`` (its own ``publish_at``, else now).

    A future time schedules it: the public sees it from that minute on,
    with nothing else to run.
    """
    article.status = Article.Status.PUBLISHED
    article.publish_at = at or article.publish_at or timezone.now()
    article.full_clean()
    article.save()
    return article
