"""The lists the newsroom maintains: sensitive words (敏感词) and common
mistakes (错别字, wrong official names) with their correction.

Articles are checked against both (proofing/services.py); a 禁用 word blocks
终审签发 unless a 总编辑 overrides it with a written reason.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    BLOCK = "block", _("禁用")
    WARN = "warn", _("提示")


class SensitiveWord(models.Model):
    class Category(models.TextChoices):
        POLITICS = "politics", _("政治")
        PORNOGRAPHY = "pornography", _("色情")
        VIOLENCE = "violence", _("暴力")
        ADVERTISING = "advertising", _("广告")
        USAGE = "usage", _("规范用语")
        OTHER = "other", _("其他")

    word = models.CharField(
        _("词语"),
        max_length=100,
        unique=True,
        help_text=_("文章里原样出现这几个字就算命中：不分词，英文字母不分大小写。"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category, default=Category.OTHER)
    level = models.CharField(
        _("级别"),
        max_length=10,
        choices=Level,
        default=Level.BLOCK,
        help_text=_("禁用：有这个词的文章不能终审签发（除非总编辑写明理由放行）；提示：只提醒审稿人留意。"),
    )
    suggestion = models.CharField(
        _("建议改为"), max_length=100, blank=True, help_text=_("可选：规范的说法，如“残废人”应作“残疾人”。")
    )
    note = models.TextField(_("说明"), blank=True, help_text=_("为什么要查这个词、依据是什么，审稿人会看到。"))
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["word"]
        permissions = [("override_sensitive", _("可以放行含禁用词的稿件（须写明理由）"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(word=""), name="sensitive_word_not_blank", violation_error_message=_("词语不能为空。")
            ),
        ]

    def __str__(self):
        return self.word


class CommonMistake(models.Model):
    wrong = models.CharField(
        _("错误写法"),
        max_length=100,
        unique=True,
        help_text=_("文章里原样出现就提示，如“既使”“按装”，或写错的机构名称。"),
    )
    right = models.CharField(_("正确写法"), max_length=100, help_text=_("审稿人会看到的建议，如“即使”“安装”。"))
    note = models.TextField(
        _("说明"), blank=True, help_text=_("可选：用法说明，或容易误报的情况（如“既使用……又……”）。")
    )
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("错别字")
        verbose_name_plural = _("错别字")
        ordering = ["wrong"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(wrong="") & ~Q(right=""),
                name="common_mistake_not_blank",
                violation_error_message=_("错误写法和正确写法都不能为空。"),
            ),
            models.CheckConstraint(
                condition=~Q(wrong=models.F("right")),
                name="common_mistake_differs",
                violation_error_message=_("正确写法不能和错误写法相同。"),
            ),
        ]

    def __str__(self):
        return f"{self.wrong} → {self.right}"
