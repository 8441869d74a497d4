"""优惠未兑现反映: the public form, its limits, the staff queue, masking and the review flag."""

import datetime

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from merchants.actions import offer_report_decide, offer_report_submit
from merchants.factories import MerchantFactory, OfferFactory
from merchants.models import OfferReport
from services.factories import StaffFactory


def _report_data(**changes):
    data = {
        "offer": "凭优待证消费九折",
        "happened_on": timezone.localdate().isoformat(),
        "what_happened": "出示优待证后，店员说优惠已经取消了。",
        "contact_name": "",
        "contact_phone": "",
    }
    return {**data, **changes}


def test_a_family_reports_and_gets_a_reference_and_a_deadline(client, db):
    merchant = OfferFactory().merchant
    page = client.get(merchant.get_absolute_url()).content.decode()
    assert "反映优惠未兑现" in page
    url = reverse("merchants:report", args=[merchant.pk])
    response = client.post(
        url,
        _report_data(contact_name="王女士", contact_phone="１３８ ００１３ ８０００", consent="on"),
    )
    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    report = OfferReport.objects.get()
    assert report.reference.startswith("FY") and report.reference in html
    assert report.contact_phone == "13800138000"
    assert report.due_on == timezone.localdate() + datetime.timedelta(days=15)


def test_junk_is_refused_with_clear_errors_and_nothing_is_lost(client, db):
    merchant = OfferFactory().merchant
    url = reverse("merchants:report", args=[merchant.pk])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        url,
        _report_data(
            what_happened="看 http://spam.example",
            happened_on=tomorrow,
            contact_phone="12345",
            offer="<script>",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>错误：" in html
    for message in (
        "请不要在经过中填写网址",
        "发生日期不能晚于今天",
        "电话号码无效",
        "选择一个有效的选项",
    ):
        assert message in html
    assert "http://spam.example" in html  # what was typed stays in the form
    response = client.post(url, _report_data(contact_name="王女士"))
    assert "留下联系方式时，请勾选同意" in response.content.decode()
    assert not OfferReport.objects.exists()


def test_the_form_is_rate_limited_per_client(client, db):
    merchant = OfferFactory().merchant
    url = reverse("merchants:report", args=[merchant.pk])
    for _ in range(5):
        assert client.post(url, _report_data()).status_code == 303
    response = client.post(url, _report_data())
    assert response.status_code == 429 and "提交次数过多" in response.content.decode()
    assert OfferReport.objects.count() == 5
    assert client.post(url, _report_data(), REMOTE_ADDR="192.0.2.9").status_code == 303


def test_no_report_on_a_merchant_the_public_cannot_see(client, db):
    merchant = OfferFactory(valid_until=datetime.date(2020, 1, 1)).merchant
    assert client.get(reverse("merchants:report", args=[merchant.pk])).status_code == 404


def _report(merchant, **fields):
    return offer_report_submit(
        merchant=merchant,
        offer_title="九折",
        what_happened="店员拒绝给优惠。",
        happened_on=timezone.localdate(),
        **fields,
    )


def test_two_upheld_reports_in_90_days_flag_the_merchant(db):
    staff = StaffFactory()
    merchant = OfferFactory().merchant
    old = _report(merchant)
    OfferReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=91)
    )
    offer_report_decide(
        report=OfferReport.objects.get(pk=old.pk), outcome="upheld", note="", user=staff
    )
    offer_report_decide(report=_report(merchant), outcome="not_upheld", note="", user=staff)
    merchant.refresh_from_db()
    assert merchant.review_requested_at is None
    offer_report_decide(report=_report(merchant), outcome="upheld", note="", user=staff)
    assert merchant.review_requested_at is None
    merchant.refresh_from_db()
    assert merchant.review_requested_at is None
    offer_report_decide(report=_report(merchant), outcome="upheld", note="属实", user=staff)
    merchant.refresh_from_db()
    assert merchant.review_requested_at is not None
    # Publishing a draft of the merchant keeps the flag: it is not part of the revisions.
    merchant.save_revision().publish()
    merchant.refresh_from_db()
    assert merchant.review_requested_at is not None


def _staff(*permissions):
    user = StaffFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="merchants", codename__in=permissions)
    )
    return user


def test_the_staff_queue_masks_contacts_without_the_permission(client, db):
    merchant = OfferFactory(merchant=MerchantFactory(name="示例茶馆")).merchant
    report = _report(merchant, contact_name="王女士", contact_phone="13800138000", consent=True)
    client.force_login(_staff("change_offerreport"))
    html = client.get(reverse("merchants_admin:reports")).content.decode()
    assert report.reference in html and "示例茶馆" in html
    assert "138****8000" in html and "13800138000" not in html and "王女士" not in html
    html = client.get(reverse("merchants_admin:report", args=[report.pk])).content.decode()
    assert "13800138000" not in html and "王女士" not in html

    client.force_login(_staff("change_offerreport", "view_report_contact"))
    html = client.get(reverse("merchants_admin:report", args=[report.pk])).content.decode()
    assert "13800138000" in html and "王女士" in html


def test_staff_filter_the_queue_and_record_an_outcome(client, db):
    merchant = OfferFactory().merchant
    late = _report(merchant)
    OfferReport.objects.filter(pk=late.pk).update(due_on=datetime.date(2020, 1, 1))
    fresh = _report(merchant)
    client.force_login(_staff("change_offerreport"))
    html = client.get(reverse("merchants_admin:reports"), {"overdue": "on"}).content.decode()
    assert late.reference in html and fresh.reference not in html and "超期" in html
    response = client.post(
        reverse("merchants_admin:report", args=[fresh.pk]),
        {"outcome": "resolved", "note": "已与商户沟通，补给优惠。"},
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.get_outcome_display() == "已与商户协调解决"
    html = client.get(reverse("merchants_admin:reports"), {"outcome": "resolved"}).content.decode()
    assert fresh.reference in html and late.reference not in html
