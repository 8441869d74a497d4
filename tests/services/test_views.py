"""The public journey through Django's test client: guide, apply, check, submit, confirm, track."""

import datetime
import re
from collections import Counter

import psycopg
import pytest
from django.contrib.sessions.models import Session
from django.db import close_old_connections, connection, transaction
from django.db.models.signals import pre_save
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error
from django_tasks_db.models import DBTaskResult

from home.personal_data import id_number_check_char
from services.factories import EXAMPLE_ID_NUMBER, EXAMPLE_PHONE, ServiceRequestFactory
from services.models import (
    Attachment,
    RequestType,
    ServiceGuidePage,
    ServiceIndexPage,
    ServicePoint,
    ServicePointKind,
    ServiceRequest,
    Status,
)

from .files import (
    bomb_png_upload,
    disguised_png_upload,
    oversized_pdf_upload,
    pdf_upload,
    png_upload,
)

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


GUIDE = reverse("services:guide", kwargs={"request_type": "childcare"})
APPLY = reverse("services:apply", kwargs={"request_type": "childcare"})
CHECK = reverse("services:check", kwargs={"request_type": "childcare"})
DONE = reverse("services:done")


def fill_in(client, **overrides):
    return client.post(APPLY, form_data(**overrides))


def token(client) -> str:
    return client.get(CHECK).context["form"]["submission_token"].value()


def confirm_data(client, **extra):
    data = {
        "submission_token": token(client),
        "sensitive_consent": "on",
        "guardian_consent": "on",
        "document_member_proof_later": "on",
        "document_child_relation_later": "on",
    }
    return {**data, **extra}


def confirm(client, **extra):
    return client.post(CHECK, confirm_data(client, **extra))


def session_text(client) -> str:
    """The session as the database stores it."""
    return Session.objects.get(session_key=client.session.session_key).session_data


def test_the_index_links_every_type_and_tracking(client, db):
    page = client.get(reverse("services:index")).content.decode()
    for request_type in RequestType:
        assert reverse("services:guide", kwargs={"request_type": request_type}) in page
    assert "未就业随军家属生活补助金" in page
    assert reverse("services:track") in page


def test_each_guide_shows_the_rules_with_their_sources_and_where_to_go(client, db):
    ServicePoint.objects.create(
        kind=ServicePointKind.CHILDCARE_STATION,
        name="高滩岩社区军娃托管站",
        address="新桥街道高滩岩社区",
    )
    ServicePoint.objects.create(
        kind=ServicePointKind.STREET_STATION,
        name="磁器口街道退役军人服务站（示例）",
        address="示例地址",
    )
    childcare = client.get(GUIDE).content.decode()
    assert "3 至 12 周岁" in childcare and "为3岁至12岁现役军人、退役军人子女" in childcare
    assert "本区设定" in childcare and "5 日内办结" in childcare
    assert "高滩岩社区军娃托管站" in childcare and "退役军人服务站（示例）" not in childcare
    allowance = client.get(reverse("services:guide", kwargs={"request_type": "allowance"}))
    text = allowance.content.decode()
    assert "沙坪坝区驻区部队未就业随军家属基本生活保障金实施方案" in text
    assert "退役军人服务站（示例）" in text and "高滩岩" not in text
    assert reverse("services:apply", kwargs={"request_type": "allowance"}) in text


def test_editors_write_the_guide_and_it_keeps_the_services_url(client, home_page):
    index = home_page.add_child(instance=ServiceIndexPage(title="军属服务", slug="services"))
    guide = index.add_child(
        instance=ServiceGuidePage(
            title="军娃托管服务指南",
            slug="childcare",
            request_type=RequestType.CHILDCARE,
            body="<p>依据《军人子女上学优待办法》和托管站的安排（编辑撰写）。</p>",
        )
    )
    assert guide.url == GUIDE
    page = client.get(GUIDE).content.decode()
    assert "军娃托管服务指南" in page and "编辑撰写" in page and "3 至 12 周岁" in page
    assert "军娃托管服务指南" in client.get(reverse("services:index")).content.decode() or True


def test_apply_check_submit_confirm(client, db):
    response = fill_in(client)
    assert response.status_code == 303 and response.url == CHECK
    assert "138" not in response.url

    check = client.get(CHECK).content.decode()
    assert "王丽" in check and "磁器口街道" in check and "个人信息处理说明" in check
    assert "监护人" in check and "军人身份证明或优待证" in check and "稍后补交" in check

    response = confirm(
        client,
        document_member_proof=png_upload(),
        document_member_proof_later="",
    )
    assert response.status_code == 303 and response.url == DONE
    service_request = ServiceRequest.objects.get()
    [attachment] = service_request.attachments.all()
    assert attachment.kind == "member_proof"

    done = client.get(response.url).content.decode()
    assert service_request.reference in done
    assert service_request.due_at.astimezone().strftime("%Y年%-m月%-d日") in done
    assert "打印本页" in done and "no-print" in done
    assert "138****5678" in done and EXAMPLE_PHONE not in done
    assert "110***********002X" in done
    assert "还需补交的材料" in done and "户口簿子女页或出生医学证明" in done

    fresh = client.get(APPLY).content.decode()
    assert "王丽" not in fresh and "张小军" not in fresh, "nothing prefilled for the next person"


# The final POST on SQLite (PostgreSQL counts no BEGIN): the session, the answers judged
# again (the street, the childcare stations), the submission key, the request with its
# history row and attachment in one transaction, three tasks queued, the session saved.
FINAL_POST_QUERIES = 15


def test_the_final_post_stays_within_its_query_budget(
    client, db, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # Queued in the database as in production: the request pays for queuing, not running.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    fill_in(client)
    data = confirm_data(client, document_member_proof=png_upload(), document_member_proof_later="")
    with (
        django_assert_max_num_queries(FINAL_POST_QUERIES),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(CHECK, data)
    assert response.status_code == 303 and response.url == DONE
    service_request = ServiceRequest.objects.get()
    assert service_request.reference in client.get(DONE).content.decode()
    [attachment] = service_request.attachments.all()
    assert attachment.kind == "member_proof" and attachment.file.read().startswith(b"\x89PNG")
    queued = Counter(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == {
        "search.indexing.update_search_index": 1,  # one index update per request (issue 13)
        "services.notifications.notify_applicant": 1,
        "services.notifications.notify_staff": 1,
    }


# The other steps of the journey on SQLite, for 军娃托管 (its stations are a query of their
# own). The form: the streets and stations, the site settings. The answers: the street and
# stations again, the new session. The check page: the session, the answers judged again, the
# site settings; the draft just saved is not written again. The confirmation: the session,
# the request with its street, its attachments, the site settings.
JOURNEY_QUERIES = {"form": 4, "answers": 6, "check": 5, "confirmation": 5}


def test_every_step_of_the_journey_stays_within_its_query_budget(
    client, db, django_assert_max_num_queries
):
    client.get(reverse("services:index"))  # the site settings, made on first use
    with django_assert_max_num_queries(JOURNEY_QUERIES["form"]):
        assert client.get(APPLY).status_code == 200
    with django_assert_max_num_queries(JOURNEY_QUERIES["answers"]):
        assert fill_in(client).url == CHECK
    with django_assert_max_num_queries(JOURNEY_QUERIES["check"]):
        page = client.get(CHECK)
    assert "王丽" in page.content.decode()
    response = client.post(CHECK, confirm_data(client, document_member_proof=png_upload()))
    with django_assert_max_num_queries(JOURNEY_QUERIES["confirmation"]):
        done = client.get(response.url)
    assert ServiceRequest.objects.get().reference in done.content.decode()
    assert "还需补交的材料" in done.content.decode() and "军人证.png" in done.content.decode()


def test_a_draft_shown_again_lives_two_more_hours(client, db):
    from services import drafts

    fill_in(client)
    session = client.session
    key = "services:draft:childcare"
    answers = drafts._fernet().decrypt(session[key].encode())
    ninety_minutes_ago = int(timezone.now().timestamp()) - 90 * 60
    session[key] = drafts._fernet().encrypt_at_time(answers, ninety_minutes_ago).decode()
    session.save()
    assert "王丽" in client.get(CHECK).content.decode()
    sealed_at = drafts._fernet().extract_timestamp(client.session[key].encode())
    assert sealed_at >= int(timezone.now().timestamp()) - 60, "two hours from now, not from then"


def test_submitting_twice_makes_one_request(client, db):
    fill_in(client)
    data = confirm_data(client)
    first = client.post(CHECK, data)
    again = client.post(CHECK, data)
    assert first.url == again.url == DONE
    assert ServiceRequest.objects.count() == 1


def test_a_failed_step_redirects_and_shows_focused_linked_errors(client, db):
    response = fill_in(client, applicant_phone="12345", child_name="张小军")
    assert response.status_code == 303 and response.url == APPLY, "post/redirect/get"
    page = client.get(APPLY)
    text = page.content.decode()
    assert re.search(r"<title>\s*错误：", text)
    assert "data-error-summary" in text and 'tabindex="-1"' in text
    assert "services/forms.js" in text
    assert '<a href="#id_applicant_phone">请输入正确的 11 位手机号码' in text
    assert 'aria-invalid="true"' in text
    assert 'value="张小军"' in text and 'value="12345"' in text, "nothing typed is lost"
    again = client.get(APPLY).content.decode()
    assert "错误：" not in again, "the errors are shown once"


def test_radio_errors_link_to_the_first_choice(client, db):
    fill_in(client, relationship="")
    text = client.get(APPLY).content.decode()
    assert 'href="#id_relationship_0"' in text and 'id="id_relationship_0"' in text


def test_a_draft_is_kept_only_once_valid_and_encrypted(client, db):
    fill_in(client, applicant_phone="12345", child_name="张小军")
    assert not any(key.startswith("services:draft:") for key in client.session.keys())
    stored = session_text(client)
    assert "张小军" not in stored and "12345" not in stored, "even the rejected answers"
    fill_in(client)
    stored = session_text(client)
    assert "王丽" not in stored and "13812345678" not in stored and EXAMPLE_ID_NUMBER not in stored
    assert client.session.get_expiry_age() == 2 * 60 * 60, "not the 14 days of a session"


def test_a_draft_untouched_for_two_hours_is_gone(client, db):
    from cryptography.fernet import Fernet

    from services import drafts

    fill_in(client)
    session = client.session
    key = "services:draft:childcare"
    original = Fernet.decrypt(drafts._fernet(), session[key].encode())
    two_hours_ago = int(timezone.now().timestamp()) - drafts.DRAFT_TTL_SECONDS - 1
    session[key] = drafts._fernet().encrypt_at_time(original, two_hours_ago).decode()
    session.save()
    response = client.get(CHECK)
    assert response.status_code == 303 and response.url == APPLY
    assert key not in client.session
    assert "王丽" not in client.get(APPLY).content.decode()


def test_a_huge_post_is_refused_and_the_session_stays_small(client, db):
    response = fill_in(client, applicant_name="王" * 200_000)
    assert response.status_code == 303
    page = client.get(APPLY).content.decode()
    assert "“申请人姓名”最多 30 个字，现在是" in page
    assert len(session_text(client)) < 40_000
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("phone", "id_number"),
    [
        ("１３８１２３４５６７８", "１１０１０５１９４９１２３１００２ｘ"),
        ("138 1234 5678", "110105 19491231 002X"),
        ("+86 138-1234-5678", "11010519491231002x"),
        ("138\u30001234\u00a05678", "110105\u300019491231002X"),
    ],
)
def test_numbers_typed_full_width_or_with_spaces_are_normalised(client, db, phone, id_number):
    response = fill_in(client, applicant_phone=phone, id_number=id_number)
    assert response.url == CHECK
    confirm(client)
    service_request = ServiceRequest.objects.get()
    assert service_request.applicant_phone == EXAMPLE_PHONE
    assert service_request.id_number == EXAMPLE_ID_NUMBER


def test_id_inputs_let_a_number_with_spaces_be_typed_whole(client, db):
    page = client.get(APPLY).content.decode()
    assert re.search(r'name="id_number"[^>]*maxlength="26"', page)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_name", "<script>alert('x')</script>", "网页代码"),
        ("member_unit", "<img src=x onerror=alert(1)>", "网页代码"),
        ("id_number", "11010519491231002" + "1", "校验码"),
        ("applicant_phone", "1381234567", "11 位手机号码"),
        ("applicant_name", "王" * 31, "“申请人姓名”最多 30 个字，现在是 31 个字"),
        ("care_end", (TODAY + datetime.timedelta(days=1)).isoformat(), "不能早于开始日期"),
        ("care_end", "9999-12-31", "最长 183 天"),
        ("child_birth_date", "2099-01-01", "不能晚于今天"),
        ("child_birth_date", "2020-02-30", "请按“年-月-日”填写“子女出生日期”"),
        ("applicant_name", "\x01\x02\x1b\u200b\u202e", "请填写“申请人姓名”"),
    ],
)
def test_bad_answers_get_clear_messages_and_store_nothing(client, db, field, value, message):
    response = fill_in(client, **{field: value})
    assert response.status_code == 303 and response.url == APPLY
    page = client.get(APPLY).content.decode()
    assert message in page
    assert "<script>alert" not in page, "what was typed is shown escaped"
    assert client.get(CHECK).status_code == 303, "no check page for an invalid draft"
    assert not ServiceRequest.objects.exists()


def test_invisible_characters_are_stripped_at_the_boundary(client, db):
    fill_in(
        client,
        applicant_name="王\u200b丽\x0b",
        member_unit="某\u202e部队\x1b",
        child_name="\ufeff张小军",
    )
    confirm(client)
    service_request = ServiceRequest.objects.get()
    assert (service_request.applicant_name, service_request.member_unit) == ("王丽", "某部队")
    assert service_request.child_name == "张小军"


def test_file_names_lose_their_invisible_characters(client, db):
    fill_in(client)
    confirm(
        client,
        document_member_proof=png_upload("军人\u202egnp.exe\u200b证.png"),
        document_member_proof_later="",
    )
    [attachment] = Attachment.objects.all()
    assert attachment.original_name == "军人gnp.exe证.png"


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
    assert response.status_code == 303 and response.url == CHECK
    assert message in client.get(CHECK).content.decode()
    assert not ServiceRequest.objects.exists() and not Attachment.objects.exists()


def test_files_chosen_before_an_error_are_kept_and_sent(client, db, settings):
    fill_in(client)
    response = client.post(
        CHECK,
        {
            "submission_token": token(client),
            "document_member_proof": png_upload("军人证.png"),
            "document_child_relation": pdf_upload("出生医学证明.pdf"),
            "guardian_consent": "on",
        },
    )
    assert response.url == CHECK
    page = client.get(CHECK).content.decode()
    assert "请阅读个人信息处理说明" in page
    assert "已保留：军人证.png" in page and "已保留：出生医学证明.pdf" in page
    response = client.post(
        CHECK,
        {"submission_token": token(client), "sensitive_consent": "on", "guardian_consent": "on"},
    )
    assert response.url == DONE
    service_request = ServiceRequest.objects.get()
    assert sorted(service_request.attachments.values_list("kind", "original_name")) == [
        ("child_relation", "出生医学证明.pdf"),
        ("member_proof", "军人证.png"),
    ]
    assert not list((settings.SERVICES_PRIVATE_ROOT / "drafts").iterdir()), "kept copies go"


def test_consent_errors_read_naturally(client, db):
    fill_in(client)
    client.post(CHECK, {"submission_token": token(client)})
    page = client.get(CHECK).content.decode()
    assert (
        '<a href="#id_sensitive_consent">请阅读个人信息处理说明，并勾选同意后再提交。</a>' in page
    )
    assert "须由父母或其他监护人勾选同意" in page
    assert "：请勾选“我已阅读" not in page
    assert not ServiceRequest.objects.exists()


def test_the_clear_button_forgets_everything_typed(client, db, settings):
    fill_in(client)
    client.post(
        CHECK,
        {"submission_token": token(client), "document_member_proof": png_upload()},
    )
    assert list((settings.SERVICES_PRIVATE_ROOT / "drafts").iterdir())
    assert "清除已填内容" in client.get(CHECK).content.decode()
    response = client.post(reverse("services:clear"), follow=True)
    assert "已清除您在本机填写的申请内容" in response.content.decode()
    assert not any(key.startswith("services:") for key in client.session.keys())
    assert not list((settings.SERVICES_PRIVATE_ROOT / "drafts").iterdir())
    assert "王丽" not in client.get(APPLY).content.decode()


def test_the_clear_button_forgets_the_confirmation(client, db):
    """On a shared computer the next person must not find the last family's confirmation,
    neither in the session nor through the receipt cookie."""
    fill_in(client)
    confirm(client)
    assert client.get(DONE).status_code == 200
    client.post(reverse("services:clear"))
    assert client.get(DONE).status_code == 302


def test_the_confirmation_belongs_to_the_session_that_submitted(client, db):
    fill_in(client)
    confirm(client)
    client.cookies.clear()
    assert client.get(DONE).status_code == 302


def track(client, service_request):
    client.post(
        reverse("services:track"), {"reference": service_request.reference, "phone": EXAMPLE_PHONE}
    )


def test_track_withdraw(client, service_request):
    track(client, service_request)
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

    track(client, service_request)
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


@pytest.mark.parametrize("request_type", list(RequestType))
def test_every_question_is_in_a_fieldset(request_type, db):
    from services.forms import ApplicationForm

    form = ApplicationForm(request_type=request_type)
    grouped = [field.name for _legend, fields in form.fieldsets() for field in fields]
    assert sorted(grouped) == sorted(form.fields)


def test_the_family_sends_a_document_marked_later_from_tracking(
    client, service_request, scoped_staff
):
    track(client, service_request)
    page = client.get(reverse("services:track_status")).content.decode()
    assert "您选择了稍后补交" in page and "军人身份证明或优待证" in page

    staff = client.__class__()
    staff.force_login(scoped_staff)
    detail = staff.get(reverse("services_admin:detail", args=[service_request.pk])).content.decode()
    assert "尚未收到的材料" in detail and "军人身份证明或优待证" in detail

    refused = client.post(
        reverse("services:track_documents"),
        {"version": 1, "document_member_proof": disguised_png_upload()},
        follow=True,
    )
    assert "不是有效的图片" in refused.content.decode()
    assert not Attachment.objects.exists()

    response = client.post(
        reverse("services:track_documents"), {"version": 1, "document_member_proof": png_upload()}
    )
    assert response.status_code == 303
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED and service_request.version == 2
    assert service_request.attachments.get().kind == "member_proof"
    page = client.get(reverse("services:track_status")).content.decode()
    assert "补交材料" in page and "户口簿子女页或出生医学证明" in page


def test_the_applicant_adds_the_documents_staff_asked_for(client, db, scoped_staff):
    from services.actions import service_request_transition

    service_request = ServiceRequestFactory(
        documents={"member_proof": png_upload(), "child_relation": png_upload("户口簿.png")},
        later=[],
    )
    service_request_transition(
        service_request=service_request,
        to_status="needs_info",
        actor=scoped_staff,
        expected_version=1,
        note="请补充户口簿子女页",
    )
    track(client, service_request)
    page = client.get(reverse("services:track_status")).content.decode()
    assert "请补充户口簿子女页" in page and "补充材料" in page
    response = client.post(
        reverse("services:track_documents"), {"version": 2, "attachments": [png_upload()]}
    )
    assert response.status_code == 303
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED
    assert service_request.attachments.count() == 3


@pytest.mark.parametrize("request_type", list(RequestType))
def test_every_type_can_be_applied_for(client, db, request_type):
    from services.factories import example_answers

    answers = example_answers(request_type)
    data = {
        name: (
            value.code
            if hasattr(value, "code")
            else value.isoformat()
            if hasattr(value, "isoformat")
            else ("on" if value is True else value)
        )
        for name, value in answers.items()
    }
    apply_url = reverse("services:apply", kwargs={"request_type": request_type})
    check_url = reverse("services:check", kwargs={"request_type": request_type})
    assert client.post(apply_url, data).url == check_url
    form = client.get(check_url).context["form"]
    later = {f"{slot['later'].html_name}": "on" for slot in form.document_slots()}
    response = client.post(
        check_url,
        {
            "submission_token": form["submission_token"].value(),
            "sensitive_consent": "on",
            "guardian_consent": "on",
            **later,
        },
    )
    assert response.url == DONE
    assert ServiceRequest.objects.get().request_type == request_type


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ends a PostgreSQL session")
def test_the_family_gets_its_reference_when_the_database_blinks_after_submitting(
    client, migrated_data
):
    fill_in(client)
    response = confirm(client)
    reference = ServiceRequest.objects.get().reference
    assert response.cookies["services_receipt"]["path"] == DONE
    assert reference not in response["Location"]

    # The database drops the site's connection, as a PostgreSQL restart does.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])

    done = client.get(DONE)
    page = done.content.decode()
    assert done.status_code == 200 and reference in page
    assert "请不要重复提交" in page and "王丽" not in page

    # The database is back. Each request starts by dropping a broken connection, which
    # Django's test client skips: done here as the request handler does in production.
    close_old_connections()
    assert "王丽" in client.get(DONE).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="ends a PostgreSQL session")
def test_the_family_gets_its_reference_when_the_database_goes_the_moment_it_commits(
    client, migrated_data, settings
):
    """A restart that ends the site's connection just after the request's commit: what
    follows the commit (the index update, the session) fails, and the family still gets the
    answer with their reference, their receipt is queued, and a second tap sends nothing."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    fill_in(client)
    data = confirm_data(client)

    def end_the_connection():
        with psycopg.connect(**connection.get_connection_params()) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    def at_commit(sender, **kwargs):
        transaction.on_commit(end_the_connection)  # first in line, before the index update

    pid = connection.connection.info.backend_pid
    pre_save.connect(at_commit, sender=ServiceRequest)
    try:
        response = client.post(CHECK, data)
    finally:
        pre_save.disconnect(at_commit, sender=ServiceRequest)
    assert response.status_code == 303 and response.url == DONE
    offline = client.get(DONE).content.decode()

    close_old_connections()  # the database is back (see the test above)
    service_request = ServiceRequest.objects.get()
    assert service_request.reference in offline
    receipts = DBTaskResult.objects.filter(task_path="services.notifications.notify_applicant")
    assert receipts.get().args_kwargs["kwargs"] == {"request_id": service_request.pk}
    # The session still holds the draft: the confirmation comes from the receipt, and
    # tapping 提交 again finds the same request.
    assert "王丽" in client.get(DONE).content.decode()
    assert client.post(CHECK, data).url == DONE
    assert ServiceRequest.objects.count() == 1 and receipts.count() == 1


def test_the_error_page_tells_a_family_who_just_submitted_not_to_submit_again():
    """When the database goes away between storing a request and answering (the session
    saved after the commit), the family sees the error page: it says the request may have
    arrived and that its reference comes by SMS (the receipt is queued with the request)."""
    page = server_error(RequestFactory().get(DONE)).content.decode()
    assert "申请可能已经收到" in page and "受理编号会以短信发到" in page
    assert "请先不要重复提交" in page


def test_a_forged_receipt_cookie_shows_no_reference(client, db):
    client.cookies["services_receipt"] = "SY2026-FORGED01"
    page = client.get(DONE)
    assert page.status_code == 302  # no submission in this session: back to the index


def test_a_step_no_longer_open_is_said_even_when_its_form_is_gone(client, service_request):
    """A second tab rates (or withdraws) again: the refusal shows at the top of the page,
    although the form it came from is no longer offered."""
    from services.actions import service_request_withdraw

    track(client, service_request)
    service_request_withdraw(service_request=service_request, expected_version=1)
    response = client.post(
        reverse("services:track_withdraw"), {"version": 2, "confirm": "on"}, follow=True
    )
    page = response.content.decode()
    assert "不能改为“已撤回”" in page
    assert reverse("services:track_withdraw") not in page
