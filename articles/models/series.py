from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import PinyinSlugged


class Series(PinyinSlugged):
    """A 专题 or 栏目: a special issue (奋进) or a column (百千万)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    slug = models.SlugField(
        _("网址标识"), max_length=100, unique=True, blank=True, help_text=_("留空则由名称的拼音自动生成。")
    )
    intro = models.TextField(_("简介"), blank=True, help_text=_("显示在专题页顶部。"))
    cover = models.ForeignKey(
        "images.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_series",
        verbose_name=_("头图"),
        help_text=_("可选：显示在专题页顶部。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("专题/栏目")
        verbose_name_plural = _("专题/栏目")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:series-detail", kwargs={"slug": self.slug})
