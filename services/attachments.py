"""Proof documents: where they are kept, and which files are accepted.

Files live in the private storage (services.storage), with no URL of their own; only a
permission-checked view serves them. A file is judged by its content,
never by its name or the browser's content type: every image is decoded with Pillow and
stored re-encoded (without EXIF, GPS or comments), every PDF is parsed with pypdf and
refused if encrypted or if it carries anything that runs (JavaScript, launch actions,
embedded files, forms that submit, markup a browser would render).
"""

import io
import os
import re
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_ATTACHMENT_BYTES = settings.UPLOAD_MAX_BYTES
MAX_ATTACHMENTS = 5
# Decoding more pixels than this takes too much memory: a decompression bomb, or just too big.
MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS
# All images of one request together: five photos from a 12-megapixel phone camera fit.
MAX_PIXELS_PER_REQUEST = 64_000_000
JPEG_QUALITY = 90
# A PDF with more objects than this is not a scanned proof; walking it would cost too much.
MAX_PDF_OBJECTS = 50_000
# Keys and action types by which a PDF runs something or carries other files. Actions that
# only move within the document (an /OpenAction showing page one) are fine.
PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/EF"}
    | {"/RichMedia", "/XFA", "/Launch"}
)
PDF_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute"}
    | {"/Rendition", "/Sound", "/Movie", "/Hide", "/SetOCGState"}
)
PDF_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie"})
# A browser that sniffs the bytes could render these as a web page.
PDF_MARKUP = re.compile(rb"<\s*(?:script|html|body|iframe|svg|object|embed|!doctype)", re.I)
# Extension → (the format Pillow must find, or None for PDF) and the content type it is served as.
ACCEPTED_TYPES = {
    "jpg": ("JPEG", "image/jpeg"),
    "jpeg": ("JPEG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "pdf": (None, "application/pdf"),
}


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


def check_total_pixels(files: Sequence[UploadedFile]) -> None:
    """Refuses a request whose images would decode to too many pixels together, from their
    headers alone, before any of them is decoded."""
    total = 0
    for uploaded in files:
        uploaded.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(uploaded) as image:
                    width, height = image.size
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            continue  # not an image: check_attachment says what is wrong with it
        except Image.DecompressionBombError:
            continue  # one image far too large: check_attachment names it
        finally:
            uploaded.seek(0)
        total += width * height
    if total > MAX_PIXELS_PER_REQUEST:
        raise ValidationError(
            _("这些图片合计超过 %(million)d 万像素，无法一次处理，请缩小图片或分次上传。"),
            code="images_too_large",
            params={"million": MAX_PIXELS_PER_REQUEST // 10_000},
        )


def check_attachment(uploaded: UploadedFile) -> CheckedFile:
    """Accepts a real JPEG, PNG or PDF within the limits, or says in Chinese why not.

    Images come back re-encoded, without their metadata; PDFs as they were sent.
    """
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
        _check_pdf(uploaded.read(), params)
        uploaded.seek(0)
        file = uploaded
    else:
        file = ContentFile(_clean_image(uploaded, expected_format, params), name=name)
    return CheckedFile(file=file, original_name=name, content_type=content_type, size=file.size)


def _clean_image(uploaded: UploadedFile, expected_format: str, params: dict) -> bytes:
    """The image decoded and encoded again: what it shows, the right way up, and nothing
    else (no EXIF with the camera's GPS position, no comments, no trailing data)."""
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
                upright = ImageOps.exif_transpose(image)
                return _encode(upright, expected_format, icc_profile=image.info.get("icc_profile"))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None


def _encode(image: Image.Image, image_format: str, *, icc_profile: bytes | None) -> bytes:
    # The colour profile stays (it changes how the picture looks); nothing else is passed on.
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=JPEG_QUALITY, comment=b"")
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _check_pdf(data: bytes, params: dict) -> None:
    not_a_pdf = ValidationError(
        _("“%(name)s”不是有效的 PDF 文件，请确认文件未损坏、未被改名。"),
        code="file_content",
        params=params,
    )
    active = ValidationError(
        _(
            "“%(name)s”含有脚本、自动操作、表单提交或嵌入的文件，出于安全考虑不能接收。"
            "请用“打印为 PDF”或扫描的方式重新生成后上传。"
        ),
        code="pdf_active_content",
        params=params,
    )
    if not data.startswith(b"%PDF-"):
        raise not_a_pdf
    if PDF_MARKUP.search(data):
        raise active
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("“%(name)s”已加密或设有密码，工作人员无法打开，请上传未加密的 PDF 文件。"),
                code="pdf_encrypted",
                params=params,
            )
        has_pages = len(reader.pages) > 0
        runs_something = _pdf_has_active_content(reader)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of error on a broken file
        raise not_a_pdf from None
    if not has_pages:
        raise not_a_pdf
    if runs_something:
        raise active


def _pdf_has_active_content(reader: PdfReader) -> bool:
    """Walks every object reachable from the trailer (bounded) for scripts, actions that
    run or send something, and embedded files."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            reference = (value.idnum, value.generation)
            if reference in seen:
                continue
            seen.add(reference)
            value = value.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many PDF objects")
        if isinstance(value, DictionaryObject):
            if not PDF_ACTIVE_KEYS.isdisjoint(value.keys()):
                return True
            if value.get("/S") in PDF_ACTIVE_ACTIONS:
                return True
            if value.get("/Subtype") in PDF_ACTIVE_ANNOTATIONS:
                return True
            stack.extend(value.values())
        elif isinstance(value, ArrayObject):
            stack.extend(value)
    return False
