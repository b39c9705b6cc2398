"""Preview links (预览链接): a reviewer without an account reads a draft.

Each link is a PreviewLink row (who made it, when, until when, revoked or
not); its address carries the row's random key signed with the site's
secret key, so it cannot be guessed or forged, and the article page can list
it again to copy. A link stops working when it expires (48 hours by default,
``NEWSROOM_PREVIEW_LINK_HOURS``), when it is revoked (撤销), when the
article's slug changes, or once the article is withdrawn (撤稿 revokes its
links, so they stay dead if it is reopened). Editing the article does not
break it. Rules for who may make and revoke links are in
``articles/review_rules.py``; the writes in ``articles/services/previews.py``.

Links made before links were kept on record (signed tokens carrying the
article's id) no longer open anything: make a new one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Article, PreviewLink
from .people import user_name
from .review_rules import can_make_preview_link, can_revoke_preview_link

_SALT = "articles.preview-link.v2"


def preview_lifetime() -> timedelta:
    return timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS)


def preview_url(link: PreviewLink) -> str:
    """The link's address (a path; the admin makes it absolute)."""
    token = signing.Signer(salt=_SALT).sign(link.key)
    return reverse("articles:article-preview", kwargs={"token": token})


def article_for_preview(token: str, queryset=None) -> tuple[Article, datetime] | None:
    """The article a token opens and when the link expires; None if the link
    is tampered with, unknown, expired, revoked or stale. Two queries before
    the queryset's own prefetches, whatever the outcome."""
    queryset = Article.objects.all() if queryset is None else queryset
    try:
        key = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    link = PreviewLink.objects.filter(key=key).first()
    if link is None:
        return None
    article = queryset.filter(pk=link.article_id).first()
    if article is None:
        return None
    link.article = article
    if not link.is_active:
        return None
    return article, link.expires_at


@dataclass
class ListedLink:
    """A preview link as the article page lists it (``url`` blank: not to be copied)."""

    link: PreviewLink
    url: str
    made_by: str
    revoked_by: str
    can_revoke: bool


def listed_links(article: Article, *, user, absolute) -> list[ListedLink]:
    """The article's links, newest first, with their makers' names (one
    query). ``absolute`` makes a path a full address (``request.build_absolute_uri``)."""
    links = article.preview_links.select_related("created_by", "revoked_by")
    may_make = can_make_preview_link(user, article)
    return [
        ListedLink(
            link=link,
            # The address only for whom may make one (or made this one), while it works.
            url=absolute(preview_url(link)) if link.is_active and (may_make or link.created_by_id == user.pk) else "",
            made_by=user_name(link.created_by),
            revoked_by=user_name(link.revoked_by) if link.revoked_by else "",
            can_revoke=link.is_active and can_revoke_preview_link(user, link),
        )
        for link in links
    ]
