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
