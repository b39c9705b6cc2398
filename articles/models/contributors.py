from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.vocabulary import is_organisation_name

from ..links import slug_url
from .base import PinyinSlugged


class ContributorQuerySet(models.QuerySet):
    def with_public_work(self, *, now=None):
        """Contributors the public may read about (at ``now``, by default the
        present): a byline or a credit on a public article, or a credit on a
        series with public articles. Until then their page does not exist (a
        bio is not reviewed on its own)."""
        from .articles import public_article
        from .credits import Byline, Credit
        from .series import Series

        mine = {"contributor": models.OuterRef("pk")}
        return self.filter(
            models.Exists(Byline.objects.filter(public_article(now=now), **mine))
            | models.Exists(Credit.objects.filter(public_article(now=now), **mine))
            | models.Exists(Credit.objects.filter(series__in=Series.objects.with_public_articles(now=now), **mine))
        )


class Contributor(PinyinSlugged):
    """A person or an organisation named in a byline or a credit.

    The name is the identity: the same name is the same contributor
    everywhere, whatever role they hold.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        ORGANISATION = "organisation", _("机构")

    name = models.CharField(
        _("名称"), max_length=100, unique=True, help_text=_("署名或鸣谢时使用的名字；同名即同一人。")
    )
    slug = models.SlugField(
        _("网址标识"), max_length=100, unique=True, blank=True, help_text=_("留空则由名称的拼音自动生成。")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind, default=Kind.PERSON)
    bio = models.TextField(_("简介"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        verbose_name=_("本社账号"),
        help_text=_("署这个名字的同事在后台的账号（如有）。作者不能审自己署名的稿件（三审分离）。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ContributorQuerySet.as_manager()

    class Meta:
        verbose_name = _("作者/机构")
        verbose_name_plural = _("作者/机构")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:contributor-detail", self.slug)

    @classmethod
    def kind_for_name(cls, name: str) -> str:
        """Guess whether a newly seen name is a person or an organisation."""
        return cls.Kind.ORGANISATION if is_organisation_name(name) else cls.Kind.PERSON
