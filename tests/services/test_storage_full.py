"""The private storage full: a family (or staff entering for one) is told to try again, gets
the page back with what they typed (HTTP 503, no traceback), and nothing of the submission is
stored: no request, no attachment row, no piece of a file. Once there is room, it goes through.

A real size-limited folder: the private root is a 256 KiB tmpfs, filled up with a file of
its own before each step. Mounting needs root (`make test` runs as root); elsewhere these
tests skip, saying so.
"""

import errno
import io
import logging
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from services.attachments import check_attachment
from services.conf import private_storage_from_env
from services.factories import EXAMPLE_PHONE, StaffScopeFactory, street
from services.models import Attachment, RequestType, ServiceRequest, ServiceRequestEvent
from services.storage import LocalPrivateStorage, PrivateStorageUnavailable

from .test_private_storage import bucket_environment, s3_client, s3_url
from .test_views import CHECK, DONE, confirm_data, fill_in, track

MESSAGE = "系统暂时无法保存上传的材料，您填写的内容没有丢失，请稍后再试。"
FILLER = "filler"
PAGE = 4096


def noisy_png(name: str = "军人证.png") -> SimpleUploadedFile:
    """A photo that does not compress: about 60 KB however it is re-encoded."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (140, 140), os.urandom(140 * 140 * 3)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class SmallFolder:
    def __init__(self, root: Path):
        self.root = root

    def free(self) -> int:
        stats = os.statvfs(self.root)
        return stats.f_bavail * stats.f_frsize

    def leave(self, room: int) -> None:
        """Fills the folder until `room` bytes are left (to a page)."""
        self.make_room()
        (self.root / FILLER).write_bytes(b"\0" * (self.free() - room))
        assert abs(self.free() - room) <= PAGE

    def make_room(self) -> None:
        (self.root / FILLER).unlink(missing_ok=True)

    def files(self) -> list[str]:
        return sorted(
            str(path.relative_to(self.root))
            for path in self.root.rglob("*")
            if path.is_file() and path.name != FILLER
        )


@pytest.fixture
def small_folder(settings):
    """The private folder on a 256 KiB tmpfs, unmounted afterwards."""
    root = Path(settings.SERVICES_PRIVATE_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited tmpfs needs root (make test runs as root)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(root)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {mounted.stderr.strip()}")
    try:
        yield SmallFolder(root)
    finally:
        subprocess.run(["umount", str(root)], check=True)


def stored_size(upload) -> int:
    size = check_attachment(upload).size
    upload.seek(0)
    return size


def nothing_stored() -> bool:
    return not (
        ServiceRequest.objects.exists()
        or Attachment.objects.exists()
        or ServiceRequestEvent.objects.exists()
    )


def assert_no_personal_data_logged(caplog) -> None:
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "ENOSPC" in logged, "one line says why"
    for personal in ("王丽", "张小军", "5678", "军人证", "李大爷"):
        assert personal not in logged


def test_the_storage_leaves_no_piece_of_a_file_it_had_no_room_for(small_folder):
    small_folder.leave(8 * PAGE)
    storage = LocalPrivateStorage(location=small_folder.root)
    with pytest.raises(PrivateStorageUnavailable) as refused:
        storage.save("attachments/big.bin", ContentFile(os.urandom(20 * PAGE)))
    assert refused.value.__cause__.errno == errno.ENOSPC
    assert small_folder.files() == [], "no fragment left"
    assert storage.save("attachments/small.bin", ContentFile(b"x" * PAGE))


def test_a_full_folder_when_the_file_is_chosen(client, db, small_folder, caplog):
    upload = noisy_png()
    small_folder.leave(stored_size(upload) // 2)
    fill_in(client)
    data = confirm_data(client, document_member_proof=upload, document_member_proof_later="")
    with caplog.at_level(logging.INFO):
        response = client.post(CHECK, data)

    assert response.status_code == 503
    page = response.content.decode()
    assert MESSAGE in page
    assert "王丽" in page and "张小军" in page, "the answers are there"
    assert 'name="sensitive_consent" checked' in page.replace('id="id_sensitive_consent" ', "")
    assert nothing_stored() and small_folder.files() == []
    assert_no_personal_data_logged(caplog)

    small_folder.make_room()
    response = client.post(CHECK, {**data, "document_member_proof": noisy_png()})
    assert response.status_code == 303 and response.url == DONE
    attachment = ServiceRequest.objects.get(applicant_name="王丽").attachments.get()
    with attachment.file.open() as stored:
        assert Image.open(stored).size == (140, 140)


def test_a_full_folder_when_the_request_is_sent(client, db, small_folder, caplog):
    """The file fits once (kept for the draft) but not twice (stored with the request): the
    request, its history and its attachment are rolled back together."""
    upload = noisy_png()
    size = stored_size(upload)
    small_folder.leave(size + size // 2)
    fill_in(client)
    data = confirm_data(client, document_member_proof=upload, document_member_proof_later="")
    with caplog.at_level(logging.INFO):
        response = client.post(CHECK, data)

    assert response.status_code == 503 and MESSAGE in response.content.decode()
    assert "已保留：军人证.png" in response.content.decode(), "the chosen file is kept"
    assert nothing_stored()
    assert [name.split("/")[0] for name in small_folder.files()] == ["drafts"]
    assert_no_personal_data_logged(caplog)

    small_folder.make_room()
    del data["document_member_proof"]  # not chosen again: the kept one is sent
    response = client.post(CHECK, data)
    assert response.status_code == 303 and response.url == DONE
    service_request = ServiceRequest.objects.get()
    assert service_request.attachments.get().original_name == "军人证.png"
    assert [name.split("/")[0] for name in small_folder.files()] == ["attachments"]


def test_a_full_folder_when_a_document_is_sent_from_tracking(client, service_request, small_folder):
    track(client, service_request)
    upload = noisy_png()
    small_folder.leave(stored_size(upload) // 2)
    url = reverse("services:track_documents")
    response = client.post(url, {"version": 1, "document_member_proof": upload})

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.version == 1 and service_request.events.count() == 1
    assert not Attachment.objects.exists() and small_folder.files() == []

    small_folder.make_room()
    response = client.post(url, {"version": 1, "document_member_proof": noisy_png()})
    assert response.status_code == 303
    assert service_request.attachments.get().kind == "member_proof"


def test_a_full_folder_when_staff_enter_a_request(client, db, scoped_staff, small_folder):
    StaffScopeFactory(
        user=scoped_staff, request_type=RequestType.EMPLOYMENT, district=street("ciqikou")
    )
    client.force_login(scoped_staff)
    url = reverse("services_admin:enter", args=["employment"])
    token = client.get(url).context["entry"]["submission_token"].value()
    data = {
        "applicant_name": "李大爷",
        "applicant_phone": EXAMPLE_PHONE,
        "relationship": "self",
        "district": "ciqikou",
        "member_status": "veteran",
        "member_unit": "磁器口街道金碧社区",
        "education": "junior",
        "wanted_work": "保安",
        "availability": "随时",
        "consent_channel": "paper",
        "consent_note": "上门走访，签字同意书已存档",
        "sensitive_consent": "on",
        "submission_token": token,
    }
    upload = noisy_png()
    small_folder.leave(stored_size(upload) // 2)
    response = client.post(url, {**data, "document_member_proof": upload})

    assert response.status_code == 503
    page = response.content.decode()
    assert MESSAGE in page and "李大爷" in page and "上门走访" in page
    assert nothing_stored() and small_folder.files() == []

    small_folder.make_room()
    response = client.post(url, {**data, "document_member_proof": noisy_png()})
    assert response.status_code == 302
    assert ServiceRequest.objects.get().attachments.count() == 1


def test_a_bucket_that_refuses_the_file(client, db, settings):
    """The private bucket's server answers, but the bucket takes nothing (here: it is gone)."""
    url = s3_url()
    bucket = f"private-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_storage_from_env(
            bucket_environment(url, bucket), root=settings.SERVICES_PRIVATE_ROOT
        ),
    }
    fill_in(client)
    data = confirm_data(client, document_member_proof=noisy_png(), document_member_proof_later="")
    response = client.post(CHECK, data)
    assert response.status_code == 503 and MESSAGE in response.content.decode()
    assert nothing_stored()
    assert bucket not in {listed["Name"] for listed in s3_client(url).list_buckets()["Buckets"]}
