import pytest
from django.core.exceptions import ValidationError

from services.attachments import MAX_ATTACHMENT_BYTES, PrivateStorage, check_attachment

from .files import (
    bomb_png_upload,
    disguised_png_upload,
    fake_pdf_upload,
    jpeg_upload,
    large_bilevel_png_upload,
    oversized_pdf_upload,
    pdf_upload,
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


def test_the_size_limit_is_ten_megabytes():
    assert MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024


def test_private_files_have_no_url_and_live_outside_media_root(settings):
    storage = PrivateStorage()
    assert str(settings.MEDIA_ROOT) not in storage.location
    with pytest.raises(ValueError):
        storage.url("attachments/x.png")
