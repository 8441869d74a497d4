"""Site identity, the portal's record codes, the privacy and contact pages, and breadcrumbs."""

from home.models import ContactPage, HomePage, PrivacyPolicyPage
from honours.factories import HonourEntryPageFactory, HonourRollPageFactory


def _add(home_page, page):
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_titles_name_the_page_then_the_site_never_the_site_twice(client, home_page, site_settings):
    site_settings.district_name = "重庆市沙坪坝区"
    site_settings.save()
    assert "<title>双拥之家 - 重庆市沙坪坝区</title>" in client.get("/").content.decode()
    roll = HonourRollPageFactory(parent=home_page)
    assert "<title>光荣榜 - 双拥之家</title>" in client.get(roll.url).content.decode()
    site_settings.site_name = "沙坪坝双拥"
    site_settings.save()
    html = client.get(roll.url).content.decode()
    assert "<title>光荣榜 - 沙坪坝双拥</title>" in html and 'class="brand-name">沙坪坝双拥<' in html


def test_record_codes_show_in_the_footer_only_when_set(client, home_page, site_settings):
    footer = client.get("/").content.decode().split('class="site-footer"', 1)[1]
    assert "网站标识码" not in footer and "ICP" not in footer
    site_settings.website_code = "5001060001"
    site_settings.icp_record = "渝ICP备00000000号"
    site_settings.public_security_record = "渝公网安备00000000000000号"
    site_settings.save()
    footer = client.get("/").content.decode().split('class="site-footer"', 1)[1]
    assert "网站标识码：5001060001" in footer
    assert "渝ICP备00000000号" in footer and "渝公网安备00000000000000号" in footer


def test_privacy_page_states_the_retention_the_site_applies(
    client, home_page, site_settings, settings
):
    privacy = _add(
        home_page,
        PrivacyPolicyPage(title="个人信息保护政策", slug="privacy", body=[]),
    )
    settings.SERVICES_RETENTION_DAYS = 1095
    html = client.get(privacy.url).content.decode()
    assert "满 1095 天（约 3 年）后，系统自动将申请中的个人信息匿名化" in html
    settings.SERVICES_RETENTION_DAYS = 180
    html = client.get(privacy.url).content.decode()
    assert "满 180 天后" in html and "约" not in html.split('id="retention"', 1)[1][:80]
    # Linked from every page's footer once chosen in the settings.
    assert "个人信息保护政策</a>" not in client.get("/").content.decode()
    site_settings.privacy_page = privacy
    site_settings.save()
    assert f'<a href="{privacy.url}">个人信息保护政策</a>' in client.get("/").content.decode()


def test_contact_page_shows_the_contact_points_from_the_settings(client, home_page, site_settings):
    site_settings.organisation = "区退役军人事务局"
    site_settings.phone = "023 1234 5678"
    site_settings.email = "contact@example.cn"
    site_settings.save()
    contact = _add(home_page, ContactPage(title="联系我们", slug="contact", body=[]))
    html = client.get(contact.url).content.decode()
    assert '<a class="phone" href="tel:02312345678">023 1234 5678</a>' in html
    assert "mailto:contact@example.cn" in html and "区退役军人事务局" in html


def test_every_page_has_one_breadcrumb_trail_from_the_home_page(client, home_page):
    roll = HonourRollPageFactory(parent=home_page)
    entry = HonourEntryPageFactory(parent=roll, person_name="许灵")
    expectations = {
        roll.url: ["首页", "光荣榜"],
        entry.url: ["首页", "光荣榜", entry.title],
        f"{entry.url}xibao/": ["首页", "光荣榜", entry.title, "喜报"],
        "/services/": ["首页", "军属服务"],
        "/services/track/": ["首页", "军属服务", "查询办理进度"],
        "/merchants/": ["首页", "优待商户"],
        "/search/?q=双拥": ["首页", "搜索"],
        "/no-such-page/": ["首页", "页面未找到"],
    }
    for url, labels in expectations.items():
        html = client.get(url).content.decode()
        trail = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
        assert [_strip(item) for item in trail.split("<li")[1:]] == labels, url
        assert trail.count('aria-current="page"') == 1, url
    assert 'class="breadcrumbs"' not in client.get("/").content.decode()
    assert isinstance(home_page, HomePage)


def _strip(item: str) -> str:
    import re

    return re.sub(r"<[^>]+>|^[^>]*>", "", item).strip()
