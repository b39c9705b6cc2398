"""Presence (在场): who has an article's edit page open right now."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..people import user_name
from .articles import Article

# Presence (在场): a page counts as open while its heartbeats keep coming.
# The page sends one every HEARTBEAT_SECONDS (articles/services/editing.py);
# three missed in a row and it is gone. A page served without JavaScript is
# present for this long after it was opened. docs/workflow.md, "Who else is here".
PRESENCE_TIMEOUT = timedelta(seconds=90)


class ArticleOpenQuerySet(models.QuerySet):
    def present(self, *, at=None):
        """Pages heard from within PRESENCE_TIMEOUT of ``at`` (now by default)."""
        return self.filter(last_seen_at__gte=(at or timezone.now()) - PRESENCE_TIMEOUT)

    def expired(self, *, at=None):
        return self.filter(last_seen_at__lt=(at or timezone.now()) - PRESENCE_TIMEOUT)


class ArticleOpen(models.Model):
    """One open edit page of an article (a browser tab): whose, since when,
    last heard from when, and whether its user has changed anything in it.
    Rows are removed when the page is left and once they have expired."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="opens", verbose_name=_("文章"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_opens", verbose_name=_("用户")
    )
    page = models.CharField(
        _("页面标识"), max_length=32, help_text=_("每次打开编辑页面时生成的随机标识，区分同一个人的几个标签页。")
    )
    opened_at = models.DateTimeField(_("打开时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(
        _("最后在场时间"), default=timezone.now, db_index=True, help_text=_("页面最后一次报到（心跳）的时间。")
    )
    is_editing = models.BooleanField(_("正在编辑"), default=False, help_text=_("打开页面后已经改动了稿件内容。"))

    objects = ArticleOpenQuerySet.as_manager()

    class Meta:
        verbose_name = _("在场记录")
        verbose_name_plural = _("在场记录")
        constraints = [
            models.UniqueConstraint(fields=["article", "user", "page"], name="article_open_once_per_page"),
        ]

    def __str__(self):
        state = _("正在编辑") if self.is_editing else _("正在查看")
        return f"{user_name(self.user)}，{state}，{timezone.localtime(self.last_seen_at):%Y-%m-%d %H:%M:%S}"
