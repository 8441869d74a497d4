import datetime

import pytest
from django.utils import timezone

from education.factories import (
    ActivityIndexPageFactory,
    ActivityPageFactory,
    ArticlePageFactory,
    EducationIndexPageFactory,
    TopicPageFactory,
)
from honours.factories import HonourEntryPageFactory, HonourRollPageFactory
from tests.utils import count_queries


def test_home_page_gathers_every_section(client, home_page):
    education = EducationIndexPageFactory(parent=home_page)
    topic = TopicPageFactory(parent=education)
    ArticlePageFactory(parent=topic, title="国防教育进校园活动启动")
    activities = ActivityIndexPageFactory(parent=education)
    ActivityPageFactory(
        parent=activities,
        title="全民国防教育日主题活动",
        start_at=timezone.now() + datetime.timedelta(days=3),
    )
    ActivityPageFactory(
        parent=activities,
        title="已经结束的活动",
        start_at=timezone.now() - datetime.timedelta(days=3),
    )
    roll = HonourRollPageFactory(parent=home_page)
    HonourEntryPageFactory(parent=roll, person_name="许灵")

    html = client.get("/").content.decode()
    assert "国防教育进校园活动启动" in html
    assert "全民国防教育日主题活动" in html and "已经结束的活动" not in html
    assert "许灵" in html
    for entry_point in ("/services/", "/merchants/", "/honours/", "/education/"):
        assert f'href="{entry_point}"' in html
    # Each section's 更多 leads to its index page.
    for index in (education, activities, roll):
        assert f'<a href="{index.url}">更多' in html, index.url


def test_home_page_without_content_still_renders(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert "近期活动" not in response.content.decode()


def test_home_page_queries_do_not_grow_with_content(client, demo_site):
    assert count_queries(client, "/") <= 25


def test_pages_have_landmarks_a_skip_link_and_a_labelled_search_box(client, home_page):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans"' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and "<footer" in html and 'aria-label="主导航"' in html
    assert '<label for="site-search-input"' in html and 'role="search"' in html


def test_large_text_mode_is_switched_on_kept_across_pages_and_switched_off(client, home_page):
    assert 'class="large-text"' not in client.get("/").content.decode()

    response = client.post("/reading-mode/", {"mode": "large", "next": "/honours/"})
    assert response.status_code == 302 and response["Location"] == "/honours/"
    assert response.cookies["reading_mode"].value == "large"
    for path in ("/", "/search/?q=民兵", "/services/"):
        html = client.get(path).content.decode()
        assert '<html lang="zh-Hans" class="large-text">' in html
        assert 'aria-pressed="true"' in html

    client.post("/reading-mode/", {"mode": "normal", "next": "/"})
    assert 'class="large-text"' not in client.get("/").content.decode()


def test_reading_mode_never_redirects_to_another_site(client, db):
    response = client.post("/reading-mode/", {"mode": "large", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"
    assert client.get("/reading-mode/").status_code == 405


@pytest.mark.parametrize(
    ("sent", "location"),
    [
        ("/education/国防教育/", "/education/%E5%9B%BD%E9%98%B2%E6%95%99%E8%82%B2/"),
        ("/" + "长" * 1000, "/"),  # over 2,048 characters once encoded: refused as a target
        ("honours/", "/"),  # not a path on this site
        ("//evil.example.com/", "/"),
    ],
)
def test_reading_mode_returns_only_to_a_path_on_this_site(client, db, sent, location):
    response = client.post("/reading-mode/", {"mode": "large", "next": sent})
    assert response["Location"] == location


def test_unknown_pages_get_a_chinese_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面未找到" in response.content.decode()
