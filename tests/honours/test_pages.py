import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, SiteContact
from honours.factories import HonourEntryPageFactory, HonourRollPageFactory
from honours.models import HonourEntryPage, HonourKind, HonourRollPage, MeritClass
from tests.utils import count_queries


def make_photo(title="照片"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 400), (30, 60, 110)).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.png"))


@pytest.fixture
def roll(home_page):
    return HonourRollPageFactory(parent=home_page)


@pytest.fixture
def site_settings(db):
    settings = SiteContact.for_site(Site.objects.get(is_default_site=True))
    settings.organisation = "区退役军人事务局（测试）"
    settings.certificate_issuer = "区人武部（测试）"
    settings.save()
    return settings


class HonourTreeTest(WagtailPageTestCase):
    def test_entries_live_under_the_roll(self):
        self.assertAllowedParentPageTypes(HonourRollPage, {HomePage})
        self.assertAllowedSubpageTypes(HonourRollPage, {HonourEntryPage})


def test_roll_groups_entries_by_year_newest_first(client, roll):
    HonourEntryPageFactory(parent=roll, person_name="许灵", kind=HonourKind.SUPPORTER, year=2025)
    HonourEntryPageFactory(parent=roll, person_name="王斌玉", kind=HonourKind.CONTEST, year=2020)
    html = client.get(roll.url).content.decode()
    assert "共 2 条" in html
    listing = html.split('role="status"', 1)[1]
    assert (
        listing.index("2025年度")
        < listing.index("许灵")
        < listing.index("2020年度")
        < listing.index("王斌玉")
    )


def test_roll_filters_by_kind_and_year(client, roll):
    HonourEntryPageFactory(parent=roll, person_name="许灵", kind=HonourKind.SUPPORTER, year=2025)
    HonourEntryPageFactory(parent=roll, person_name="唐棠", kind=HonourKind.VETERAN, year=2025)
    HonourEntryPageFactory(parent=roll, person_name="王斌玉", kind=HonourKind.CONTEST, year=2020)

    html = client.get(roll.url, {"kind": "veteran"}).content.decode()
    assert "唐棠" in html and "许灵" not in html and "王斌玉" not in html
    assert '<option value="veteran" selected>' in html

    html = client.get(roll.url, {"year": "2020"}).content.decode()
    assert "王斌玉" in html and "唐棠" not in html

    html = client.get(roll.url, {"kind": "<script>", "year": "abc"}).content.decode()
    assert "共 3 条" in html and "<script>" not in html
    # Only the categories that have entries are offered.
    assert '<option value="contest"' in html and '<option value="model_city"' not in html


def test_entries_without_a_year_come_last_under_their_own_heading(client, roll):
    HonourEntryPageFactory(parent=roll, person_name="唐棠", year=None)
    HonourEntryPageFactory(parent=roll, person_name="许灵", year=2025)
    listing = client.get(roll.url).content.decode().split('role="status"', 1)[1]
    assert listing.index("2025年度") < listing.index("许灵") < listing.index("年度未注明")
    assert listing.index("年度未注明") < listing.index("唐棠")
    entry = client.get(roll.url + "?year=").content.decode()
    assert "共 2 条" in entry


def test_photo_is_shown_only_where_consent_is_recorded(client, roll):
    with_consent = HonourEntryPageFactory(
        parent=roll,
        person_name="许灵",
        photo=make_photo("许灵"),
        photo_consent=True,
        photo_consent_record="本人书面同意，2025年8月1日",
    )
    without_consent = HonourEntryPageFactory(
        parent=roll, person_name="唐棠", photo=make_photo("唐棠")
    )
    assert 'alt="许灵的照片"' in client.get(with_consent.url).content.decode()
    assert "<img" not in client.get(without_consent.url).content.decode().split("<main", 1)[1]
    listing = client.get(roll.url).content.decode()
    assert 'alt="许灵的照片"' in listing and "唐棠的照片" not in listing
    # The card without a photo keeps the same shape, with an emblem in its place.
    assert listing.count('class="honour-figure"') == 2 and "honour-emblem" in listing


def test_entry_rules_editors_are_told_about(db):
    # 立功受奖 whose class the material does not give is saved without one: 立功 is not 嘉奖.
    HonourEntryPageFactory.build(kind=HonourKind.MERIT, merit_class="", year=None).clean()

    entry = HonourEntryPageFactory.build(kind=HonourKind.VETERAN, merit_class=MeritClass.THIRD)
    with pytest.raises(ValidationError, match="只有立功受奖"):
        entry.clean()

    entry = HonourEntryPageFactory.build(photo_consent=True, photo_consent_record="")
    entry.photo_id = 1
    with pytest.raises(ValidationError, match="本人同意的记录"):
        entry.clean()


def test_printable_merit_notice_goes_to_the_family(client, roll, site_settings):
    entry = HonourEntryPageFactory(
        parent=roll,
        title="王斌玉 · 三等功",
        person_name="王斌玉",
        kind=HonourKind.MERIT,
        merit_class=MeritClass.THIRD,
        year=2024,
        awarded_on=datetime.date(2024, 8, 1),
        unit="磁器口街道",
    )
    page_html = client.get(entry.url).content.decode()
    assert f'href="{entry.url}xibao/"' in page_html
    response = client.get(f"{entry.url}xibao/")
    html = response.content.decode()
    assert response.status_code == 200
    assert ">喜报</h1>" in html
    assert "王斌玉同志家属：" in html
    assert "磁器口街道王斌玉同志在2024年度荣立三等功。" in html
    # The print button works through js/print.js: no inline script under the CSP.
    assert "@media print" in html and "data-print" in html and "js/print.js" in html
    # Signed by the office the site names, on the honour's date.
    assert "区人武部（测试）<br>2024年8月1日" in html


def test_merit_notice_without_a_date_carries_none(client, roll, site_settings):
    entry = HonourEntryPageFactory(
        parent=roll, person_name="唐棠", kind=HonourKind.VETERAN, year=None, unit=""
    )
    notice = client.get(f"{entry.url}xibao/").content.decode().split('class="xibao"', 1)[1]
    assert "唐棠同志：" in notice and "家属" not in notice
    assert "唐棠同志荣获“最美退役军人”称号。" in notice
    assert "年度" not in notice.split("</p>", 2)[1]
    assert re.search(r"\d+年\d+月\d+日", notice) is None
    assert "区人武部（测试）" in notice


def test_merit_notice_for_a_collective_is_addressed_to_it(client, roll, site_settings):
    entry = HonourEntryPageFactory(
        parent=roll,
        person_name="天元区人民武装部",
        is_collective=True,
        kind=HonourKind.ADVANCED_UNIT,
        honour_title="全军正规化建设先进单位",
        year=None,
    )
    html = client.get(f"{entry.url}xibao/").content.decode()
    assert '<p class="salutation">天元区人民武装部：</p>' in html and "同志" not in html
    assert "天元区人民武装部荣获全军正规化建设先进单位。特此报喜，向你们表示热烈祝贺" in html
    page_html = client.get(entry.url).content.decode()
    assert "<dt>集体名称</dt><dd>天元区人民武装部</dd>" in page_html
    assert "<dt>姓名</dt>" not in page_html


def test_roll_costs_the_same_queries_for_few_or_many_entries(client, roll):
    def add(count):
        for n in range(count):
            HonourEntryPageFactory(
                parent=roll,
                year=2020 + n % 5,
                photo=make_photo(),
                photo_consent=True,
                photo_consent_record="同意",
            )

    add(2)
    few = count_queries(client, roll.url)
    add(10)
    assert count_queries(client, roll.url) == few
