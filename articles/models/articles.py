from ckeditor.fields import RichTextField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import PinyinSlugged
from .series import Series


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see right now: published, past its embargo
        (``publish_at``) and not yet expired. Every public surface uses this."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now).filter(
            Q(expire_at__isnull=True) | Q(expire_at__gt=now)
        )

    def with_bylines(self):
        """Authors in byline order, with their contributors: one more query."""
        from .credits import Byline  # credits.py imports this module

        return self.prefetch_related(models.Prefetch("bylines", queryset=Byline.objects.select_related("contributor")))

    def with_credits(self):
        """Production credits in order, with their contributors: one more query."""
        from .credits import Credit

        return self.prefetch_related(models.Prefetch("credits", queryset=Credit.objects.select_related("contributor")))


class Article(PinyinSlugged):
    slug_source = "title"

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        FIRST_REVIEW = "first_review", _("待初审")
        SECOND_REVIEW = "second_review", _("待复审")
        FINAL_REVIEW = "final_review", _("待终审")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤稿")

    # Statuses an article only reaches after it has been public.
    PUBLIC_ONCE_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)

    title = models.CharField(_("标题"), max_length=200, help_text=_("照原样保存：全角标点、弯引号不会被改动。"))
    slug = models.SlugField(
        _("网址标识"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("留空则由标题的拼音自动生成；发布后不再改变。"),
    )
    subtitle = models.CharField(_("副题"), max_length=200, blank=True)
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("专题/栏目"),
        null=True,
        blank=True,
    )
    series_position = models.PositiveIntegerField(_("专题内顺序"), default=0, help_text=_("数字小的排在专题页前面。"))
    body = RichTextField(_("正文"))
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("定时发布：这个时间之前读者看不到文章。")
    )
    expire_at = models.DateTimeField(
        _("下线时间"), null=True, blank=True, help_text=_("可选：到了这个时间文章自动从网站下线。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    source_document = models.CharField(
        _("来源文档"), max_length=255, blank=True, editable=False, help_text=_("从排版系统导入时的文件名。")
    )
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True, editable=False)
    source_digest = models.CharField(_("来源摘要"), max_length=64, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            models.Index(fields=["series", "series_position"], name="article_series_order_idx"),
            models.Index(fields=["source_document"], name="article_source_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expire_at__gt=models.F("publish_at")),
                name="article_expires_after_publish",
                violation_error_message=_("下线时间必须晚于发布时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message=_("已发布的文章必须有发布时间。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.pk and self.slug:
            stored = Article.objects.filter(pk=self.pk).values("slug", "status").first()
            if stored and stored["slug"] != self.slug and stored["status"] in self.PUBLIC_ONCE_STATUSES:
                raise ValidationError({"slug": _("文章已经发布过，网址标识不能再改（否则旧链接会失效）。")})

    @property
    def is_live(self) -> bool:
        """Whether the public can read it now (the instance twin of ``published()``)."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )
