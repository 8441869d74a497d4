"""A reader's journey in real Chromium: home, a topic, an article, and large-text mode."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_goes_from_home_to_an_article_in_large_text_mode(page, demo_site):
    page.goto("/")
    expect(page).to_have_title(re.compile("双拥之家"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("军爱民 民拥军")
    expect(page.get_by_role("heading", name="国防教育 · 最新文章")).to_be_visible()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="国防教育").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("国防教育")
    page.get_by_role("link", name="双拥动态").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("双拥动态")

    # Filter by a tag that has articles, then open the first one.
    tag_select = page.get_by_role("combobox", name="标签")
    tag = tag_select.locator("option").nth(1).get_attribute("value")
    tag_select.select_option(tag)
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#filter-tag")).to_have_value(tag)
    first_article = page.locator(".article-list h2 a").first
    title = first_article.inner_text()
    first_article.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("article .tags")).to_contain_text(tag)

    # Large-text mode: switched on with the keyboard, kept on the next page.
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    switch = page.get_by_role("button", name="大字模式")
    switch.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_class("large-text")
    large_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large_size >= normal_size * 1.25
    expect(page.get_by_role("heading", level=1)).to_have_text(title)  # back on the same article

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="光荣榜").click()
    expect(page.locator("html")).to_have_class("large-text")
    expect(page.get_by_role("button", name="标准字号")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="标准字号").click()
    expect(page.locator("html")).not_to_have_class("large-text")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, home_page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    expect(page.locator("main")).to_be_focused()
