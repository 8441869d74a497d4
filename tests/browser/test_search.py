"""Searching in real Chromium: suggestions while typing, the keyboard, results with facets."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_search_box_suggests_and_works_with_the_keyboard(page, demo_site):
    call_command("rebuild_search_index", stdout=io.StringIO())
    page.goto("/")
    box = page.get_by_role("combobox", name="搜索全站")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("国防教育月")
    listbox = page.get_by_role("listbox", name="搜索建议")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text("国防教育运动月主题活动（示例）")

    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()

    # Enter without a highlighted suggestion searches.
    box.fill("拥军")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E6%8B%A5%E5%86%9B"))
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("“拥军”找到")
    facets = page.get_by_role("navigation", name="按类型筛选")
    facets.get_by_role("link", name=re.compile("^光荣榜")).click()
    expect(page.locator(".search-results .search-type").first).to_have_text("光荣榜")
    expect(page.locator(".search-results mark").first).to_have_text("拥军")

    # A suggestion chosen with the keyboard opens its page.
    box = page.get_by_role("combobox", name="搜索全站")
    box.fill("")
    box.press_sequentially("国防教育月")
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("国防教育运动月主题活动（示例）")
