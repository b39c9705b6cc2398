"""Renditions: what pages send instead of the original upload.

Every picture gets a WebP and a JPEG (PNG for pictures that may be
transparent) in each width of ``WIDTHS`` up to its own width, made by
django-imagekit (chosen by measurement: docs/benchmarks.md, docs/images.md).

They are generated when a picture is uploaded (``ensure`` in the upload
service) and, for a picture whose renditions are missing, the first time a
page shows it. Rendering costs no query and, once a process has seen a
picture, no storage look-up either: names are computed, and whether a
picture's renditions exist is remembered in the cache, per picture.
"""

import logging
import posixpath

from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from imagekit import ImageSpec, register
from imagekit.cachefiles import ImageCacheFile
from pilkit.processors import ResizeToFit

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280, 1600)
# The width of the plain ``src`` for browsers that ignore srcset.
SRC_WIDTH = 960
THUMBNAIL_WIDTH = 320
# Part of every rendition's name: bump it when renditions should look
# different (new quality, new processing), and new ones are made on demand.
VERSION = 1
OPTIONS = {
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
}
EXTENSIONS = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
READY, BROKEN = "ready", "broken"
BROKEN_RETRY_SECONDS = 300


class Rendition(ImageSpec):
    """One picture at one width in one format (never wider than the original)."""

    # Existence is checked once per picture (``ensure``), not once per URL.
    cachefile_strategy = "imagekit.cachefiles.strategies.Optimistic"

    def __init__(self, source, *, width: int, format: str):
        self.width = width
        self.format = format
        self.processors = [ResizeToFit(width=width, upscale=False)]
        self.options = OPTIONS[format]
        super().__init__(source=source)

    @property
    def cachefile_name(self) -> str:
        # images/2026/05/<hex>.jpg → renditions/v1/2026/05/<hex>/640.webp: computed,
        # not hashed, so a page of pictures costs string work only.
        stem = posixpath.splitext(self.source.name)[0].removeprefix("images/")
        return f"renditions/v{VERSION}/{stem}/{self.width}.{EXTENSIONS[self.format]}"


register.generator("images:rendition", Rendition)


def widths(image) -> list[int]:
    """The widths made for ``image``: those of ``WIDTHS`` below its own width,
    and its own width (capped at the largest) so nothing is ever upscaled."""
    largest = min(image.width, WIDTHS[-1])
    return [*(width for width in WIDTHS if width < largest), largest]


def fallback_format(image) -> str:
    """JPEG for photos; PNG for what may be transparent (PNG, GIF, WebP)."""
    return "JPEG" if image.file.name.lower().endswith((".jpg", ".jpeg")) else "PNG"


def rendition(image, width: int, format: str) -> ImageCacheFile:
    return ImageCacheFile(Rendition(image.file, width=width, format=format))


def height_at(image, width: int) -> int:
    return max(1, round(image.height * width / image.width))


def generate(image) -> None:
    """Make every rendition of ``image`` that does not exist yet."""
    for format in ("WEBP", fallback_format(image)):
        for width in widths(image):
            rendition(image, width, format).generate()


def ensure(image) -> bool:
    """Whether ``image`` has its renditions, making them if needed. Remembered
    per picture; a picture that cannot be rendered is retried after a while."""
    key = f"images:renditions:v{VERSION}:{image.file.name}"
    state = cache.get(key)
    if state is None:
        try:
            generate(image)
            state = READY
        except Exception:
            logger.warning("Cannot make renditions of image %s (%s)", image.pk, image.file.name, exc_info=True)
            state = BROKEN
        cache.set(key, state, None if state == READY else BROKEN_RETRY_SECONDS)
    return state == READY


def srcset(image, format: str) -> str:
    return ", ".join(f"{rendition(image, width, format).url} {width}w" for width in widths(image))


def picture_html(image, *, sizes: str, lazy: bool = True, alt: str | None = None, css_class: str = "") -> SafeString:
    """A ``<picture>`` of ``image``'s renditions: WebP where the browser takes
    it, JPEG/PNG otherwise, ``width``/``height`` set, lazy unless told.

    ``sizes`` is the ``sizes`` attribute (how wide the picture is shown, e.g.
    ``"(min-width: 960px) 720px, 100vw"``); ``alt`` overrides the library's
    text. Never raises: a missing or broken picture gives its alt text (or
    nothing) and a warning in the log. Costs no database query.
    """
    try:
        return _picture_html(image, sizes=sizes, lazy=lazy, alt=alt, css_class=css_class)
    except Exception:
        logger.warning("Cannot show image %s", getattr(image, "pk", None), exc_info=True)
        return _missing(image, alt)


def _picture_html(image, *, sizes, lazy, alt, css_class) -> SafeString:
    if image is None or not image.file or not image.width or not image.height:
        return mark_safe("")
    if not ensure(image):
        return _missing(image, alt)
    fallback = fallback_format(image)
    made = widths(image)
    src_width = max([width for width in made if width <= SRC_WIDTH] or made[:1])
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} loading="{}" decoding="async"{}>'
        "</picture>",
        srcset(image, "WEBP"),
        sizes,
        rendition(image, src_width, fallback).url,
        srcset(image, fallback),
        sizes,
        src_width,
        height_at(image, src_width),
        image.alt if alt is None else alt,
        format_html(' class="{}"', css_class) if css_class else "",
        "lazy" if lazy else "eager",
        mark_safe(' fetchpriority="high"') if not lazy else "",
    )


def _missing(image, alt) -> SafeString:
    text = getattr(image, "alt", "") if alt is None else alt
    return format_html('<span class="picture-missing">{}</span>', text) if text else mark_safe("")


SHARE_WIDTH = 1280


def share_url(image) -> str:
    """The rendition a share card (Open Graph, Twitter) points to: large, in a
    format every crawler reads (JPEG or PNG, not WebP); "" if it cannot be shown."""
    return _fallback_url(image, SHARE_WIDTH)


def thumbnail_url(image) -> str:
    """A small rendition's URL for lists (the admin, the browse dialog); "" if
    the picture cannot be shown."""
    return _fallback_url(image, THUMBNAIL_WIDTH)


def _fallback_url(image, width: int) -> str:
    try:
        if image is None or not image.file or not image.width or not ensure(image):
            return ""
        return rendition(image, min(width, image.width), fallback_format(image)).url
    except Exception:
        logger.warning("Cannot show image %s at %spx", getattr(image, "pk", None), width, exc_info=True)
        return ""


def img_html(image, *, absolute=str, alt: str | None = None) -> SafeString:
    """A plain ``<img>`` of one JPEG/PNG rendition (``SRC_WIDTH`` wide at
    most), for readers that take neither ``<picture>`` nor ``srcset``: feed
    readers. ``absolute`` makes its URL absolute. Empty if the picture cannot
    be shown. Costs no query."""
    url = _fallback_url(image, SRC_WIDTH)
    if not url:
        return mark_safe("")
    width = min(SRC_WIDTH, image.width)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}">',
        absolute(url),
        width,
        height_at(image, width),
        image.alt if alt is None else alt,
    )
