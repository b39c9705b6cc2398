import uuid
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.http.request import validate_host
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Contributor

from .uploads import FORMATS

EXTENSIONS = frozenset(FORMATS.values())


def image_path(instance, filename: str) -> str:
    """``images/<year>/<month>/<random>.<ext>``: the extension comes from the
    verified format (the service names the file ``upload.<ext>``); nothing else
    of the given name is used."""
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise ValueError(f"Not a verified picture format: {extension!r}")
    return timezone.localtime().strftime(f"images/%Y/%m/{uuid.uuid4().hex}.{extension}")


def storage_name(source: str) -> str | None:
    """The storage name behind an ``<img src>`` of this site's media, or None.

    With media on this site (``MEDIA_URL = "media/"``): ``/media/images/…``, or
    the same path as an absolute URL on one of ``ALLOWED_HOSTS``. With media
    elsewhere (an absolute ``MEDIA_URL``, object storage): URLs on that host.
    """
    base = urlsplit(default_storage.url(""))
    parts = urlsplit(source.strip())
    if parts.scheme not in ("", "http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if base.netloc:
        if not host or host != (base.hostname or "").lower():
            return None
    elif host:
        if not validate_host(host, settings.ALLOWED_HOSTS):
            return None
    elif parts.scheme or not parts.path.startswith("/"):
        return None
    if not parts.path.startswith(base.path) or len(parts.path) == len(base.path):
        return None
    return unquote(parts.path[len(base.path) :])


class ImageQuerySet(models.QuerySet):
    def by_sources(self, sources) -> dict:
        """``{src: Image}`` for the ``<img src>`` values that are pictures of
        the library (the URLs the editor stores), in one query."""
        names = {source: storage_name(source) for source in sources}
        names = {source: name for source, name in names.items() if name}
        if not names:
            return {}
        found = {image.file.name: image for image in self.select_related("credit").filter(file__in=set(names.values()))}
        return {source: found[name] for source, name in names.items() if name in found}

    def search(self, text: str):
        """The library search of the admin and the editor's browse dialog."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(caption__icontains=text)
            | Q(alt__icontains=text)
            | Q(credit__name__icontains=text)
            | Q(original_name__icontains=text)
        )


class Image(models.Model):
    """A picture of the library: uploaded once, reused in bodies and as covers.

    Pages never show ``file`` itself but its renditions (images/renditions.py).
    """

    class CreditRole(models.TextChoices):
        PHOTO = "photo", _("摄")
        PICTURE = "picture", _("图")
        SOURCE = "source", _("来源")

    file = models.ImageField(
        _("图片文件"),
        upload_to=image_path,
        max_length=255,
        unique=True,
        help_text=_("上传时已检查并重新编码：去掉了拍摄地点等 EXIF 信息，方向已摆正。"),
    )
    alt = models.CharField(
        _("替代文字"),
        max_length=250,
        blank=True,
        help_text=_("给看不到图片的读者（读屏软件、图片加载失败）：一句话说清图里是什么。"),
    )
    caption = models.TextField(_("图片说明"), blank=True, help_text=_("印在图片下面的说明文字。"))
    # PROTECT: a photographer's credit is owed for as long as the picture is
    # used; deleting the contributor must not silently strip it.
    credit = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="images",
        verbose_name=_("摄影/来源"),
        null=True,
        blank=True,
        help_text=_("拍摄者、作者或提供图片的机构。"),
    )
    credit_role = models.CharField(
        _("署名方式"),
        max_length=10,
        choices=CreditRole,
        default=CreditRole.PHOTO,
        help_text=_("摄：照片的拍摄者；图：图表、插画的作者；来源：提供图片的机构。"),
    )
    width = models.PositiveIntegerField(_("宽度"), editable=False, help_text=_("像素。"))
    height = models.PositiveIntegerField(_("高度"), editable=False, help_text=_("像素。"))
    file_size = models.PositiveIntegerField(_("文件大小"), editable=False, help_text=_("字节。"))
    original_name = models.CharField(
        _("原文件名"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("上传时的文件名，只用于搜索；存储用的文件名由系统生成。"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="images_uploaded",
        verbose_name=_("上传人"),
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = _("图片")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="image_uploaded_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0),
                name="image_has_dimensions",
                violation_error_message=_("图片的宽和高必须大于零。"),
            ),
        ]

    def __str__(self):
        return self.caption.strip()[:60] or self.alt or self.original_name or self.file.name

    @property
    def credit_line(self) -> str:
        """How the credit is printed: ``李明 摄``, ``图：新华社``, ``来源：江门市文旅局``."""
        if self.credit is None:
            return ""
        if self.credit_role == self.CreditRole.PHOTO:
            return f"{self.credit.name} 摄"
        return f"{self.CreditRole(self.credit_role).label}：{self.credit.name}"
