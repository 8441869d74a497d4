"""The staff side: who gets what (the permission matrix), masking, logging, exports, conflicts."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from services.actions import service_request_rate, service_request_transition
from services.factories import (
    EXAMPLE_ID_NUMBER,
    EXAMPLE_PHONE,
    ServiceRequestFactory,
    StaffFactory,
    StaffScopeFactory,
    street,
)
from services.models import FieldGroup, PersonalDataAccessLog, RequestType, Status

from .files import png_upload

LOGIN = reverse("wagtailadmin_login")
ADMIN_HOME = reverse("wagtailadmin_home")


def make_user(kind):
    """The rows of the matrix."""
    if kind == "anonymous":
        return None
    if kind == "no_scope":
        return StaffFactory(username="no_scope")
    if kind == "other_type":
        return StaffScopeFactory(
            request_type=RequestType.ENROLMENT, district=street("ciqikou")
        ).user
    if kind == "other_district":
        return StaffScopeFactory(
            request_type=RequestType.CHILDCARE, district=street("tianxingqiao")
        ).user
    if kind == "scoped":
        return StaffScopeFactory(
            request_type=RequestType.CHILDCARE, district=street("ciqikou")
        ).user
    if kind == "scoped_personal_data":
        return StaffScopeFactory(
            request_type=RequestType.CHILDCARE,
            district=street("ciqikou"),
            user__permissions=["services.view_personal_data"],
        ).user
    if kind == "supervisor":
        return StaffFactory(username="boss", permissions=["services.view_all_requests"])
    raise ValueError(kind)


def outcome(response, reference):
    """What a user got: sent to log in, refused, not shown the request, or shown it."""
    if response.status_code == 302 and response.url.startswith(LOGIN):
        return "login"
    if response.status_code == 302 and response.url == ADMIN_HOME:
        return "denied"
    if response.status_code == 404:
        return "hidden"
    if response.status_code == 200 and response.streaming:  # the attachment itself
        b"".join(response.streaming_content)  # reading to the end closes the file
        return "ok"
    if response.status_code == 200:
        return "ok" if reference in response.content.decode("utf-8-sig") else "hidden"
    return "ok" if response.status_code == 302 else str(response.status_code)


KINDS = [
    "anonymous",
    "no_scope",
    "other_type",
    "other_district",
    "scoped",
    "scoped_personal_data",
    "supervisor",
]
MATRIX = {
    #                     list      detail    transition attachment export    audit
    "anonymous": ("login", "login", "login", "login", "login", "login"),
    "no_scope": ("denied", "denied", "denied", "denied", "denied", "denied"),
    "other_type": ("hidden", "hidden", "hidden", "denied", "hidden", "denied"),
    "other_district": ("hidden", "hidden", "hidden", "denied", "hidden", "denied"),
    "scoped": ("ok", "ok", "ok", "denied", "ok", "denied"),
    "scoped_personal_data": ("ok", "ok", "ok", "ok", "ok", "denied"),
    "supervisor": ("ok", "ok", "ok", "ok", "ok", "ok"),
}
OPERATIONS = ["list", "detail", "transition", "attachment", "export", "audit"]


@pytest.mark.parametrize("kind", KINDS)
def test_permission_matrix(client, db, kind):
    service_request = ServiceRequestFactory(files=[png_upload()])
    attachment = service_request.attachments.get()
    user = make_user(kind)
    if user is not None:
        client.force_login(user)
    detail = reverse("services_admin:detail", args=[service_request.pk])
    responses = {
        "list": client.get(reverse("services_admin:queue")),
        "detail": client.get(detail),
        "transition": client.post(
            detail, {"action": "transition", "to_status": "accepted", "version": 1, "note": ""}
        ),
        "attachment": client.get(
            reverse("services_admin:attachment", args=[service_request.pk, attachment.pk])
        ),
        "export": client.get(reverse("services_admin:export_csv")),
        "audit": client.get(reverse("services_admin:audit_log")),
    }
    got = tuple(outcome(responses[op], service_request.reference) for op in OPERATIONS)
    assert dict(zip(OPERATIONS, got, strict=True)) == dict(
        zip(OPERATIONS, MATRIX[kind], strict=True)
    )
    service_request.refresh_from_db()
    accepted = MATRIX[kind][OPERATIONS.index("transition")] == "ok"
    assert service_request.status == (Status.ACCEPTED if accepted else Status.SUBMITTED)


def test_lists_mask_personal_data(client, service_request, scoped_staff):
    client.force_login(scoped_staff)
    page = client.get(reverse("services_admin:queue")).content.decode()
    assert "138****5678" in page and "王*" in page
    assert EXAMPLE_PHONE not in page and "王丽" not in page


def test_queues_filter_by_type_status_district_and_assignee(client, db, supervisor):
    childcare = ServiceRequestFactory()
    enrolment = ServiceRequestFactory(
        request_type=RequestType.ENROLMENT, district=street("yubeilu")
    )
    client.force_login(supervisor)
    queue = reverse("services_admin:queue")

    def listed(**query):
        page = client.get(queue, query).content.decode()
        return {r.reference for r in (childcare, enrolment) if r.reference in page}

    assert listed() == {childcare.reference, enrolment.reference}
    assert listed(request_type="enrolment") == {enrolment.reference}
    assert listed(district="ciqikou") == {childcare.reference}
    assert listed(status="accepted") == set()
    assert listed(assignee="none") == {childcare.reference, enrolment.reference}
    assert listed(overdue="on") == set()


def test_the_detail_page_is_masked_until_a_permitted_user_asks_and_each_view_is_logged(
    client, service_request, scoped_staff
):
    detail = reverse("services_admin:detail", args=[service_request.pk])
    client.force_login(scoped_staff)
    page = client.get(detail, {"show": "personal"}).content.decode()
    assert "110***********002X" in page and EXAMPLE_ID_NUMBER not in page
    assert not PersonalDataAccessLog.objects.exists()

    permitted = make_user("scoped_personal_data")
    client.force_login(permitted)
    masked = client.get(detail).content.decode()
    assert EXAMPLE_PHONE not in masked
    assert not PersonalDataAccessLog.objects.exists()
    for _view in range(2):
        revealed = client.get(detail, {"show": "personal"}).content.decode()
        assert EXAMPLE_PHONE in revealed and EXAMPLE_ID_NUMBER in revealed and "张小军" in revealed
    logs = PersonalDataAccessLog.objects.filter(user=permitted, service_request=service_request)
    assert [log.field_group for log in logs] == [FieldGroup.PERSONAL, FieldGroup.PERSONAL]


def test_exports_are_masked_unless_the_user_may_see_personal_data(client, service_request):
    masked_user = make_user("scoped")
    client.force_login(masked_user)
    response = client.get(reverse("services_admin:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "受理编号"
    [row] = rows[1:]
    assert row[0] == service_request.reference
    assert "138****5678" in row and "110***********002X" in row and "王*" in row
    assert EXAMPLE_PHONE not in response.content.decode("utf-8-sig")
    assert not PersonalDataAccessLog.objects.exists()

    supervisor = make_user("supervisor")
    client.force_login(supervisor)
    response = client.get(reverse("services_admin:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert service_request.reference in values and EXAMPLE_PHONE in values
    assert PersonalDataAccessLog.objects.get().field_group == FieldGroup.EXPORT


def test_exports_neutralise_spreadsheet_formulas(client, db, supervisor):
    ServiceRequestFactory(request_type=RequestType.EMPLOYMENT, skills='=HYPERLINK("x")')
    client.force_login(supervisor)
    content = client.get(reverse("services_admin:export_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def test_a_conflicting_change_is_refused_and_the_note_is_kept(
    client, service_request, scoped_staff, supervisor
):
    detail = reverse("services_admin:detail", args=[service_request.pk])
    service_request_transition(
        service_request=service_request, to_status="accepted", actor=supervisor, expected_version=1
    )
    client.force_login(scoped_staff)
    response = client.post(
        detail,
        {
            "action": "transition",
            "to_status": "rejected",
            "version": 1,
            "note": "材料不全，不予受理",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "该申请已被其他工作人员更新，请刷新后再操作" in page
    assert "材料不全，不予受理" in page, "what they typed is still in the form"
    assert 'name="version" value="2"' in page
    service_request.refresh_from_db()
    assert service_request.status == Status.ACCEPTED
    assert list(service_request.events.values_list("to_status", flat=True)) == [
        "submitted",
        "accepted",
    ]


def test_staff_transition_assign_and_note(client, service_request, scoped_staff):
    detail = reverse("services_admin:detail", args=[service_request.pk])
    client.force_login(scoped_staff)
    page = client.get(detail).content.decode()
    assert ">受理</button>" in page and ">不予受理</button>" in page

    response = client.post(detail, {"action": "transition", "to_status": "rejected", "version": 1})
    assert "不予受理的原因" in response.content.decode()

    client.post(detail, {"action": "transition", "to_status": "accepted", "version": 1})
    client.post(detail, {"action": "assign", "assignee": scoped_staff.pk, "version": 2})
    client.post(detail, {"action": "note", "text": "已电话联系家属"})
    service_request.refresh_from_db()
    assert (service_request.status, service_request.assignee, service_request.version) == (
        Status.ACCEPTED,
        scoped_staff,
        3,
    )
    page = client.get(detail).content.decode()
    assert "已电话联系家属" in page and "指派给 scoped" in page


def test_supervisors_see_the_audit_log(client, service_request, supervisor):
    client.force_login(supervisor)
    client.get(reverse("services_admin:detail", args=[service_request.pk]), {"show": "personal"})
    page = client.get(reverse("services_admin:audit_log")).content.decode()
    assert service_request.reference in page and "申请人及子女个人信息" in page
    assert supervisor.username in page


def test_the_dashboard_counts_by_type_status_and_month(client, db, supervisor, scoped_staff):
    resolved = ServiceRequestFactory()
    ServiceRequestFactory(request_type=RequestType.EMPLOYMENT)
    for to_status in ("accepted", "in_progress", "resolved"):
        service_request_transition(
            service_request=resolved,
            to_status=to_status,
            actor=scoped_staff,
            expected_version=resolved.version,
        )
    service_request_rate(service_request=resolved, score=1, comment="")
    client.force_login(supervisor)
    response = client.get(reverse("services_admin:dashboard"))
    assert response.status_code == 200
    rows = {row["request_type"]: row for row in response.context["rows"]}
    assert rows[RequestType.CHILDCARE]["total"] == 1
    assert rows[RequestType.CHILDCARE]["average_days"] == 0.0
    assert rows[RequestType.EMPLOYMENT]["statuses"][0] == 1
    assert response.context["follow_up"] == 1
    assert len(response.context["months"]) == 1


def test_staff_enter_a_request_for_a_family_within_their_scope(client, db, scoped_staff):
    client.force_login(scoped_staff)
    assert client.get(reverse("services_admin:enter", args=["enrolment"])).status_code == 302
    url = reverse("services_admin:enter", args=["employment"])
    StaffScopeFactory(
        user=scoped_staff, request_type=RequestType.EMPLOYMENT, district=street("ciqikou")
    )
    page = client.get(url).content.decode()
    assert "磁器口街道" in page and "天星桥街道" not in page
    token = client.get(url).context["entry"]["submission_token"].value()
    data = {
        "applicant_name": "李大爷",
        "applicant_phone": "13912345678",
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
        "document_member_proof_later": "on",
        "submission_token": token,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    again = client.post(url, data)
    assert again.url == response.url, "a double click makes one request"
    from services.models import ServiceRequest

    service_request = ServiceRequest.objects.get()
    assert service_request.entered_by == scoped_staff
    assert service_request.events.get().note == "工作人员代为录入"
