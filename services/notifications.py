"""Telling applicants and staff what happened, as background tasks.

Messages carry the reference and the status, never a name, number or address, so a
message read over someone's shoulder (or a log line) gives nothing else away. Tasks run
after the transaction commits: a failed mail or SMS never undoes or blocks a change.
"""

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import Task

from home.personal_data import mask_mobile_number
from worker.delivery import deliver_once
from worker.django_tasks_db import enqueue_with_transaction

from .models import ServiceRequest, Status
from .selectors import staff_to_notify

logger = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, *, phone: str, message: str) -> None: ...


class ConsoleSmsSender:
    """For development and tests: logs the message, with the number masked."""

    def send(self, *, phone: str, message: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile_number(phone), message)


def sms_sender() -> SmsSender:
    return import_string(settings.SERVICES_SMS_SENDER)()


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def applicant_message(service_request: ServiceRequest) -> str:
    params = {
        "reference": service_request.reference,
        "status": service_request.get_status_display(),
        "track_url": absolute_url(reverse("services:track")),
    }
    if service_request.status == Status.SUBMITTED:
        return _(
            "【双拥之家】您的军属服务申请已收到，受理编号 %(reference)s，"
            "我们将在 %(due)s 前办理完毕。凭受理编号和手机号查询进度：%(track_url)s"
        ) % {**params, "due": date_format(localtime(service_request.due_at), "Y-m-d")}
    return (
        _(
            "【双拥之家】您的申请 %(reference)s 状态已更新为“%(status)s”。"
            "凭受理编号和手机号查询详情：%(track_url)s"
        )
        % params
    )


@task()
def notify_applicant(*, request_id: int) -> None:
    """An SMS, and an email when the applicant gave an address, about the current status."""
    service_request = ServiceRequest.objects.get(pk=request_id)
    if service_request.anonymised_at:
        return
    message = applicant_message(service_request)
    # One message per version of the request, however often the task runs.
    key = f"{service_request.pk}:v{service_request.version}"
    deliver_once(
        key=f"applicant-sms:{key}",
        send=lambda: sms_sender().send(phone=service_request.applicant_phone, message=message),
    )
    if service_request.receipt_email:
        subject = _("【双拥之家】申请 %(reference)s：%(status)s") % {
            "reference": service_request.reference,
            "status": service_request.get_status_display(),
        }
        deliver_once(
            key=f"applicant-email:{key}",
            send=lambda: send_mail(subject, message, None, [service_request.receipt_email]),
        )


@task()
def notify_staff(*, request_id: int) -> None:
    """Email the assignee, or everyone in scope while unassigned, that a request awaits them."""
    service_request = ServiceRequest.objects.get(pk=request_id)
    recipients = [user.email for user in staff_to_notify(service_request=service_request)]
    if not recipients:
        return
    url = absolute_url(reverse("services_admin:detail", args=[service_request.pk]))
    params = {
        "reference": service_request.reference,
        "type": service_request.get_request_type_display(),
        "district": service_request.get_district_display(),
        "status": service_request.get_status_display(),
        "url": url,
    }
    subject = _("【双拥之家】待办申请 %(reference)s") % params
    body = (
        _("%(type)s申请 %(reference)s（%(district)s，%(status)s）进入您的待办队列：%(url)s")
        % params
    )
    deliver_once(
        key=f"staff-email:{service_request.pk}:v{service_request.version}",
        send=lambda: send_mail(subject, body, None, recipients),
    )


def notify_with_change(notification: Task, *, request_id: int) -> None:
    """Called inside the change's transaction: the message is queued with the change, so a
    change that was stored is told of even when the database goes away right after."""
    enqueue_with_transaction(notification, request_id=request_id)
