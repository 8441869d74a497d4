"""Uploads for the tests: real images and PDFs, and the bad files a form must refuse."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def image_bytes(image_format: str = "PNG", size=(40, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(buffer, image_format)
    return buffer.getvalue()


def png_upload(name: str = "军人证.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")


def jpeg_upload(name: str = "户口簿.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def pdf_bytes(change=None) -> bytes:
    """A real one-page PDF, made by pypdf; `change(writer)` may add to it first."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "证明.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def _on_open(action_type: str, **entries: str):
    """An /OpenAction of the given type: what a viewer runs as the file opens."""

    def change(writer: PdfWriter) -> None:
        action = DictionaryObject({NameObject("/S"): NameObject(action_type)})
        action.update({NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()})
        writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return change


# The PDFs a form must refuse, by what they carry.
HOSTILE_PDFS = {
    "javascript": lambda: pdf_bytes(_on_open("/JavaScript", JS="app.alert('x');")),
    "launch-action": lambda: pdf_bytes(_on_open("/Launch", F="cmd.exe")),
    "embedded-file": lambda: pdf_bytes(lambda w: w.add_attachment("payload.exe", b"MZ")),
    "encrypted": lambda: pdf_bytes(lambda writer: writer.encrypt("secret")),
    "html-after-header": lambda: b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n",
    "html-appended": lambda: pdf_bytes() + b"\n<script>alert(1)</script>\n",
}


def photo_with_gps_upload(name: str = "现场照片.jpg") -> SimpleUploadedFile:
    """A JPEG as a phone makes it: EXIF with the camera's make and a GPS position."""
    image = Image.new("RGB", (64, 48), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: turn 90° to show it upright
    exif.get_ifd(0x8825).update({1: "N", 2: (29.0, 33.0, 36.0), 3: "E", 4: (106.0, 27.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"taken at home")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def disguised_png_upload() -> SimpleUploadedFile:
    """Text (here a script) named .png and announced as an image."""
    return SimpleUploadedFile(
        "照片.png", b"<script>alert(1)</script>\n" * 20, content_type="image/png"
    )


def fake_pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")


def oversized_pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "扫描件.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )


def bomb_png_upload(width: int = 100_000, height: int = 100_000) -> SimpleUploadedFile:
    """A tiny PNG whose header claims a huge image: decoding it would take gigabytes."""
    data = bytearray(image_bytes("PNG", size=(1, 1), mode="1"))
    # Signature (8) + IHDR length (4) + b"IHDR" (4), then width and height, then the CRC.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29]))
    data[29:33] = struct.pack(">I", crc)
    return SimpleUploadedFile("bomb.png", bytes(data), content_type="image/png")


def large_bilevel_png_upload() -> SimpleUploadedFile:
    """A real 8000×6000 one-bit PNG (48 million pixels), a few kilobytes on disk."""
    return SimpleUploadedFile(
        "scan.png", image_bytes("PNG", size=(8000, 6000), mode="1"), content_type="image/png"
    )
