"""Every public page type, in both reading modes, in real Chromium: axe-core finds no serious or
critical WCAG 2.1 AA violation at a phone's width (390 px) or a desktop's (1366 px), and no
page scrolls sideways at 320 px or 390 px.

axe-core comes from the npm registry (`make test` installs the pinned version into .cache/npm).
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from education.models import ActivityPage, ArticlePage, TopicPage
from home.context_processors import READING_MODE_COOKIE
from home.models import ContactPage, PrivacyPolicyPage
from honours.models import HonourEntryPage
from merchants.models import Merchant
from tests.browser.test_services_journey import apply_for_childcare, track
from tests.services.files import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / ".cache" / "npm" / "node_modules" / "axe-core"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_WIDTHS = (390, 1366)
OVERFLOW_WIDTHS = (320, 390)
MODES = {"normal": None, "large": "large"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    script = AXE / "axe.min.js"
    assert script.exists(), "axe-core is missing: `make test` installs it into .cache/npm"
    return script.read_text(encoding="utf-8")


class Inspector:
    """Checks the page as it stands at each width, and keeps what it found per URL."""

    def __init__(self, page, axe_source: str):
        self.page = page
        self.axe_source = axe_source
        self.problems: list[str] = []
        self.checked: list[str] = []

    def __call__(self, label: str) -> None:
        page = self.page
        where = f"{label} ({page.url.split('/', 3)[-1] or '/'})"
        self.checked.append(label)
        for width in sorted({*AXE_WIDTHS, *OVERFLOW_WIDTHS}):
            page.set_viewport_size({"width": width, "height": 800})
            # Nothing spills out of a card or a box (a button 74 px wider than its card did).
            spilled = page.evaluate(
                """() => [...document.querySelectorAll('.card, .facts, .notice, .filters, .xibao')]
                  .filter(box => box.scrollWidth > box.clientWidth + 1)
                  .slice(0, 3).map(box => box.className + ': ' + box.textContent.trim().slice(0, 20))"""
            )
            if spilled:
                self.problems.append(f"{where} @{width}px content spills out of {spilled}")
            if width in OVERFLOW_WIDTHS:
                wide = page.evaluate(
                    """() => {
                      const limit = document.documentElement.clientWidth;
                      const over = [...document.querySelectorAll('body *')].filter(el => {
                        const box = el.getBoundingClientRect();
                        return box.width > 0 && box.right > limit + 1 && !el.closest('.table-wrap');
                      }).slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
                      return {scroll: document.documentElement.scrollWidth, limit, over};
                    }"""
                )
                if wide["scroll"] > wide["limit"]:
                    self.problems.append(f"{where} @{width}px scrolls sideways: {wide}")
            if width in AXE_WIDTHS:
                if not page.evaluate("() => !!window.axe"):
                    # Evaluated through the DevTools protocol, which the page's CSP does not
                    # govern: a <script> tag would be refused by `script-src 'self'`.
                    page.evaluate(self.axe_source)
                result = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
                )
                for violation in result["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [node["target"] for node in violation["nodes"][:3]]
                        self.problems.append(
                            f"{where} @{width}px {violation['id']} ({violation['impact']}, "
                            f"{len(violation['nodes'])} nodes): {json.dumps(targets, ensure_ascii=False)}"
                        )


@pytest.mark.parametrize("mode", MODES)
def test_every_public_page_type_is_accessible_and_fits_a_phone(
    page, live_server, demo_site, axe_source, mode, tmp_path, settings
):
    settings.SERVICES_PRIVATE_ROOT = tmp_path / "private"
    if MODES[mode]:
        page.context.add_cookies(
            [{"name": READING_MODE_COOKIE, "value": MODES[mode], "url": live_server.url}]
        )
    inspect = Inspector(page, axe_source)

    def visit(label: str, url: str) -> None:
        response = page.goto(url)
        assert response.status == (404 if label == "404" else 200), url
        if MODES[mode]:
            expect(page.locator("html")).to_have_class("large-text")
        inspect(label)

    topic = TopicPage.objects.live().first()
    merchant = Merchant.objects.public().first()
    entry = HonourEntryPage.objects.live().first()
    pages = [
        ("首页", "/"),
        ("国防教育栏目", "/education/"),
        ("专题", topic.url),
        ("文章", ArticlePage.objects.live().first().url),
        ("活动栏目", "/education/activities/"),
        ("活动", ActivityPage.objects.live().first().url),
        ("光荣榜", "/honours/"),
        ("光荣榜条目", entry.url),
        ("喜报", f"{entry.url}xibao/"),
        ("优待商户", "/merchants/"),
        ("商户详情", merchant.get_absolute_url() if merchant else None),
        ("反映优惠未兑现", f"{merchant.get_absolute_url()}report/" if merchant else None),
        ("军属服务", "/services/"),
        ("查询办理进度", "/services/track/"),
        ("搜索结果", "/search/?q=双拥"),
        ("个人信息保护政策", PrivacyPolicyPage.objects.live().get().url),
        ("联系我们", ContactPage.objects.live().get().url),
        ("404", "/no-such-page/"),
    ]
    for label, url in pages:
        assert url, f"the demo has no {label}"
        visit(label, url)

    # The service journey: the guide, the form, the form with errors, the check page, the
    # confirmation and the request's progress.
    visit("办事指南", "/services/childcare/")
    visit("申请表", "/services/childcare/apply/")
    page.get_by_role("button", name="下一步：核对信息").click()
    inspect("申请表（填写有误）")
    proof = tmp_path / "军人证.png"
    proof.write_bytes(image_bytes("PNG"))
    reference = apply_for_childcare(page, proof, inspect=inspect)
    inspect("申请已提交")
    track(page, reference)
    inspect("办理进度")

    assert not inspect.problems, "\n".join(inspect.problems)
    assert len(inspect.checked) >= 23


FOCUS_RING = r"""() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  // The ring is drawn outside the element (positive offset) or inside it (negative offset):
  // it must stand out from whatever lies under it there.
  let under = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement;
  let background = 'rgba(0, 0, 0, 0)';
  while (under) {
    background = getComputedStyle(under).backgroundColor;
    if (!/^rgba\(.*, 0\)$/.test(background) && background !== 'transparent') break;
    under = under.parentElement;
  }
  return {
    what: el.tagName.toLowerCase() + ' ' + (el.textContent || el.value || '').trim().slice(0, 12),
    style: style.outlineStyle, width: parseFloat(style.outlineWidth),
    colour: style.outlineColor, background: under ? background : 'rgb(255, 255, 255)',
  };
}"""


def _luminance(rgb: str) -> float:
    channels = [int(value) / 255 for value in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("mode", MODES)
def test_the_keyboard_focus_ring_stands_out_on_every_background(page, live_server, demo_site, mode):
    if MODES[mode]:
        page.context.add_cookies(
            [{"name": READING_MODE_COOKIE, "value": MODES[mode], "url": live_server.url}]
        )
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/")
    weak = []
    seen = 0
    for _ in range(40):  # header, navigation, the entry tiles, content and the footer
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["what"].startswith("body"):
            break
        seen += 1
        ratio = _contrast(ring["colour"], ring["background"])
        if ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
            weak.append(f"{ring['what']}: {ring['colour']} on {ring['background']} = {ratio:.2f}")
    assert seen >= 15
    assert not weak, "\n".join(weak)


def test_contrast_helper_matches_wcag():
    assert round(_contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    # The old ring: blue on the red header.
    assert _contrast("rgb(11, 87, 208)", "rgb(164, 22, 26)") < 1.5
