"""Sorting the merchant directory by distance in real Chromium, with the browser's geolocation."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from merchants.factories import MerchantFactory, OfferFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_sorts_merchants_by_distance_from_where_they_are(
    chromium, live_server, migrated_data
):
    for name, latitude, longitude in [
        ("解放碑书店", "29.5575", "106.5771"),
        ("磁器口老茶馆", "29.5826", "106.4495"),
    ]:
        OfferFactory(
            merchant=MerchantFactory(
                name=name, latitude=Decimal(latitude), longitude=Decimal(longitude)
            )
        )
    # Standing in 磁器口.
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        geolocation={"latitude": 29.5831, "longitude": 106.4512},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto("/merchants/")
    names = page.locator(".article-list h2")
    expect(names.first).to_have_text("磁器口老茶馆")  # alphabetical by default: 磁 before 解

    page.get_by_role("button", name="按离我远近排序").click()
    expect(page.get_by_text("已按您的大致位置")).to_be_visible()
    assert "29.58" not in page.url and "sort=near" in page.url
    expect(names.nth(0)).to_have_text("磁器口老茶馆")
    expect(names.nth(1)).to_have_text("解放碑书店")
    expect(page.locator(".article-list > li p.meta").nth(1)).to_contain_text("约 12.5 公里")

    page.get_by_role("button", name="取消按距离排序").click()
    expect(page.get_by_role("button", name="按离我远近排序")).to_be_visible()
    context.close()


def test_family_filters_sorts_by_a_street_opens_a_merchant_and_reports_it(page, live_server):
    import re

    from home.models import Street
    from merchants.models import OfferReport
    from services.factories import StaffFactory

    xinqiao = Street.objects.get(code="xinqiao")
    for name, street, latitude, for_survivors in [
        ("磁器口老茶馆（示例）", None, "29.5826", True),
        ("新桥药房（示例）", xinqiao, "29.5295", True),
        ("只优待现役军人的店（示例）", xinqiao, "29.5290", False),
    ]:
        fields = {"street": street} if street else {}
        OfferFactory(
            merchant=MerchantFactory(
                name=name, latitude=Decimal(latitude), longitude=Decimal("106.4600"), **fields
            ),
            title="凭优待证九折",
            for_serving=not for_survivors,
            for_veterans=False,
            for_survivors=for_survivors,
        )

    page.goto("/merchants/")
    page.get_by_label("优待对象").select_option(label="三属（烈士等遗属）")
    page.get_by_label("由近到远排序，从").select_option(label="新桥街道")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("已按离新桥街道参考点的大致距离由近到远排序")).to_be_visible()
    names = page.locator(".article-list h2")
    expect(names).to_have_count(2)
    expect(names.nth(0)).to_have_text("新桥药房（示例）")
    expect(names.nth(1)).to_have_text("磁器口老茶馆（示例）")

    names.nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新桥药房（示例）")
    expect(page.get_by_role("link", name="023-65000000")).to_have_attribute(
        "href", "tel:02365000000"
    )
    page.get_by_role("link", name="没有享受到优待？反映优惠未兑现").click()
    page.get_by_label("经过").fill("出示优待证后，店员说不知道有这项优惠。")
    page.get_by_role("button", name="提交反映").click()
    expect(page.get_by_role("heading", name="反映已收到")).to_be_visible()
    reference = OfferReport.objects.get().reference
    expect(page.locator(".reference")).to_have_text(reference)

    staff = StaffFactory(username="xiaozhang", permissions=["merchants.change_offerreport"])
    admin = page.context.browser.new_context(base_url=live_server.url, locale="zh-CN")
    admin.set_default_timeout(15_000)
    queue = admin.new_page()
    queue.goto("/admin/login/")
    queue.locator("#id_username").fill(staff.username)
    queue.locator("#id_password").fill("correct horse battery staple")
    queue.get_by_role("button", name="登录").click()
    expect(queue).to_have_url(re.compile(r"/admin/$"))
    queue.get_by_role("link", name="优惠未兑现反映").click()
    row = queue.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("新桥药房（示例）")
    expect(row).to_contain_text("待处理")
    admin.close()
