import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
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


class HonourTreeTest(WagtailPageTestCase):
    def test_entries_live_under_the_roll(self):
        self.assertAllowedParentPageTypes(HonourRollPage, {HomePage})
        self.assertAllowedSubpageTypes(HonourRollPage, {HonourEntryPage})


def test_roll_groups_entries_by_year_newest_first(client, roll):
    HonourEntryPageFactory(parent=roll, person_name="许灵", kind=HonourKind.SUPPORTER, year=2025)
    HonourEntryPageFactory(parent=roll, person_name="王斌玉", kind=HonourKind.MILITIA, year=2020)
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
    HonourEntryPageFactory(parent=roll, person_name="王斌玉", kind=HonourKind.MILITIA, year=2020)

    html = client.get(roll.url, {"kind": "veteran"}).content.decode()
    assert "唐棠" in html and "许灵" not in html and "王斌玉" not in html
    assert '<option value="veteran" selected>' in html

    html = client.get(roll.url, {"year": "2020"}).content.decode()
    assert "王斌玉" in html and "唐棠" not in html

    html = client.get(roll.url, {"kind": "<script>", "year": "abc"}).content.decode()
    assert "共 3 条" in html and "<script>" not in html


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
    assert 'alt="许灵"' in client.get(with_consent.url).content.decode()
    assert "<img" not in client.get(without_consent.url).content.decode().split("<main", 1)[1]
    listing = client.get(roll.url).content.decode()
    assert 'alt="许灵"' in listing and 'alt="唐棠"' not in listing


def test_entry_rules_editors_are_told_about(db):
    entry = HonourEntryPageFactory.build(kind=HonourKind.MERIT, merit_class="")
    with pytest.raises(ValidationError) as error:
        entry.clean()
    assert "须填写功勋等级" in str(error.value)

    entry = HonourEntryPageFactory.build(kind=HonourKind.VETERAN, merit_class=MeritClass.THIRD)
    with pytest.raises(ValidationError, match="只有立功受奖"):
        entry.clean()

    entry = HonourEntryPageFactory.build(photo_consent=True, photo_consent_record="")
    entry.photo_id = 1
    with pytest.raises(ValidationError, match="本人同意的记录"):
        entry.clean()


def test_printable_merit_notice(client, roll):
    entry = HonourEntryPageFactory(
        parent=roll,
        title="王斌玉 · 三等功",
        person_name="王斌玉",
        kind=HonourKind.MERIT,
        merit_class=MeritClass.THIRD,
        year=2024,
        unit="天元区民兵应急连",
    )
    page_html = client.get(entry.url).content.decode()
    assert f'href="{entry.url}xibao/"' in page_html
    response = client.get(f"{entry.url}xibao/")
    html = response.content.decode()
    assert response.status_code == 200
    assert ">喜报</h1>" in html
    assert "天元区民兵应急连王斌玉同志在2024年度表现突出，荣获三等功" in html
    # The print button works through js/print.js: no inline script under the CSP.
    assert "@media print" in html and "data-print" in html and "js/print.js" in html
    assert "王斌玉同志家属：" in html


def test_merit_notice_for_a_collective_is_addressed_to_it(client, roll):
    entry = HonourEntryPageFactory(
        parent=roll,
        person_name="天元区民兵应急队伍",
        is_collective=True,
        kind=HonourKind.MILITIA,
        year=2018,
    )
    html = client.get(f"{entry.url}xibao/").content.decode()
    assert "天元区民兵应急队伍：" in html and "同志家属" not in html
    assert "天元区民兵应急队伍在2018年度表现突出，荣获优秀民兵" in html


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
