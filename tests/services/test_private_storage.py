"""The private storage (STORAGES["private"]) on both of its backends: the local folder of the
embedded default, and a private bucket on a real S3-compatible server (moto's, which
`make test` starts and names in S3_TEST_URL), configured by the same function production
settings use (services.conf.private_storage_from_env).

Without S3_TEST_URL the bucket half fails in CI and is skipped, with the reason, locally.
"""

import datetime
import io
import json
import os
import subprocess
import sys
import uuid

import boto3
import pytest
from django.core.files.storage import Storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject

from services.actions import service_request_anonymise
from services.attachments import check_attachment
from services.conf import private_storage_from_env
from services.drafts import keep_file, kept_files_purge
from services.factories import ServiceRequestFactory, StaffFactory
from services.models import Attachment, ServiceRequest
from services.storage import private_storage

from .files import image_bytes, png_upload
from .test_anonymise import close

PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def s3_url() -> str:
    url = os.environ.get("S3_TEST_URL", "")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(
            "S3_TEST_URL is not set: `make test` starts an S3-compatible server and sets it."
        )
    pytest.skip(
        "No S3-compatible server: run `make test`, or start `moto_server -p 0` and export "
        "S3_TEST_URL."
    )


def bucket_environment(url: str, bucket: str) -> dict:
    """What a deployment sets (.env.example), pointing at the test server."""
    return {
        "S3_PRIVATE_BUCKET_NAME": bucket,
        "S3_ENDPOINT_URL": url,
        "S3_REGION_NAME": "us-east-1",
        "S3_ACCESS_KEY_ID": "test-key",
        "S3_SECRET_ACCESS_KEY": "test-secret",
    }


def s3_client(url: str):
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )


@pytest.fixture(params=["local", "bucket"])
def backend(request, settings, db):
    """The private storage under test, empty: the local folder, or a bucket of its own."""
    if request.param == "local":
        yield {"kind": "local"}
        return
    url = s3_url()
    bucket = f"private-{uuid.uuid4().hex[:12]}"
    client = s3_client(url)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_storage_from_env(
            bucket_environment(url, bucket), root=settings.SERVICES_PRIVATE_ROOT
        ),
    }
    yield {"kind": "bucket", "client": client, "bucket": bucket}
    for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        client.delete_object(Bucket=bucket, Key=item["Key"])
    client.delete_bucket(Bucket=bucket)


def stored_names(backend, settings) -> list[str]:
    if backend["kind"] == "local":
        root = settings.SERVICES_PRIVATE_ROOT
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    listing = backend["client"].list_objects_v2(Bucket=backend["bucket"])
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_documents_are_stored_privately_and_streamed_to_permitted_staff(backend, settings, client):
    service_request = ServiceRequestFactory(files=[png_upload()])
    attachment = service_request.attachments.get()
    assert stored_names(backend, settings) == [attachment.file.name]
    if backend["kind"] == "bucket":
        assert not (settings.SERVICES_PRIVATE_ROOT).exists(), "nothing on the local disk"
        acl = backend["client"].get_object_acl(Bucket=backend["bucket"], Key=attachment.file.name)
        grantees = [grant["Grantee"].get("URI") for grant in acl["Grants"]]
        assert not set(grantees) & set(PUBLIC_GRANTEES), "no object is public"
        assert "Signature" in private_storage.url(attachment.file.name), "only signed URLs"
    else:
        with pytest.raises(ValueError):
            private_storage.url(attachment.file.name)

    url = reverse("services_admin:attachment", args=[service_request.pk, attachment.pk])
    client.force_login(StaffFactory(permissions=["services.view_all_requests"]))
    response = client.get(url)
    assert response.status_code == 200 and response.streaming
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    with private_storage.open(attachment.file.name) as stored:
        assert body == stored.read() and body.startswith(b"\x89PNG")

    client.force_login(StaffFactory())  # no scope, no permission: the admin refuses
    refused = client.get(url)
    assert refused.status_code == 302 and not refused.streaming


def test_files_a_draft_keeps_are_read_back_and_purged_when_old(backend, settings):
    kept = keep_file(check_attachment(png_upload()), kind="member_proof")
    assert stored_names(backend, settings) == [kept.name]
    with kept.open() as opened:
        assert opened.read()[:4] == b"\x89PNG" and opened.name == "军人证.png"
    assert kept_files_purge(now=timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(hours=3)
    assert kept_files_purge(now=later) == 1
    assert stored_names(backend, settings) == []


def test_anonymisation_deletes_the_documents_from_the_storage(backend, settings, scoped_staff):
    settings.SERVICES_RETENTION_DAYS = 365
    service_request = ServiceRequestFactory(files=[png_upload(), png_upload()])
    close(service_request, scoped_staff, days_ago=400)
    assert len(stored_names(backend, settings)) == 2
    call_command("anonymise_closed_requests", stdout=io.StringIO())
    assert stored_names(backend, settings) == []
    assert ServiceRequest.objects.get(pk=service_request.pk).anonymised_at is not None
    assert not service_request_anonymise(service_request=service_request)


def test_names_are_never_overwritten(backend, settings):
    first = private_storage.save("attachments/same.png", io.BytesIO(image_bytes()))
    second = private_storage.save("attachments/same.png", io.BytesIO(image_bytes(size=(2, 2))))
    assert first != second
    assert sorted(stored_names(backend, settings)) == sorted([first, second])


def test_production_keeps_no_state_on_a_machines_own_disk(tmp_path):
    """With a bucket named, several web machines share everything: documents and draft
    files in the bucket, sessions (with drafts) in the database, and the rate-limit
    counters and search-engine outage flags in the shared cache."""
    script = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'private': settings.STORAGES['private'],"
        "'cache': settings.CACHES['default']['BACKEND'],"
        "'sessions': settings.SESSION_ENGINE}))"
    )
    environment = {
        **os.environ,
        **bucket_environment("https://s3.example.invalid", "families"),
        "DJANGO_SETTINGS_MODULE": "siteconf.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "shuangyong.example.cn",
        "DATABASE_URL": "postgres://user@db.example.invalid/shuangyong",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    assert found["private"]["BACKEND"] == "services.storage.PrivateS3Storage"
    assert found["private"]["OPTIONS"]["bucket_name"] == "families"
    assert found["private"]["OPTIONS"]["default_acl"] is None
    local_caches = ("locmem.LocMemCache", "filebased.FileBasedCache", "dummy.DummyCache")
    assert not found["cache"].endswith(local_caches), found["cache"]
    assert found["sessions"] not in (
        "django.contrib.sessions.backends.file",
        "django.contrib.sessions.backends.signed_cookies",  # would put the draft in a cookie
    )


def test_the_private_storage_follows_the_setting(settings, tmp_path):
    """Contract of the seam services/storage.py: like Django's default_storage, the storage is
    a LazyObject over STORAGES["private"], reset when the setting changes (and the model's
    field holds that object, not a storage made once at import)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_storage_from_env({}, root=tmp_path / "elsewhere"),
    }
    assert private_storage.location == str(tmp_path / "elsewhere")
    assert Attachment._meta.get_field("file").storage is private_storage
    assert isinstance(private_storage, LazyObject)
    assert isinstance(Attachment._meta.get_field("file").storage, Storage)
