"""A family applies for 军娃托管 with a document, tracks it; staff accept and resolve it in the
Wagtail admin; the family sees the result and rates it. Real Chromium, real forms."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.factories import StaffScopeFactory, street
from services.models import Rating, RequestType, ServiceRequest
from tests.services.files import image_bytes

pytestmark = pytest.mark.browser

PHONE = "13812345678"
STAFF_PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SERVICES_PRIVATE_ROOT = tmp_path / "private"


def apply_for_childcare(page, proof, inspect=lambda label: None):
    """Applies through the public form; `inspect` is called on the check page."""
    today = timezone.localdate()
    page.goto("/services/")
    page.get_by_role("link", name="了解并申请军娃托管").click()
    expect(page.get_by_role("heading", name="申请条件和办理规则")).to_be_visible()
    page.get_by_role("link", name="在线申请军娃托管").click()
    page.get_by_label("申请人姓名").fill("王丽")
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_label("配偶").check()
    page.get_by_label("所在街道").select_option(label="磁器口街道")
    page.get_by_label("现役").check()
    page.get_by_label("军人所在部队或街道社区").fill("某部队")
    page.get_by_label("子女姓名").fill("张小军")
    page.get_by_label("子女出生日期").fill((today - datetime.timedelta(days=3000)).isoformat())
    page.get_by_label("托管开始日期").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("托管结束日期").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="下一步：核对信息").click()

    expect(page.get_by_role("heading", name="核对申请信息")).to_be_visible()
    expect(page.get_by_text("张小军")).to_be_visible()
    inspect("核对申请信息")
    page.get_by_label("军人身份证明或优待证").set_input_files(str(proof))
    page.locator('[name="document_child_relation_later"]').check()
    page.get_by_label(re.compile("我已阅读上面的个人信息处理说明")).check()
    page.get_by_label(re.compile("我是申请所涉子女的父母或其他监护人")).check()
    page.get_by_role("button", name="确认提交").click()

    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    return page.locator("#reference").inner_text().strip()


def track(page, reference):
    page.goto("/services/track/")
    page.get_by_label("受理编号").fill(reference)
    page.get_by_label("申请时填写的手机号码").fill(PHONE)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="办理进度")).to_be_visible()


def test_apply_track_resolve_and_rate(page, live_server, tmp_path):
    proof = tmp_path / "军人证.png"
    proof.write_bytes(image_bytes("PNG"))
    reference = apply_for_childcare(page, proof)
    service_request = ServiceRequest.objects.get(reference=reference)
    assert service_request.attachments.count() == 1

    track(page, reference)
    expect(page.locator("#current-status")).to_have_text("已提交")

    staff = StaffScopeFactory(
        request_type=RequestType.CHILDCARE, district=street("ciqikou"), user__username="xiaoli"
    ).user
    staff_context = page.context.browser.new_context(base_url=live_server.url, locale="zh-CN")
    staff_context.set_default_timeout(15_000)
    admin = staff_context.new_page()
    admin.goto("/admin/login/")
    admin.locator("#id_username").fill(staff.username)
    admin.locator("#id_password").fill(STAFF_PASSWORD)
    admin.get_by_role("button", name="登录").click()
    expect(admin).to_have_url(re.compile(r"/admin/$"))
    admin.goto("/admin/services/")
    admin.get_by_role("link", name=reference).click()
    for action, status in (("受理", "已受理"), ("开始办理", "办理中")):
        admin.get_by_role("button", name=action, exact=True).click()
        expect(admin.locator("#current-status")).to_have_text(status)
    admin.get_by_label("给申请人的说明").fill("已安排到磁器口军娃托管站。")
    admin.get_by_role("button", name="办结", exact=True).click()
    expect(admin.locator("#current-status")).to_have_text("已办结")
    staff_context.close()

    page.reload()
    expect(page.locator("#current-status")).to_have_text("已办结")
    expect(page.get_by_text("已安排到磁器口军娃托管站。")).to_be_visible()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价！")).to_be_visible()
    assert Rating.objects.get(service_request=service_request).score == 4
