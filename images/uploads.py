"""Checking an uploaded picture: decoded, not trusted; re-encoded, not kept.

``verify_upload`` is the one gate every picture passes (the editor's upload,
the admin's add form, anything later): it refuses with ``UploadRefused`` (a
Chinese message and an HTTP status) or returns a ``VerifiedUpload`` holding
freshly encoded bytes without the uploader's metadata. Nothing here trusts the
file name, its extension or the browser's content type. docs/images.md tells
editors and operators the same rules.
"""

import logging
import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from PIL import ExifTags, Image, ImageCms, ImageOps, ImageSequence

logger = logging.getLogger(__name__)

# Pillow format → the extension the stored file gets. Nothing else is decoded.
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
ACCEPTED = "JPEG、PNG、GIF 和 WebP"
# Markup a browser could run if it ever sniffed the file as a document. A real
# picture has none of these followed by a tag character (at most by chance,
# once in thousands of large files: the editor is then asked to re-export it).
MARKUP = re.compile(rb"<(script|html|svg|iframe|body)[\s/>]", re.IGNORECASE)
# Metadata a re-encoded picture keeps: what its pixels need, nothing about who,
# where or with what it was taken.
KEPT_INFO = ("transparency",)
DEFAULT_MAX_MEGAPIXELS = 50
SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": False},
    "GIF": {},
    "WEBP": {"quality": 90, "method": 4},
}
SRGB = ImageCms.createProfile("sRGB")


class UploadRefused(Exception):
    """A picture the newsroom does not take: ``message`` says why, in Chinese."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class VerifiedUpload:
    """A decoded and re-encoded picture, ready to store."""

    content: bytes
    format: str
    width: int
    height: int
    original_name: str

    @property
    def extension(self) -> str:
        return FORMATS[self.format]

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return int(settings.NEWSROOM_UPLOAD_MAX_MB * 1024 * 1024)


def max_pixels() -> int:
    return int(getattr(settings, "NEWSROOM_UPLOAD_MAX_MEGAPIXELS", DEFAULT_MAX_MEGAPIXELS) * 1_000_000)


def verify_upload(file) -> VerifiedUpload:
    """Decode ``file`` (an uploaded file or any binary file object) completely
    and re-encode it, or raise ``UploadRefused``."""
    original_name = plain_name(getattr(file, "name", "") or "")
    data = read_capped(file)
    if not data:
        raise UploadRefused("文件是空的，没有图片可以上传。")
    markup = MARKUP.search(data)
    if markup:
        tag = markup.group(1).decode().lower()
        raise UploadRefused(
            f"文件里夹带了网页或脚本代码（<{tag}>），出于安全原因不能上传。只接受 {ACCEPTED} 格式的图片。"
        )
    with decoded(data) as image:
        width, height = upright_size(image)
        return VerifiedUpload(
            content=reencoded(image),
            format=image.format,
            width=width,
            height=height,
            original_name=original_name,
        )


def read_capped(file) -> bytes:
    limit = max_bytes()
    size = getattr(file, "size", None)
    if size is None or size <= limit:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        size = len(data)
    if size > limit:
        raise UploadRefused(
            f"文件太大（{size / 1024 / 1024:.1f} MB），上限是 {settings.NEWSROOM_UPLOAD_MAX_MB:g} MB。"
            "请缩小或压缩后再上传。"
        )
    return data


class decoded:
    """``with decoded(data) as image``: the picture fully decoded (every frame,
    so a truncated file fails here) and within the pixel cap, or ``UploadRefused``."""

    def __init__(self, data: bytes):
        self.data = data
        self.image = None

    def __enter__(self):
        try:
            with warnings.catch_warnings():
                # Our own cap below is lower than Pillow's; its warning adds nothing.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(BytesIO(self.data), formats=list(FORMATS))
        except Image.DecompressionBombError:
            raise UploadRefused(self.too_many_pixels()) from None
        except Exception:  # Pillow raises many kinds of errors on hostile input
            raise UploadRefused(
                f"无法识别为图片。只接受 {ACCEPTED} 格式的图片（以文件内容为准，不看扩展名）。"
            ) from None
        self.image = image
        frames = getattr(image, "n_frames", 1)
        if image.width * image.height * frames > max_pixels():
            image.close()
            raise UploadRefused(self.too_many_pixels(image.width, image.height, frames))
        try:
            for frame in ImageSequence.Iterator(image):
                frame.load()
            image.seek(0)
        except Exception as error:
            image.close()
            logger.info("Refused a damaged upload: %s", error)
            raise UploadRefused("图片文件不完整或已损坏（可能是传输中断），请重新导出后再上传。") from None
        return image

    def __exit__(self, *exc):
        if self.image is not None:
            self.image.close()

    def too_many_pixels(self, width=None, height=None, frames=1) -> str:
        cap = f"{max_pixels() / 1_000_000:g}"
        size = f"（{width}×{height}{f'，{frames} 帧' if frames > 1 else ''}）" if width else ""
        return f"图片像素太多{size}，上限是 {cap} 百万像素。请缩小后再上传。"


def reencoded(image: Image.Image) -> bytes:
    """Fresh bytes in the same format: upright, sRGB, without EXIF (GPS, camera,
    serial numbers), XMP, IPTC or comments. An animated GIF or WebP keeps its
    frames when it needs no rotation; otherwise only its first frame is kept."""
    out = BytesIO()
    format_ = image.format
    options = dict(SAVE_OPTIONS[format_])
    if is_animated(image) and orientation(image) == 1:
        frames = [without_metadata(frame.copy()) for frame in ImageSequence.Iterator(image)]
        durations = [frame.info.get("duration", 100) for frame in ImageSequence.Iterator(image)]
        frames[0].save(
            out,
            format_,
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=image.info.get("loop", 0),
            **options,
        )
    else:
        upright = in_srgb(ImageOps.exif_transpose(image))
        without_metadata(upright).save(out, format_, **options)
    return out.getvalue()


def upright_size(image: Image.Image) -> tuple[int, int]:
    """The size once EXIF orientation is applied (5–8 swap width and height)."""
    if orientation(image) in (5, 6, 7, 8) and not is_animated(image):
        return image.height, image.width
    return image.width, image.height


def orientation(image: Image.Image) -> int:
    return image.getexif().get(ExifTags.Base.Orientation, 1) or 1


def is_animated(image: Image.Image) -> bool:
    return getattr(image, "n_frames", 1) > 1


def in_srgb(image: Image.Image) -> Image.Image:
    """Pixels converted from their embedded colour profile (an iPhone's Display
    P3, a camera's Adobe RGB, a print CMYK) to sRGB, so that dropping the
    profile does not shift colours. Without a usable profile: unchanged."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, profile, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        logger.info("Kept the pixels of an upload whose colour profile could not be read.")
        return image


def without_metadata(image: Image.Image) -> Image.Image:
    image.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    return image


def plain_name(name: str) -> str:
    """The uploader's file name as text for search: no folders, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:255]
