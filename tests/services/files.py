"""Uploads for the tests: real images and PDFs, and the bad files a form must refuse."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(image_format: str = "PNG", size=(40, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(buffer, image_format)
    return buffer.getvalue()


def png_upload(name: str = "军人证.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")


def jpeg_upload(name: str = "户口簿.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def pdf_upload(name: str = "证明.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


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
