"""Signed preview links: a reviewer without an account reads a draft.

The link carries the article's id, its slug and how many times it had been
withdrawn, signed with a timestamp by the site's secret key. It stops
working when it expires (48 hours by default), when the slug changes, or
once the article is withdrawn again, even if it is later reopened. Editing
the article does not break it.
"""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import Article, Transition

_SALT = "articles.preview-link"


def preview_lifetime() -> timedelta:
    return timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS)


def preview_url(article: Article) -> str:
    payload = {"id": article.pk, "slug": article.slug, "w": _withdrawals(article), "t": int(time.time())}
    return reverse("articles:article-preview", kwargs={"token": signing.dumps(payload, salt=_SALT, compress=True)})


def article_for_preview(token: str, queryset=None) -> tuple[Article, datetime] | None:
    """The article a token opens and when the link expires; None if the link
    is tampered with, expired or revoked."""
    queryset = Article.objects.all() if queryset is None else queryset
    try:
        payload = signing.loads(token, salt=_SALT, max_age=preview_lifetime())
        article = queryset.get(pk=payload["id"], slug=payload["slug"])
        made_at = datetime.fromtimestamp(payload["t"], tz=timezone.get_current_timezone())
    except (signing.BadSignature, KeyError, TypeError, ValueError, Article.DoesNotExist):
        return None
    if article.status == Article.Status.WITHDRAWN or _withdrawals(article) != payload.get("w"):
        return None
    return article, made_at + preview_lifetime()


def _withdrawals(article: Article) -> int:
    return article.transitions.filter(action=Transition.Action.WITHDRAW).count()
