from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..chinese import shortened
from ..editor import BodyField
from ..links import slug_url
from ..text import opening_text, without_cut_markup
from .base import PinyinSlugged
from .series import Series

# Characters of body text standing in for a missing 摘要.
ABSTRACT_LENGTH = 120
# Characters of body HTML that lists load instead of the whole body: enough
# for ABSTRACT_LENGTH characters of text after a picture or two.
BODY_OPENING_LENGTH = 1000
# The editors' order of a series: their position, then publication, then id.
EDITORS_ORDER = ("series_position", "publish_at", "id")
# Newest first: the order of every public list (home, feeds, news sitemap) and the admin's.
LATEST_ORDER = ("-publish_at", "-id")
# What every list of articles shows beside the article: its series and special
# issue, its cover picture and the picture's credit (``for_lists()``).
LIST_RELATIONS = ("series__parent", "cover", "cover__credit")
# What a link to an article shows (related articles, a contributor's list):
# the 引题, the headline, the time, the series' name and link (with
# ``select_related("series")``). Only these are read: every column is a value
# converted and an attribute set on each row (a time is parsed from text on
# SQLite), and a page of thirty teasers read all of the article's, its
# series', special issue's, picture's and credit's.
LINK_FIELDS = ("kicker", "title", "slug", "publish_at", "series", "series__name", "series__slug")
# What a teaser shows besides (``for_teasers()``): the 副题, the abstract (the
# 摘要, else the opening of the body, annotated), the cover picture; and the
# 版次 a day of the archive groups its teasers by.
TEASER_FIELDS = (
    *LINK_FIELDS,
    *("subtitle", "summary", "print_page", "series__parent"),
    *("cover", "cover__file", "cover__alt", "cover__width", "cover__height"),
)
# 发布时间 and 下线时间 fall in these years (Beijing time): a slip of the
# keyboard (0001, 9999) is refused with a message, not stored or overflowed.
PUBLISHING_YEARS = (2000, 2100)


def check_publishing_time(value, *, field: str = "publish_at") -> None:
    """ValidationError (on ``field``, in Chinese) unless ``value`` is None or
    within PUBLISHING_YEARS. Read the year as given (the admin's widgets give
    Beijing time), before any arithmetic that year 1 or 9999 would overflow."""
    first, last = PUBLISHING_YEARS
    if value is not None and not first <= value.year <= last:
        label = Article._meta.get_field(field).verbose_name
        raise ValidationError(
            {
                field: _("%(label)s必须在 %(first)s 年到 %(last)s 年之间（北京时间），这里填的是 %(year)s 年。")
                % {"label": label, "first": first, "last": last, "year": value.year}
            },
            code="out_of_range",
        )


def check_expiry(*, publish_at, expire_at) -> None:
    """The expiry rule, stated once: a 下线时间, when there is one, is later
    than the 发布时间. ValidationError on ``expire_at`` (in Chinese) otherwise.
    ``Article.clean()`` applies it to every save (so 终审签发 with a time
    after the 下线时间 is refused too); the database holds it as well
    (constraint ``article_expires_after_publish``)."""
    if expire_at is not None and publish_at is not None and expire_at <= publish_at:
        beijing = "Y年n月j日 H:i"
        raise ValidationError(
            {
                "expire_at": _("下线时间必须晚于发布时间：发布时间是 %(publish)s，下线时间是 %(expire)s。")
                % {
                    "publish": date_format(timezone.localtime(publish_at), beijing),
                    "expire": date_format(timezone.localtime(expire_at), beijing),
                }
            },
            code="expires_before_publication",
        )


def public_article(field: str = "article", *, now: datetime | None = None) -> models.Exists:
    """Whether a row's ``field`` is an article the public can read (at
    ``now``, by default the present): a lookup of that one article, where
    ``article__in=published()`` would list every public one (for bylines,
    credits and the like)."""
    return models.Exists(Article.objects.published(now=now).filter(pk=models.OuterRef(field)))


def bylines_in_order() -> models.Prefetch:
    """Articles' authors in byline order, with their contributors: what
    ``with_bylines()`` prefetches, for ``prefetch_related_objects()`` too."""
    from .credits import Byline  # credits.py imports this module

    return models.Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))


class ArticleQuerySet(models.QuerySet):
    def published(self, *, now: datetime | None = None):
        """What the public may see right now (or at ``now``): published, past
        its embargo (``publish_at``) and not yet expired. Every public surface
        uses this."""
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now).filter(
            Q(expire_at__isnull=True) | Q(expire_at__gt=now)
        )

    def signed_off(self):
        """Signed off (status 已发布), whatever the time: live, scheduled
        (已排期) or expired (已下线). What the search index holds; searches
        apply the dates at query time."""
        return self.filter(status=Article.Status.PUBLISHED)

    def latest_first(self):
        """Newest first (``LATEST_ORDER``), the order of every public list."""
        return self.order_by(*LATEST_ORDER)

    def public_list(self, *, teasers: bool = False, now: datetime | None = None):
        """The public list of articles, stated once: ``published()``, newest
        first, with what every list shows (``for_lists()``; ``for_teasers()``
        with ``teasers``, without the body). Home page, feeds and search use it."""
        articles = self.published(now=now).latest_first()
        return articles.for_teasers() if teasers else articles.for_lists()

    def in_state(self, state: str):
        """Articles whose ``Article.state`` is ``state``: a status, or the
        refined ``published`` (live now), ``scheduled`` (已排期) and
        ``expired`` (已下线). The change list's 状态 filter."""
        now = timezone.now()
        if state == Article.Status.PUBLISHED:
            return self.published()
        if state == "scheduled":
            return self.signed_off().filter(publish_at__gt=now)
        if state == "expired":
            return self.signed_off().filter(publish_at__lte=now, expire_at__lte=now)
        return self.filter(status=state)

    def for_lists(self):
        """What every list of articles shows (series and its special issue,
        cover picture, authors), in a fixed number of queries however long the list."""
        return self.select_related(*LIST_RELATIONS).with_bylines()

    def for_teasers(self):
        """What a list of teasers shows (``TEASER_FIELDS``), with the bylines:
        of the body, which is large, only its opening (``body_opening``, what
        ``abstract`` reads)."""
        return (
            self.select_related("series", "cover")
            .with_bylines()
            .only(*TEASER_FIELDS)
            .annotate(body_opening=Substr("body", 1, BODY_OPENING_LENGTH))
        )

    def with_bylines(self):
        """Authors in byline order, with their contributors: one more query."""
        return self.prefetch_related(bylines_in_order())


class Article(PinyinSlugged):
    slug_source = "title"

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        RETURNED = "returned", _("已退回")
        FIRST_REVIEW = "first_review", _("待初审")
        SECOND_REVIEW = "second_review", _("待复审")
        FINAL_REVIEW = "final_review", _("待终审")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤稿")

    # Where the reporter may still work on it (三审 has not started or sent it back).
    WRITING_STATUSES = (Status.DRAFT, Status.RETURNED)
    IN_REVIEW_STATUSES = (Status.FIRST_REVIEW, Status.SECOND_REVIEW, Status.FINAL_REVIEW)

    kicker = models.CharField(
        _("引题"), max_length=200, blank=True, help_text=_("印在标题上方的一行，如“奋进·百千万”。")
    )
    title = models.CharField(_("标题"), max_length=200, help_text=_("照原样保存：全角标点、弯引号不会被改动。"))
    slug = models.SlugField(
        _("网址标识"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("留空则由标题的拼音自动生成；发布后不再改变。"),
    )
    subtitle = models.CharField(_("副题"), max_length=200, blank=True)
    summary = models.TextField(
        _("摘要"),
        blank=True,
        help_text=_("一两句导语：用在首页和专题页的列表、订阅源和分享卡片上。留空则取正文开头。"),
    )
    source = models.CharField(
        _("来源"), max_length=100, blank=True, help_text=_("转载时填原发媒体，如“南方日报”；本报稿件可留空。")
    )
    print_page = models.CharField(_("版次"), max_length=20, blank=True, help_text=_("见报的版面，如 A05。"))
    print_date = models.DateField(_("刊发日期"), null=True, blank=True, help_text=_("见报的日期；按日期归档。"))
    is_lead = models.BooleanField(_("头条"), default=False, help_text=_("放在首页最上方；有几篇时取最新的一篇。"))
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("专题/栏目"),
        null=True,
        blank=True,
    )
    cover = models.ForeignKey(
        "images.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_articles",
        verbose_name=_("头图"),
        help_text=_("显示在文章顶部、首页和专题页的列表、搜索结果和分享卡片上。从图片库选择，或点“+”上传新图。"),
    )
    series_position = models.PositiveIntegerField(_("专题内顺序"), default=0, help_text=_("数字小的排在专题页前面。"))
    body = BodyField(_("正文"), help_text=_("保存时只保留报纸正文需要的格式；脚本、外站图片等会被去掉。"))
    word_count = models.PositiveIntegerField(
        _("字数"),
        default=0,
        editable=False,
        help_text=_("正文的字数：汉字、标点、字母、数字各算一个字，空白不算；标题、引题、副题和摘要不计。保存时统计。"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("定时发布：这个时间之前读者看不到文章。")
    )
    expire_at = models.DateTimeField(
        _("下线时间"), null=True, blank=True, help_text=_("可选：到了这个时间文章自动从网站下线。")
    )
    first_published_at = models.DateTimeField(
        _("首次发布时间"), null=True, blank=True, editable=False, help_text=_("第一次签发的时间；此后网址不再改变。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="articles_created",
        verbose_name=_("创建人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="articles_updated",
        verbose_name=_("最后修改人"),
    )
    version = models.PositiveIntegerField(
        _("版本号"), default=1, editable=False, help_text=_("每次保存加一；用来发现两人同时修改。")
    )
    source_document = models.CharField(
        _("来源文档"), max_length=255, blank=True, editable=False, help_text=_("从排版系统导入时的文件名。")
    )
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True, editable=False)
    source_digest = models.CharField(_("来源摘要"), max_length=64, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = list(LATEST_ORDER)
        permissions = [
            ("edit_any_article", _("可以修改任何人的稿件")),
            ("submit_article", _("可以提交审稿")),
            ("review_first", _("可以初审")),
            ("review_second", _("可以复审")),
            ("review_final", _("可以终审签发")),
            ("withdraw_article", _("可以撤稿")),
        ]
        indexes = [
            # The public pages' indexes hold every column that published()
            # and their order read, so SQLite answers from the index without
            # reading the rows, where the large body lies before these columns.
            models.Index(
                fields=["status", "publish_at", "id", "expire_at", "is_lead", "series", "print_date"],
                name="article_public_idx",
            ),
            models.Index(
                fields=["series", "series_position", "publish_at", "id", "status", "expire_at"],
                name="article_series_editors_idx",
            ),
            models.Index(
                fields=["series", "publish_at", "id", "status", "expire_at", "series_position"],
                name="article_series_latest_idx",
            ),
            # The home page's 头条: the newest public article marked is_lead. Few
            # are, so without this index finding none reads every public row.
            models.Index(
                fields=["status", "publish_at", "id", "expire_at"],
                condition=Q(is_lead=True),
                name="article_lead_idx",
            ),
            models.Index(fields=["source_document"], name="article_source_idx"),
            models.Index(fields=["print_date"], name="article_print_date_idx"),
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
        return slug_url("articles:article-detail", self.slug)

    def clean(self):
        super().clean()
        if self.pk and self.first_published_at:
            stored_slug = Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if stored_slug and stored_slug != self.slug:
                raise ValidationError({"slug": _("文章已经发布过，网址标识不能再改（否则旧链接会失效）。")})
        errors = {}
        for field in ("publish_at", "expire_at"):
            try:
                check_publishing_time(getattr(self, field), field=field)
            except ValidationError as error:
                errors.update(error.error_dict)
        if errors:  # before comparing them: year 1 or 9999 would overflow
            raise ValidationError(errors)
        check_expiry(publish_at=self.publish_at, expire_at=self.expire_at)

    @property
    def abstract(self) -> str:
        """The 摘要, or the text's opening when there is none: what lists,
        feeds and share cards show under the headline."""
        if self.summary.strip():
            return self.summary.strip()
        opening = getattr(self, "body_opening", None)
        if opening is None or "body" not in self.get_deferred_fields():
            html, cut = self.body, False
        else:  # a list's article (for_teasers()): the opening of the body only
            html, cut = without_cut_markup(opening), len(opening) >= BODY_OPENING_LENGTH
        text = opening_text(html, ABSTRACT_LENGTH + 1)  # shortened() reads one more to know if it cuts
        if cut and len(text) <= ABSTRACT_LENGTH:
            text += "…"  # the body goes on beyond its opening
        return shortened(text, ABSTRACT_LENGTH)

    @property
    def is_scheduled(self) -> bool:
        """Signed off, waiting for its ``publish_at`` (已排期)."""
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.expire_at is not None and self.expire_at <= timezone.now()

    @property
    def state(self) -> str:
        """The status, refined: ``scheduled`` (已排期) and ``expired`` (已下线)
        are published articles that the public cannot see at the moment."""
        if self.is_scheduled:
            return "scheduled"
        if self.is_expired:
            return "expired"
        return self.status

    @property
    def display_status(self) -> str:
        return {"scheduled": _("已排期"), "expired": _("已下线")}.get(self.state) or self.get_status_display()

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
