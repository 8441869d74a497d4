import logging

import pytest
from django.core import mail

from services.actions import service_request_transition
from services.factories import EXAMPLE_ID_NUMBER, EXAMPLE_PHONE, ServiceRequestFactory
from services.models import Status
from services.notifications import notify_applicant


class FailingEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_the_applicant_gets_a_receipt_with_only_the_reference(
    db, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO, logger="services")
    with django_capture_on_commit_callbacks(execute=True):
        service_request = ServiceRequestFactory(receipt_email="family@example.invalid")
    [receipt] = [m for m in mail.outbox if m.to == ["family@example.invalid"]]
    assert service_request.reference in receipt.subject
    assert service_request.reference in receipt.body
    assert service_request.due_at.strftime("%Y") in receipt.body
    for personal in ("王丽", "张小军", EXAMPLE_PHONE, EXAMPLE_ID_NUMBER, "某部队"):
        assert personal not in receipt.body + receipt.subject
    sms = [r.getMessage() for r in caplog.records if r.getMessage().startswith("SMS to")]
    assert sms == [f"SMS to 138****5678: {receipt.body}"]


def test_no_email_without_an_address(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ServiceRequestFactory(receipt_email="")
    assert not [m for m in mail.outbox if "family" in ",".join(m.to)]


def test_each_status_change_is_sent_to_the_applicant(
    service_request, scoped_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service_request_transition(
            service_request=service_request,
            to_status=Status.ACCEPTED,
            actor=scoped_staff,
            expected_version=1,
        )
    [update] = mail.outbox
    assert update.to == ["family@example.invalid"]
    assert "已受理" in update.body and service_request.reference in update.body


def test_staff_hear_of_a_new_request_in_their_queue(
    db, scoped_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service_request = ServiceRequestFactory()
    [notice] = [m for m in mail.outbox if m.to == [scoped_staff.email]]
    assert service_request.reference in notice.body
    assert f"/admin/services/{service_request.pk}/" in notice.body
    assert "王丽" not in notice.body


def test_a_failing_mail_server_never_blocks_a_transition(
    service_request, scoped_staff, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        service_request_transition(
            service_request=service_request,
            to_status=Status.ACCEPTED,
            actor=scoped_staff,
            expected_version=1,
        )
    service_request.refresh_from_db()
    assert service_request.status == Status.ACCEPTED


@pytest.mark.parametrize("sender", ["services.notifications.ConsoleSmsSender"])
def test_the_sms_sender_is_chosen_by_a_setting(settings, sender):
    from services.notifications import sms_sender

    settings.SERVICES_SMS_SENDER = sender
    assert type(sms_sender()).__name__ == "ConsoleSmsSender"


def test_a_notification_run_again_sends_nothing_twice(
    db, django_capture_on_commit_callbacks, caplog
):
    """A worker that died after the gateway took the message runs the task again: the family
    gets one SMS and one email about the same state of their request."""
    caplog.set_level(logging.INFO, logger="services")
    with django_capture_on_commit_callbacks(execute=True):
        service_request = ServiceRequestFactory(receipt_email="family@example.invalid")
    notify_applicant.call(request_id=service_request.pk)
    sms = [r for r in caplog.records if r.getMessage().startswith("SMS to")]
    assert len(sms) == 1
    assert len([m for m in mail.outbox if m.to == ["family@example.invalid"]]) == 1
