"""Numbers a family types into free-text answers are masked wherever masked data is shown."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from services.actions import service_request_add_note, service_request_rate
from services.factories import ServiceRequestFactory, StaffScopeFactory
from services.models import FieldGroup, PersonalDataAccessLog, RequestType
from services.privacy import FREE_TEXT_FIELDS

# Numbers typed where no number was asked for (examples, nobody's real numbers).
TYPED = {
    "member_unit": "某部队，联系 139 0000 1234",
    "skills": "电工证；身份证 11010519491231002X",
    "availability": "随时到岗，白天打 023-6888 1234",
    "wanted_work": "物业管理，工资卡 6222 0200 1234 5678 901",
}
CLEAR = ["139 0000 1234", "11010519491231002X", "6888 1234", "6222 0200 1234 5678 901"]
MASKED = ["139****1234", "110***********002X", "622************8901"]


@pytest.fixture
def employment_request(db):
    return ServiceRequestFactory(request_type=RequestType.EMPLOYMENT, **TYPED)


def _staff(*permissions):
    return StaffScopeFactory(
        request_type=RequestType.EMPLOYMENT, user__permissions=list(permissions)
    ).user


def test_every_free_text_answer_is_masked_on_the_detail_page(client, employment_request):
    assert set(TYPED) <= FREE_TEXT_FIELDS
    client.force_login(_staff())
    html = client.get(reverse("services_admin:detail", args=[employment_request.pk])).content
    html = html.decode()
    for clear in CLEAR:
        assert clear not in html
    for masked in MASKED:
        assert masked in html
    assert "某部队" in html and "随时到岗" in html, "the words stay readable"


def test_notes_and_comments_are_masked_too(client, employment_request):
    staff = _staff()
    service_request_add_note(
        service_request=employment_request, author=staff, text="家属另留电话 13712345678"
    )
    employment_request.status = "resolved"
    employment_request.save(update_fields=["status"])
    service_request_rate(service_request=employment_request, score=2, comment="回电 13612345678")
    client.force_login(staff)
    html = client.get(reverse("services_admin:detail", args=[employment_request.pk])).content
    html = html.decode()
    assert "13712345678" not in html and "137****5678" in html
    assert "13612345678" not in html and "136****5678" in html


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_masked_export_masks_free_text(client, employment_request, file_format):
    client.force_login(_staff())
    response = client.get(reverse(f"services_admin:export_{file_format}"))
    if file_format == "csv":
        text = response.content.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    text = "\n".join(cells)
    for clear in CLEAR:
        assert clear not in text
    assert "139****1234" in text
    assert not PersonalDataAccessLog.objects.exists()


def test_a_permitted_user_sees_the_answers_in_full_and_the_view_is_logged(
    client, employment_request
):
    staff = _staff("services.view_personal_data")
    client.force_login(staff)
    detail = reverse("services_admin:detail", args=[employment_request.pk])
    assert "139 0000 1234" not in client.get(detail).content.decode()
    html = client.get(detail, {"show": "personal"}).content.decode()
    assert "139 0000 1234" in html and "11010519491231002X" in html
    assert list(PersonalDataAccessLog.objects.values_list("user", "field_group")) == [
        (staff.pk, FieldGroup.PERSONAL)
    ]
