"""Proof documents: where they are kept, and which files are accepted.

Files live outside MEDIA_ROOT, with no URL of their own; only a permission-checked view
serves them. Every image is decoded with Pillow, so a file is judged by its content and
never by its name or the browser's content type.
"""

import os
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
# Decoding more pixels than this takes too much memory: a decompression bomb, or just too big.
MAX_IMAGE_PIXELS = 40_000_000
# Extension → (the format Pillow must find, or None for PDF) and the content type it is served as.
ACCEPTED_TYPES = {
    "jpg": ("JPEG", "image/jpeg"),
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "pdf": (None, "application/pdf"),
}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """SERVICES_PRIVATE_ROOT, read on every use so tests can point it at a temporary folder."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.SERVICES_PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private attachments have no public URL.")


def attachment_upload_to(instance, filename: str) -> str:
    """A random name: the original name is kept in the database only."""
    extension = os.path.splitext(filename)[1].lower()
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{extension}"


@dataclass(frozen=True)
class CheckedFile:
    file: UploadedFile
    original_name: str
    content_type: str
    size: int


def limits_description() -> str:
    return _("可上传 JPG、PNG 图片或 PDF 文件，每个不超过 %(mb)d MB，最多 %(count)d 个。") % {
        "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "count": MAX_ATTACHMENTS,
    }


def check_attachment(uploaded: UploadedFile) -> CheckedFile:
    """Accepts a real JPEG, PNG or PDF within the limits, or says in Chinese why not."""
    name = os.path.basename(uploaded.name or "")[-100:]
    params = {"name": name}
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in ACCEPTED_TYPES:
        raise ValidationError(
            _("“%(name)s”的文件类型不支持：只能上传 JPG、PNG 图片或 PDF 文件。"),
            code="file_type",
            params=params,
        )
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s”超过 %(mb)d MB，请压缩或分页后重新上传。"),
            code="file_size",
            params={**params, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
        )
    expected_format, content_type = ACCEPTED_TYPES[extension]
    uploaded.seek(0)
    if expected_format is None:
        if uploaded.read(5) != b"%PDF-":
            raise ValidationError(
                _("“%(name)s”不是有效的 PDF 文件，请确认文件未损坏、未被改名。"),
                code="file_content",
                params=params,
            )
    else:
        _check_image(uploaded, expected_format, params)
    uploaded.seek(0)
    return CheckedFile(
        file=uploaded, original_name=name, content_type=content_type, size=uploaded.size
    )


def _check_image(uploaded: UploadedFile, expected_format: str, params: dict) -> None:
    too_large = ValidationError(
        _("“%(name)s”的图片尺寸过大（超过 %(million)d 万像素），无法处理，请缩小后重新上传。"),
        code="image_too_large",
        params={**params, "million": MAX_IMAGE_PIXELS // 10_000},
    )
    not_an_image = ValidationError(
        _("“%(name)s”不是有效的图片，或内容与扩展名不符，请上传原始的 JPG 或 PNG 图片。"),
        code="file_content",
        params=params,
    )
    try:
        # Pillow warns, then refuses, past its own (higher) limit; both mean too large here.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                # Only the header has been read so far: refuse huge images before decoding.
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise too_large
                if image.format != expected_format:
                    raise not_an_image
                image.verify()
            uploaded.seek(0)
            with Image.open(uploaded) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
