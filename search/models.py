from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingIndexChange(models.Model):
    """An article whose search entry could not be written at once (the index
    was busy, e.g. being rebuilt). Applied by the next write that gets the
    lock, at the end of a rebuild, or by ``search_maintain``."""

    article_id = models.BigIntegerField(_("文章编号"), db_index=True)
    queued_at = models.DateTimeField(_("排队时间"), default=timezone.now)

    class Meta:
        verbose_name = _("待更新的搜索条目")
        verbose_name_plural = _("待更新的搜索条目")

    def __str__(self):
        return f"article {self.article_id} @ {self.queued_at:%Y-%m-%d %H:%M:%S}"
