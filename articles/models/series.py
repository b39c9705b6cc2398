from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..links import slug_url
from .base import PinyinSlugged


class SeriesQuerySet(models.QuerySet):
    def with_public_articles(self, *, now=None):
        """Series with an article the public can read (at ``now``, by default
        the present), in it or in one of its columns."""
        from .articles import Article  # articles.py imports this module

        def has_public_articles():
            return models.Exists(Article.objects.published(now=now).filter(series=models.OuterRef("pk")))

        # Through the columns (a few rows), each an index seek; a join on
        # ``series__parent`` would run through every public article.
        columns = Series.objects.filter(has_public_articles(), parent=models.OuterRef("pk"))
        return self.filter(has_public_articles() | models.Exists(columns))


class Series(PinyinSlugged):
    """A 专题 or 栏目: a special issue (奋进) or a column (百千万).

    One level deep: a column belongs to a special issue (``parent``); a
    special issue belongs to nothing, and a column has no columns.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="columns",
        verbose_name=_("所属专刊"),
        help_text=_("栏目所属的专刊/专题，如“百千万”属于“奋进”。专刊本身留空。"),
    )
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

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("专题/栏目")
        verbose_name_plural = _("专题/栏目")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="series_not_its_own_parent",
                violation_error_message=_("专题不能属于它自己。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:series-detail", self.slug)

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": _("专题不能属于它自己。")})
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": _("“%(name)s”本身是栏目，不能再有栏目。") % {"name": self.parent.name}})
        if self.pk and self.columns.exists():
            raise ValidationError({"parent": _("这个专刊下面还有栏目，不能再归入别的专刊。")})

    @property
    def is_special_issue(self) -> bool:
        """Has columns of its own (needs ``columns`` prefetched to be free)."""
        return bool(self.columns.all())
