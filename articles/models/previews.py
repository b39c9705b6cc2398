import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article


def new_preview_key() -> str:
    """A random key (96 bits) naming one preview link; its URL signs it (articles/previews.py)."""
    return secrets.token_urlsafe(12)


class PreviewLink(models.Model):
    """A no-login link to one article, for a reviewer without an account
    (预览链接): who made it and when, until when it works, and whether it
    was revoked. The link's address is the signed ``key``."""

    class State(models.TextChoices):
        ACTIVE = "active", _("有效")
        EXPIRED = "expired", _("已过期")
        REVOKED = "revoked", _("已撤销")
        # The article's address changed, or it was withdrawn, since the link was made.
        STALE = "stale", _("已失效")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("文章"))
    key = models.CharField(_("链接密钥"), max_length=32, unique=True, default=new_preview_key, editable=False)
    slug = models.SlugField(
        _("网址标识"),
        max_length=100,
        editable=False,
        help_text=_("生成链接时文章的网址标识；标识改了，链接随之失效。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="preview_links_created",
        verbose_name=_("生成人"),
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"), help_text=_("过了这个时间，链接打不开。"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="preview_links_revoked",
        verbose_name=_("撤销人"),
    )

    class Meta:
        verbose_name = _("预览链接")
        verbose_name_plural = _("预览链接")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="preview_link_expires_after_creation",
                violation_error_message=_("失效时间必须晚于生成时间。"),
            ),
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
                name="preview_link_revoked_by_has_revoked_at",
                violation_error_message=_("撤销人必须有撤销时间。"),
            ),
        ]

    def __str__(self):
        return _("《%(title)s》的预览链接") % {"title": self.article.title}

    @property
    def state(self) -> str:
        """Whether the link opens its article now, else why not."""
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        if self.article.slug != self.slug or self.article.status == Article.Status.WITHDRAWN:
            return self.State.STALE
        return self.State.ACTIVE

    @property
    def display_state(self) -> str:
        return self.State(self.state).label

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE
