import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from services.actions import check_attachments
from services.attachments import MAX_ATTACHMENT_BYTES, MAX_IMAGE_PIXELS, check_attachment
from services.storage import private_storage

from .files import (
    HOSTILE_PDFS,
    bomb_png_upload,
    disguised_png_upload,
    fake_pdf_upload,
    jpeg_upload,
    large_bilevel_png_upload,
    oversized_pdf_upload,
    pdf_upload,
    photo_with_gps_upload,
    png_upload,
)


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [(png_upload, "image/png"), (jpeg_upload, "image/jpeg"), (pdf_upload, "application/pdf")],
)
def test_real_images_and_pdfs_are_accepted(upload, content_type):
    checked = check_attachment(upload())
    assert checked.content_type == content_type
    assert checked.file.tell() == 0, "the file is rewound for saving"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (disguised_png_upload, "不是有效的图片"),
        (fake_pdf_upload, "不是有效的 PDF"),
        (oversized_pdf_upload, "超过 10 MB"),
        (bomb_png_upload, "图片尺寸过大"),
        (large_bilevel_png_upload, "图片尺寸过大"),
    ],
    ids=["disguised", "fake-pdf", "oversized", "decompression-bomb", "too-many-pixels"],
)
def test_bad_files_are_refused_with_a_clear_message(upload, message):
    with pytest.raises(ValidationError) as error:
        check_attachment(upload())
    assert message in error.value.messages[0]


def test_a_jpeg_named_png_is_refused_as_disguised():
    disguised = jpeg_upload("照片.png")
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        check_attachment(disguised)


def test_other_file_types_are_refused_by_name():
    upload = png_upload("说明.exe")
    with pytest.raises(ValidationError, match="文件类型不支持"):
        check_attachment(upload)


def test_one_size_and_pixel_limit_for_every_upload(settings):
    """Families' documents and Wagtail's image library read the same two settings."""
    assert MAX_ATTACHMENT_BYTES == settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert MAX_IMAGE_PIXELS == settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000


def test_private_files_have_no_url_and_live_outside_media_root(settings):
    assert str(settings.MEDIA_ROOT) not in private_storage.location
    with pytest.raises(ValueError):
        private_storage.url("attachments/x.png")


@pytest.mark.parametrize("kind", sorted(HOSTILE_PDFS))
def test_pdfs_that_run_something_carry_files_or_are_locked_are_refused(kind):
    with pytest.raises(ValidationError) as error:
        check_attachment(pdf_upload(content=HOSTILE_PDFS[kind]()))
    expected = {"encrypted": "已加密"}.get(kind, "含有脚本")
    assert expected in error.value.messages[0]


def test_photos_lose_their_exif_gps_and_comments_and_stay_upright():
    upload = photo_with_gps_upload()
    assert Image.open(upload).getexif().get_ifd(0x8825)
    upload.seek(0)
    checked = check_attachment(upload)
    with Image.open(checked.file) as stored:
        assert not stored.getexif() and "comment" not in stored.info
        assert stored.size == (48, 64), "turned upright before the orientation tag went"
    checked.file.seek(0)
    assert checked.size == len(checked.file.read()) > 0


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "身份证 11010519491231002X")
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG", pnginfo=info)
    checked = check_attachment(SimpleUploadedFile("扫描.png", buffer.getvalue()))
    assert b"11010519491231002X" not in checked.file.read()


def test_too_many_pixels_in_one_request_are_refused_before_decoding():
    # Headers only: each claims 20 million pixels, together more than the request allows.
    uploads = [bomb_png_upload(width=5000, height=4000) for _i in range(4)]
    with pytest.raises(ValidationError, match="合计超过"):
        check_attachments(uploads)


def test_stored_files_are_readable_by_the_site_only(db, settings):
    import stat

    from services.factories import ServiceRequestFactory

    service_request = ServiceRequestFactory(files=[png_upload()])
    path = service_request.attachments.get().file.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
