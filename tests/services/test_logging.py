"""Personal data never reaches the logs, whatever the request goes through."""

import logging

from django.urls import reverse

from services.factories import EXAMPLE_ID_NUMBER, EXAMPLE_PHONE, StaffScopeFactory, street
from services.models import RequestType, ServiceRequest

from .files import png_upload
from .test_views import APPLY, CHECK, confirm_data, form_data


def test_submit_track_and_staff_views_log_no_phone_or_id_number(
    client, db, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    staff = StaffScopeFactory(
        request_type=RequestType.CHILDCARE,
        district=street("ciqikou"),
        user__permissions=["services.view_personal_data"],
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, form_data(receipt_email="family@example.invalid"))
        client.post(CHECK, confirm_data(client, attachments=[png_upload()]))
    service_request = ServiceRequest.objects.get()
    client.post(reverse("services:track"), {"reference": "SY2026-WRONG000", "phone": EXAMPLE_PHONE})
    client.post(
        reverse("services:track"),
        {"reference": service_request.reference, "phone": EXAMPLE_PHONE},
    )
    client.get(reverse("services:track_status"))

    client.force_login(staff)
    detail = reverse("services_admin:detail", args=[service_request.pk])
    client.get(detail, {"show": "personal"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "transition", "to_status": "accepted", "version": 1})
    client.get(reverse("services_admin:export_csv"))
    attachment = service_request.attachments.get()
    download = client.get(
        reverse("services_admin:attachment", args=[service_request.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")

    messages = [record.getMessage() for record in caplog.records]
    assert any(service_request.reference in message for message in messages), "logging works"
    assert any("SMS to 138****5678" in message for message in messages)
    for message in messages:
        assert EXAMPLE_PHONE not in message
        assert EXAMPLE_ID_NUMBER not in message
        assert "王丽" not in message and "张小军" not in message
