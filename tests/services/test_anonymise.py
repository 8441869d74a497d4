import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from services.actions import (
    service_request_add_note,
    service_request_anonymise,
    service_request_rate,
    service_request_transition,
)
from services.factories import ServiceRequestFactory
from services.models import (
    Attachment,
    PrivateFileDeletion,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
)

from .files import png_upload


def close(service_request, actor, *, days_ago):
    for to_status in ("accepted", "in_progress", "resolved"):
        service_request_transition(
            service_request=service_request,
            to_status=to_status,
            actor=actor,
            expected_version=service_request.version,
        )
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_closed_requests_past_retention_lose_their_personal_data(db, settings, scoped_staff):
    settings.SERVICES_RETENTION_DAYS = 365
    old = ServiceRequestFactory(files=[png_upload()])
    recent = ServiceRequestFactory()
    still_open = ServiceRequestFactory()
    ServiceRequest.objects.filter(pk=still_open.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=900)
    )
    close(old, scoped_staff, days_ago=400)
    close(recent, scoped_staff, days_ago=30)
    service_request_add_note(service_request=old, author=scoped_staff, text="王丽的丈夫来电")
    service_request_rate(service_request=old, score=4, comment="感谢王老师")

    out = io.StringIO()
    call_command("anonymise_closed_requests", stdout=out)

    assert "已匿名化 1 件申请" in out.getvalue()
    old.refresh_from_db()
    assert old.applicant_name == "（已匿名）"
    assert (old.applicant_phone, old.phone_digest, old.id_number, old.child_name) == (
        "",
        "",
        "",
        "",
    )
    assert old.child_birth_date is None and old.anonymised_at is not None
    assert (old.request_type, old.district.code, old.status) == (
        "childcare",
        "ciqikou",
        Status.RESOLVED,
    )
    assert old.events.count() == 5 and old.version == 5
    assert old.events.last().kind == "anonymised"
    assert old.rating.score == 4 and old.rating.comment == ""
    assert not old.internal_notes.exists()
    assert not Attachment.objects.filter(service_request=old).exists()
    assert not [p for p in settings.SERVICES_PRIVATE_ROOT.rglob("*") if p.is_file()]
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.applicant_name == still_open.applicant_name == "王丽"


def test_a_dry_run_changes_nothing(db, settings, scoped_staff):
    settings.SERVICES_RETENTION_DAYS = 1
    old = ServiceRequestFactory()
    close(old, scoped_staff, days_ago=10)
    out = io.StringIO()
    call_command("anonymise_closed_requests", "--dry-run", stdout=out)
    assert "将匿名化 1 件申请" in out.getvalue()
    old.refresh_from_db()
    assert old.anonymised_at is None


def test_the_retention_command_purges_expired_drafts_and_their_files(client, db, settings):
    import os

    from django.contrib.sessions.models import Session

    from services.drafts import DRAFT_TTL_SECONDS

    from .test_views import CHECK, fill_in, token

    fill_in(client)
    client.post(CHECK, {"submission_token": token(client), "document_member_proof": png_upload()})
    [kept] = (settings.SERVICES_PRIVATE_ROOT / "drafts").iterdir()
    call_command("anonymise_closed_requests", stdout=io.StringIO())
    assert kept.exists() and Session.objects.count() == 1, "a live draft stays"

    long_ago = timezone.now() - datetime.timedelta(seconds=DRAFT_TTL_SECONDS + 60)
    os.utime(kept, (long_ago.timestamp(), long_ago.timestamp()))
    Session.objects.update(expire_date=long_ago)
    out = io.StringIO()
    call_command("anonymise_closed_requests", stdout=out)
    assert not kept.exists() and not Session.objects.exists()
    assert "1 个过期的草稿材料文件" in out.getvalue()


def stored_files(settings) -> list:
    return [p for p in (settings.SERVICES_PRIVATE_ROOT / "attachments").rglob("*") if p.is_file()]


def test_a_failed_anonymisation_keeps_every_row_and_file(
    db, settings, scoped_staff, django_capture_on_commit_callbacks
):
    """The transaction fails after the files step (a change by someone else takes the next
    version first): nothing is anonymised and every file the rows point at is still there."""
    service_request = ServiceRequestFactory(files=[png_upload(), png_upload()])
    close(service_request, scoped_staff, days_ago=4000)
    service_request.refresh_from_db()
    ServiceRequestEvent.objects.create(
        service_request=service_request,
        to_status=service_request.status,
        version=service_request.version + 1,
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(IntegrityError):
        service_request_anonymise(service_request=service_request)

    service_request.refresh_from_db()
    assert service_request.anonymised_at is None and service_request.applicant_name == "王丽"
    assert len(stored_files(settings)) == 2
    assert all(
        attachment.file.storage.exists(attachment.file.name)
        for attachment in service_request.attachments.all()
    )
    assert service_request.attachments.count() == 2
    assert not PrivateFileDeletion.objects.exists()


def test_an_interrupted_anonymisation_finishes_on_the_next_run(
    db, settings, scoped_staff, django_capture_on_commit_callbacks
):
    """The process dies after the commit, before deleting the files: the next run deletes
    them, and anonymises nothing twice."""
    settings.SERVICES_RETENTION_DAYS = 365
    service_request = ServiceRequestFactory(files=[png_upload()])
    close(service_request, scoped_staff, days_ago=400)
    with django_capture_on_commit_callbacks(execute=False):
        assert service_request_anonymise(service_request=service_request)
    assert len(stored_files(settings)) == 1 and PrivateFileDeletion.objects.count() == 1

    for _run in range(2):
        out = io.StringIO()
        call_command("anonymise_closed_requests", stdout=out)
        assert "已匿名化 0 件申请" in out.getvalue()
    assert not stored_files(settings) and not PrivateFileDeletion.objects.exists()
    service_request.refresh_from_db()
    assert service_request.version == 5
    assert service_request.events.filter(kind="anonymised").count() == 1
    assert not service_request_anonymise(service_request=service_request)
