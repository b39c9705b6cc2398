"""Writes to the picture library with their side effects (files, renditions)."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from . import renditions
from .models import Image
from .permissions import can_upload
from .uploads import VerifiedUpload, verify_upload

NOT_ALLOWED = "只有可以编辑文章的采编人员才能上传图片。"


@transaction.atomic
def image_upload(
    *,
    file,
    by,
    alt: str = "",
    caption: str = "",
    credit=None,
    credit_role: str = Image.CreditRole.PHOTO,
) -> Image:
    """Add a picture to the library: ``by`` may upload, ``file`` (an uploaded
    file, or a ``VerifiedUpload`` a form already checked) is decoded and
    re-encoded (``UploadRefused`` otherwise) and stored under a generated name.
    Its renditions are made once the transaction commits."""
    if not can_upload(by):
        raise PermissionDenied(NOT_ALLOWED)
    verified = file if isinstance(file, VerifiedUpload) else verify_upload(file)
    image = Image(
        alt=alt,
        caption=caption,
        credit=credit,
        credit_role=credit_role,
        width=verified.width,
        height=verified.height,
        file_size=verified.size,
        original_name=verified.original_name,
        uploaded_by=by,
    )
    image.full_clean(exclude=["file"])  # before anything is written to the storage
    # Named by the verified format only; image_path() adds the random name.
    image.file.save(f"upload.{verified.extension}", ContentFile(verified.content), save=False)
    image.save()
    transaction.on_commit(lambda: renditions.ensure(image))
    return image
