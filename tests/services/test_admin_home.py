"""The admin home's panel: what awaits the member of staff, within what they may see."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from services.actions import service_request_transition
from services.factories import ServiceRequestFactory, StaffFactory, street
from services.models import RequestType, ServiceRequest, Status

ADMIN_HOME = reverse("wagtailadmin_home")


def _panel(client, user) -> str:
    client.force_login(user)
    html = client.get(ADMIN_HOME).content.decode()
    if 'id="service-requests' not in html:
        return ""
    return html.split('id="service-requests', 1)[1].split("</table>", 1)[0]


def _requests(count: int, **fields):
    return [ServiceRequestFactory(**fields) for _ in range(count)]


def _row(panel: str, label: str) -> list[str]:
    row = panel.split(f">{label}</a></th>", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:]]
    return [cell.rsplit(">", 2)[-2].split("<")[0] if "<a" in cell else cell for cell in cells]


def test_staff_see_new_overdue_and_waiting_requests_in_their_scope(client, scoped_staff):
    new, waiting, late = _requests(
        3, request_type=RequestType.CHILDCARE, district=street("ciqikou")
    )
    service_request_transition(
        service_request=waiting,
        to_status=Status.NEEDS_INFO,
        actor=scoped_staff,
        expected_version=waiting.version,
        note="请补充军人证。",
    )
    ServiceRequest.objects.filter(pk=late.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )
    _requests(4, request_type=RequestType.ENROLMENT, district=street("xiaolongkan"))

    panel = _panel(client, scoped_staff)
    assert "新提交 2 件" in panel and "超期 1 件" in panel and "待补充材料 1 件" in panel
    # new, overdue, awaiting documents, open
    assert _row(panel, "军娃托管") == ["2", "1", "1", "3"]
    # Requests outside the scope are not counted.
    assert _row(panel, "军人子女入学优待") == ["0", "0", "0", "0"]
    assert f'href="{reverse("services_admin:queue")}?status=submitted"' in panel


def test_supervisors_see_every_request(client, supervisor):
    _requests(2, request_type=RequestType.CHILDCARE, district=street("ciqikou"))
    _requests(3, request_type=RequestType.ENROLMENT, district=street("xiaolongkan"))
    panel = _panel(client, supervisor)
    assert "新提交 5 件" in panel
    assert _row(panel, "军人子女入学优待") == ["3", "0", "0", "3"]


def test_editors_without_a_scope_see_no_panel(client, db):
    _requests(1, request_type=RequestType.CHILDCARE, district=street("ciqikou"))
    editor = StaffFactory(username="editor")
    client.force_login(editor)
    response = client.get(ADMIN_HOME)
    assert response.status_code == 200
    assert "军属服务申请：待办" not in response.content.decode()


def test_the_panel_costs_the_same_queries_for_few_or_many_requests(client, supervisor):
    client.force_login(supervisor)

    def queries():
        client.get(ADMIN_HOME)
        with CaptureQueriesContext(connection) as captured:
            client.get(ADMIN_HOME)
        return len(captured)

    _requests(2, request_type=RequestType.CHILDCARE, district=street("ciqikou"))
    few = queries()
    _requests(10, request_type=RequestType.EMPLOYMENT, district=street("shapingba"))
    assert queries() == few


def test_the_assignee_choice_says_what_to_do(client, scoped_staff, service_request):
    client.force_login(scoped_staff)
    html = client.get(reverse("services_admin:detail", args=[service_request.pk])).content.decode()
    assert "请选择经办人" in html and "---------" not in html
