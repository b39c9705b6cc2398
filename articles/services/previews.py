"""Preview links (预览链接): made and revoked on record (articles/previews.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, PreviewLink
from articles.previews import preview_lifetime
from articles.review_rules import can_make_preview_link, can_revoke_preview_link


def preview_link_create(*, article: Article, by) -> PreviewLink:
    """A new no-login link to ``article``, valid for ``NEWSROOM_PREVIEW_LINK_HOURS``."""
    with transaction.atomic():
        if not can_make_preview_link(by, article):
            raise PermissionDenied(
                _("你没有权限为《%(title)s》生成预览链接：只有能修改或正在审这篇稿件的人才可以。")
                % {"title": article.title}
            )
        if article.status == Article.Status.WITHDRAWN:
            raise ValidationError(_("《%(title)s》已撤稿，不能生成预览链接。") % {"title": article.title})
        now = timezone.now()
        link = PreviewLink(
            article=article, slug=article.slug, created_by=by, created_at=now, expires_at=now + preview_lifetime()
        )
        link.full_clean()
        link.save()
        return link


def preview_link_revoke(*, link: PreviewLink, by) -> PreviewLink:
    """撤销: the link stops working at once; who and when stay on record."""
    with transaction.atomic():
        if not can_revoke_preview_link(by, link):
            raise PermissionDenied(_("只有生成这个链接的人或编辑可以撤销它。"))
        link = PreviewLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is not None:
            raise ValidationError(_("这个预览链接已经撤销过了。"))
        link.revoked_at, link.revoked_by = timezone.now(), by
        link.save(update_fields=["revoked_at", "revoked_by"])
        return link


def preview_links_revoke_all(*, article: Article, by) -> int:
    """Revoke every link of ``article`` still open (on 撤稿); how many."""
    now = timezone.now()
    still_open = PreviewLink.objects.filter(article=article, revoked_at__isnull=True, expires_at__gt=now)
    return still_open.update(revoked_at=now, revoked_by=by)
