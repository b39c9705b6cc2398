from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article


class Transition(models.Model):
    """One step of an article's life, on record: who did what, when, from and to."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交审稿")
        PASS_FIRST = "pass_first", _("初审通过")
        PASS_SECOND = "pass_second", _("复审通过")
        PUBLISH = "publish", _("终审签发")
        RETURN = "return", _("退回")
        WITHDRAW = "withdraw", _("撤稿")
        REOPEN = "reopen", _("恢复为草稿")
        EDIT_PUBLISHED = "edit_published", _("修改已发布稿件")
        CORRECT = "correct", _("更正")
        IMPORT = "import", _("从种子文档导入")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("文章"))
    action = models.CharField(_("操作"), max_length=20, choices=Action)
    from_status = models.CharField(_("原状态"), max_length=20, choices=Article.Status)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Article.Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="article_transitions",
        verbose_name=_("操作人"),
        help_text=_("空表示系统（如导入种子文档）。"),
    )
    comment = models.TextField(_("意见"), blank=True)
    publish_at = models.DateTimeField(_("签发的发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("审稿记录")
        verbose_name_plural = _("审稿记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_action_display()}：{self.get_from_status_display()} → {self.get_to_status_display()}"


class Correction(models.Model):
    """A dated correction (更正) shown to readers at the top of a published article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("文章"))
    text = models.TextField(_("更正内容"), help_text=_("读者会在文章顶部看到这段话和日期。"))
    created_at = models.DateTimeField(_("更正时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="article_corrections",
        verbose_name=_("更正人"),
    )

    class Meta:
        verbose_name = _("更正")
        verbose_name_plural = _("更正")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text
