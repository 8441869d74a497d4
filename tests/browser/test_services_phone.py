"""Each of the four request types on a phone (390 px), in real Chromium: nothing scrolls
sideways (320 and 390 px, both reading modes), the error summary takes focus after a failed
submit, targets are at least 44×44 px, and a file chosen before an error is kept and sent."""

import re

import pytest
from playwright.sync_api import expect

from services.factories import example_answers
from services.models import RequestType, ServiceRequest
from tests.services.files import image_bytes

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALLEST = {"width": 320, "height": 640}


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SERVICES_PRIVATE_ROOT = tmp_path / "private"


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def assert_fits(page, label):
    for size in (SMALLEST, PHONE):
        page.set_viewport_size(size)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .slice(0, 3).map(e => e.outerHTML.slice(0, 120))"""
        )
        assert sideways_scroll(page) <= 0, f"{label} scrolls sideways at {size['width']} px: {wide}"


def assert_error_summary_focused(page):
    expect(page).to_have_title(re.compile(r"^错误："))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert summary.bounding_box()["y"] < PHONE["height"], "the summary is on the screen"


def fill_answers(page, request_type, **overrides):
    for name, value in {**example_answers(request_type), **overrides}.items():
        field = page.locator(f'[name="{name}"]')
        if value in ("", None):
            continue
        kind = field.first.get_attribute("type")
        tag = field.first.evaluate("element => element.tagName")
        if kind == "radio":
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "checkbox":
            field.check()
        elif tag == "SELECT":
            field.select_option(getattr(value, "code", value))
        else:
            field.fill(value.isoformat() if hasattr(value, "isoformat") else str(value))


def toggle_large_text(page):
    page.locator(".reading-mode button").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("request_type", list(RequestType))
def test_a_family_applies_on_a_phone(page, tmp_path, request_type):
    page.set_viewport_size(PHONE)
    page.goto(f"/services/{request_type}/")
    assert_fits(page, "the guide")
    page.get_by_role("link", name=f"在线申请{request_type.label}").click()

    fill_answers(page, request_type, applicant_phone="12345")
    page.get_by_role("button", name="下一步：核对信息").click()
    assert_error_summary_focused(page)
    expect(page.locator("[data-error-summary] a")).to_have_attribute("href", "#id_applicant_phone")
    assert_fits(page, "the form with errors")
    page.locator('[name="applicant_phone"]').fill("１３８ １２３４ ５６７８")
    page.get_by_role("button", name="下一步：核对信息").click()

    expect(page.get_by_role("heading", name="核对申请信息")).to_be_visible()
    page.set_viewport_size(PHONE)
    proof = tmp_path / "军人证.png"
    proof.write_bytes(image_bytes("PNG"))
    page.locator('[name="document_member_proof"]').set_input_files(str(proof))
    page.get_by_role("button", name="确认提交").click()  # consent not given yet
    assert_error_summary_focused(page)
    expect(page.get_by_text("已保留：军人证.png")).to_be_visible()
    assert_fits(page, "the check page")
    toggle_large_text(page)
    assert_fits(page, "the check page in 大字模式")
    for target in page.locator(
        ".services-form button, .services-form input[type=file], .consent label, .clear-form button"
    ).all():
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, target.evaluate("e => e.outerHTML")
    toggle_large_text(page)

    page.set_viewport_size(PHONE)
    for later in page.get_by_label("稍后补交：提交后在“查询办理进度”页面上传").all():
        later.check()
    page.get_by_label(re.compile("我已阅读上面的个人信息处理说明")).check()
    guardian = page.get_by_label(re.compile("我是申请所涉子女的父母或其他监护人"))
    if guardian.count():
        guardian.check()
    page.get_by_role("button", name="确认提交").click()

    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    assert_fits(page, "the confirmation")
    toggle_large_text(page)
    assert_fits(page, "the confirmation in 大字模式")
    service_request = ServiceRequest.objects.get()
    assert service_request.request_type == request_type
    assert service_request.applicant_phone == "13812345678"
    [attachment] = service_request.attachments.all()
    assert (attachment.kind, attachment.original_name) == ("member_proof", "军人证.png")
