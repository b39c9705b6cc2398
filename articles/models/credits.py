from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.vocabulary import POSTFIX_BYLINE_ROLES, SLASH_BYLINE_ROLES

from .articles import Article
from .contributors import Contributor
from .series import Series


class Byline(models.Model):
    """One author of an article, in byline order, with an optional role."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines", verbose_name=_("文章"))
    contributor = models.ForeignKey(
        Contributor, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("作者")
    )
    role = models.CharField(
        _("署名角色"), max_length=20, blank=True, help_text=_("如 记者、通讯员、文、图、摄；没有可留空。")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("署名")
        verbose_name_plural = _("署名")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor", "role"],
                name="byline_unique_role_per_article",
                violation_error_message=_("同一作者在同一篇文章里不能重复同一署名角色。"),
            ),
        ]

    def __str__(self):
        if self.is_postfix_role:
            return f"{self.contributor} {self.role}"
        if self.is_slash_role:
            return f"{self.role}/{self.contributor}"
        return f"{self.role} {self.contributor}".strip()

    @property
    def is_postfix_role(self) -> bool:
        """摄 and the like follow the name: （记者 李明 摄）."""
        return self.role in POSTFIX_BYLINE_ROLES

    @property
    def is_slash_role(self) -> bool:
        """文 and 图 join the name with a slash: 文/赵可义."""
        return self.role in SLASH_BYLINE_ROLES


class Credit(models.Model):
    """A production credit (总策划, 出品人, 责任编辑 …) of an article or a series."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="credits", null=True, blank=True, verbose_name=_("文章")
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, related_name="credits", null=True, blank=True, verbose_name=_("专题/栏目")
    )
    contributor = models.ForeignKey(
        Contributor, on_delete=models.PROTECT, related_name="credits", verbose_name=_("作者/机构")
    )
    role = models.CharField(
        _("职务"), max_length=20, help_text=_("如 总策划、出品人、出品、责任编辑、美术编辑、校对。")
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("制作人员")
        verbose_name_plural = _("制作人员")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, series__isnull=True) | Q(article__isnull=True, series__isnull=False),
                name="credit_belongs_to_article_or_series",
                violation_error_message=_("制作人员只能属于一篇文章或一个专题。"),
            ),
            models.UniqueConstraint(
                fields=["article", "contributor", "role"],
                condition=Q(article__isnull=False),
                name="credit_unique_role_per_article",
                violation_error_message=_("同一人在同一篇文章里不能重复同一职务。"),
            ),
            models.UniqueConstraint(
                fields=["series", "contributor", "role"],
                condition=Q(series__isnull=False),
                name="credit_unique_role_per_series",
                violation_error_message=_("同一人在同一专题里不能重复同一职务。"),
            ),
        ]

    def __str__(self):
        return f"{self.role}：{self.contributor}"


def credit_owners(series: Series | None) -> list[int]:
    """The series whose credits an article of ``series`` (or the series'
    own page) prints after its own: ``series``, then the special issue above it."""
    if series is None:
        return []
    return [series.pk, *([series.parent_id] if series.parent_id else [])]


def in_print_order(credits, series: Series | None) -> list:
    """``credits`` (Credit-like: role, position, series_id, contributor_id)
    as the paper prints them under an article or a series page: an
    article's own first, then those of ``series``, then of its special issue,
    so that each role's names come together in the order the role first
    appears (总策划：傅健 曹乃付　出品人：张永源　出品：江门日报社), each name
    once per role. ``{% credits %}`` prints them."""
    rank = {pk: i for i, pk in enumerate(credit_owners(series), start=1)}  # the article's own rank 0
    by_role: dict[str, list] = {}
    for credit in sorted(credits, key=lambda c: (rank.get(c.series_id, 0), c.position, c.pk)):
        line = by_role.setdefault(credit.role, [])
        if all(c.contributor_id != credit.contributor_id for c in line):
            line.append(credit)
    return [credit for line in by_role.values() for credit in line]
