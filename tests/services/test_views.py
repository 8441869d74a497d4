"""The public journey through Django's test client: apply, check, submit, confirm, track."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from home.personal_data import id_number_check_char
from services.factories import EXAMPLE_ID_NUMBER, EXAMPLE_PHONE
from services.models import Attachment, ServiceRequest, Status

from .files import bomb_png_upload, disguised_png_upload, oversized_pdf_upload, png_upload

TODAY = timezone.localdate()


def form_data(**overrides):
    data = {
        "applicant_name": "王丽",
        "applicant_phone": "138 1234 5678",
        "relationship": "spouse",
        "id_number": EXAMPLE_ID_NUMBER,
        "receipt_email": "",
        "district": "ciqikou",
        "member_status": "active",
        "member_unit": "某部队",
        "child_name": "张小军",
        "child_birth_date": (TODAY - datetime.timedelta(days=8 * 365)).isoformat(),
        "child_grade": "primary_2",
        "care_station": "",
        "care_start": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "care_end": (TODAY + datetime.timedelta(days=30)).isoformat(),
    }
    return {**data, **overrides}


APPLY = reverse("services:apply", kwargs={"request_type": "childcare"})
CHECK = reverse("services:check", kwargs={"request_type": "childcare"})


def fill_in(client, **overrides):
    return client.post(APPLY, form_data(**overrides))


def confirm(client, **extra):
    token = client.session["services:draft:childcare"]["token"]
    data = {"submission_token": token, "sensitive_consent": "on", "guardian_consent": "on"}
    return client.post(CHECK, {**data, **extra})


def test_the_index_links_every_type_and_tracking(client, db):
    page = client.get(reverse("services:index")).content.decode()
    for slug in ("childcare", "enrolment", "employment"):
        assert reverse("services:apply", kwargs={"request_type": slug}) in page
    assert reverse("services:track") in page


def test_each_type_page_explains_eligibility_materials_and_limits(client, db):
    page = client.get(reverse("services:apply", kwargs={"request_type": "enrolment"}))
    text = page.content.decode()
    assert "谁可以申请" in text and "需要准备" in text
    assert "每个不超过 10 MB" in text and "15 日内办结" in text
    assert 'autocomplete="tel-national"' in text and 'autocomplete="name"' in text


def test_unknown_types_are_not_found(client, db):
    assert client.get("/services/nonsense/").status_code == 404


def test_apply_check_submit_confirm(client, db):
    response = fill_in(client)
    assert response.status_code == 302 and response.url == CHECK
    assert "138" not in response.url

    check = client.get(CHECK).content.decode()
    assert "王丽" in check and "磁器口街道" in check and "个人信息处理说明" in check
    assert "监护人" in check

    response = confirm(client, attachments=[png_upload()])
    assert response.status_code == 302
    assert response.url == reverse("services:done")
    service_request = ServiceRequest.objects.get()
    assert service_request.attachments.count() == 1

    done = client.get(response.url).content.decode()
    assert service_request.reference in done
    assert service_request.due_at.astimezone().strftime("%Y年%-m月%-d日") in done
    assert "打印本页" in done and "no-print" in done
    assert "138****5678" in done and EXAMPLE_PHONE not in done
    assert "110***********002X" in done


def test_submitting_twice_makes_one_request(client, db):
    fill_in(client)
    token = client.session["services:draft:childcare"]["token"]
    first = confirm(client)
    again = client.post(
        CHECK, {"submission_token": token, "sensitive_consent": "on", "guardian_consent": "on"}
    )
    assert first.url == again.url == reverse("services:done")
    assert ServiceRequest.objects.count() == 1


def test_what_was_typed_survives_errors_and_reloads(client, db):
    response = fill_in(client, applicant_phone="12345", child_name="张小军")
    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入正确的 11 位手机号码" in page
    assert 'href="#id_applicant_phone"' in page, "the error summary links to the field"
    assert (
        'aria-invalid="true"' in page
        and 'aria-describedby="id_applicant_phone_helptext id_applicant_phone_error"' in page
    )
    reloaded = client.get(APPLY).content.decode()
    assert 'value="张小军"' in reloaded and 'value="12345"' in reloaded


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_name", "<script>alert('x')</script>", "网页代码"),
        ("member_unit", "<img src=x onerror=alert(1)>", "网页代码"),
        ("id_number", "11010519491231002" + "1", "校验码"),
        ("applicant_phone", "1381234567", "11 位手机号码"),
        ("care_end", (TODAY + datetime.timedelta(days=1)).isoformat(), "不能早于开始日期"),
    ],
)
def test_bad_answers_get_clear_messages_and_store_nothing(client, db, field, value, message):
    response = fill_in(client, **{field: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<script>alert" not in page, "what was typed is shown escaped"
    assert client.get(CHECK).status_code == 302, "no check page for an invalid draft"
    assert not ServiceRequest.objects.exists()


def test_a_valid_id_number_of_another_region_is_accepted(client, db):
    first17 = "50010619800101123"
    fill_in(client, id_number=first17 + id_number_check_char(first17))
    assert client.get(CHECK).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (disguised_png_upload, "不是有效的图片"),
        (oversized_pdf_upload, "超过 10 MB"),
        (bomb_png_upload, "图片尺寸过大"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(client, db, upload, message):
    fill_in(client)
    response = confirm(client, attachments=[png_upload(), upload()])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ServiceRequest.objects.exists() and not Attachment.objects.exists()
    assert "services:draft:childcare" in client.session, "the answers are still there"


def test_consent_is_asked_for_separately(client, db):
    fill_in(client)
    token = client.session["services:draft:childcare"]["token"]
    response = client.post(CHECK, {"submission_token": token})
    page = response.content.decode()
    assert "请阅读个人信息处理说明" in page and "须由父母或其他监护人勾选同意" in page
    assert not ServiceRequest.objects.exists()


def test_the_confirmation_belongs_to_the_session_that_submitted(client, db, django_user_model):
    fill_in(client)
    confirm(client)
    client.logout()
    client.cookies.clear()
    assert client.get(reverse("services:done")).status_code == 302


def test_track_withdraw(client, service_request):
    client.post(
        reverse("services:track"), {"reference": service_request.reference, "phone": EXAMPLE_PHONE}
    )
    response = client.post(
        reverse("services:track_withdraw"), {"version": service_request.version, "confirm": "on"}
    )
    assert response.url == reverse("services:track_status")
    service_request.refresh_from_db()
    assert service_request.status == Status.WITHDRAWN
    page = client.get(response.url).content.decode()
    assert "申请已撤回" in page


def test_track_with_a_stale_version_tells_the_applicant(client, service_request, scoped_staff):
    from services.actions import service_request_transition

    client.post(
        reverse("services:track"), {"reference": service_request.reference, "phone": EXAMPLE_PHONE}
    )
    service_request_transition(
        service_request=service_request,
        to_status="accepted",
        actor=scoped_staff,
        expected_version=1,
    )
    response = client.post(
        reverse("services:track_withdraw"), {"version": 1, "confirm": "on"}, follow=True
    )
    assert "申请状态刚刚有了更新" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.status == Status.ACCEPTED


@pytest.mark.parametrize("request_type", ["childcare", "enrolment", "employment"])
def test_every_question_is_in_a_fieldset(request_type):
    from services.forms import ApplicationForm

    form = ApplicationForm(request_type=request_type)
    grouped = [field.name for _legend, fields in form.fieldsets() for field in fields]
    assert sorted(grouped) == sorted(form.fields)


def test_the_applicant_adds_the_documents_staff_asked_for(client, service_request, scoped_staff):
    from services.actions import service_request_transition

    service_request_transition(
        service_request=service_request,
        to_status="needs_info",
        actor=scoped_staff,
        expected_version=1,
        note="请补充户口簿子女页",
    )
    client.post(
        reverse("services:track"), {"reference": service_request.reference, "phone": EXAMPLE_PHONE}
    )
    page = client.get(reverse("services:track_status")).content.decode()
    assert "请补充户口簿子女页" in page and "补充材料" in page

    refused = client.post(
        reverse("services:track_documents"), {"version": 2, "attachments": [disguised_png_upload()]}
    )
    assert "不是有效的图片" in refused.content.decode()
    assert not Attachment.objects.exists()

    response = client.post(
        reverse("services:track_documents"), {"version": 2, "attachments": [png_upload()]}
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED
    assert service_request.attachments.count() == 1
