import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from home.models import SiteContact, Street
from home.page_cache import page_content_changed
from merchants.factories import MerchantFactory, OfferFactory
from merchants.models import MerchantCategory
from merchants.selectors import public_merchants

TODAY = datetime.date(2026, 7, 1)


def test_directory_lists_public_merchants_with_their_current_offers(client, db):
    OfferFactory(merchant=MerchantFactory(name="磁器口老茶馆"), title="凭优待证茶水九折")
    OfferFactory(merchant=MerchantFactory(name="草稿商户", live=False))
    html = client.get("/merchants/").content.decode()
    assert "磁器口老茶馆" in html and "凭优待证茶水九折" in html
    assert "适用：现役军人、退役军人" in html
    assert "草稿商户" not in html
    assert "共 1 家商户" in html


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "public"),
    [
        (TODAY, None, True),  # the start day counts
        (None, TODAY, True),  # so does the end day
        (TODAY + datetime.timedelta(days=1), None, False),  # not started
        (None, TODAY - datetime.timedelta(days=1), False),  # ended yesterday
        (None, None, True),
    ],
)
def test_an_offer_is_current_from_its_first_to_its_last_day(db, valid_from, valid_until, public):
    offer = OfferFactory(valid_from=valid_from, valid_until=valid_until)
    assert offer.is_current(on=TODAY) is public
    assert public_merchants(on=TODAY).filter(pk=offer.merchant_id).exists() is public


def test_today_is_the_site_s_day_not_the_server_s(db, monkeypatch):
    # 23:30 UTC on 30 June is already 1 July in 沙坪坝 (UTC+8).
    utc_evening = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: utc_evening)
    starts = OfferFactory(valid_from=TODAY)
    ended = OfferFactory(valid_until=datetime.date(2026, 6, 30))
    visible = set(public_merchants())
    assert starts.merchant in visible and ended.merchant not in visible


def test_an_expired_offer_is_never_shown_and_its_merchant_leaves(client, db):
    merchant = MerchantFactory(name="天星桥理发店")
    OfferFactory(merchant=merchant, title="2020年的优待", valid_until=datetime.date(2020, 1, 1))
    assert "天星桥理发店" not in client.get("/merchants/").content.decode()
    assert client.get(merchant.get_absolute_url()).status_code == 404

    OfferFactory(merchant=merchant, title="现役军人理发免费")
    html = client.get(merchant.get_absolute_url()).content.decode()
    assert "现役军人理发免费" in html and "2020年的优待" not in html


def test_directory_filters_by_category_street_and_who_qualifies(client, db):
    health = MerchantCategory.objects.get(code="health")
    xiaolongkan = Street.objects.get(code="xiaolongkan")
    OfferFactory(merchant=MerchantFactory(name="茶馆"), for_serving=True, for_veterans=False)
    OfferFactory(
        merchant=MerchantFactory(name="药房", category=health, street=xiaolongkan),
        for_serving=False,
        for_veterans=False,
        for_survivors=True,
    )
    html = client.get("/merchants/", {"category": "health"}).content.decode()
    assert "药房" in html and "茶馆" not in html
    html = client.get("/merchants/", {"street": "ciqikou"}).content.decode()
    assert "茶馆" in html and "药房" not in html
    assert '<option value="ciqikou" selected>' in html
    html = client.get("/merchants/", {"who": "survivors"}).content.decode()
    assert "药房" in html and "茶馆" not in html
    html = client.get("/merchants/", {"category": "nonsense", "street": "<b>"}).content.decode()
    assert "共 2 家商户" in html


def test_who_qualifies_counts_only_today_s_offers(client, db):
    merchant = MerchantFactory(name="茶馆")
    OfferFactory(merchant=merchant, for_serving=True, for_veterans=False)
    OfferFactory(
        merchant=merchant,
        for_serving=False,
        for_veterans=False,
        for_families=True,
        valid_until=datetime.date(2020, 1, 1),
    )
    assert "共 0 家商户" in client.get("/merchants/", {"who": "families"}).content.decode()


def test_detail_shows_offers_who_how_dates_phone_hours_and_verification(client, db):
    merchant = MerchantFactory(
        name="天星桥理发店",
        phone="023-65000000",
        opening_hours="每日 9:00—20:00",
        verified_at=datetime.date(2026, 3, 2),
    )
    OfferFactory(
        merchant=merchant,
        title="现役军人理发免费",
        how_to_claim="出示士兵证或军官证",
        for_veterans=False,
        valid_until=datetime.date(2099, 12, 31),
    )
    html = client.get(merchant.get_absolute_url()).content.decode()
    assert "现役军人理发免费" in html and "领取方式：出示士兵证或军官证" in html
    assert "适用：现役军人" in html and "至2099年12月31日" in html
    assert 'href="tel:02365000000"' in html and "每日 9:00—20:00" in html
    assert "2026年3月2日" in html and "磁器口街道" in html


def test_location_needs_both_coordinates(db):
    merchant = MerchantFactory.build(latitude=Decimal("29.5826"), longitude=None)
    with pytest.raises(ValidationError, match="经度和纬度须同时填写"):
        merchant.clean()


def _merchant_at(name, latitude, longitude, **fields):
    merchant = MerchantFactory(
        name=name, latitude=Decimal(latitude), longitude=Decimal(longitude), **fields
    )
    OfferFactory(merchant=merchant)
    return merchant


def test_nearest_first_uses_a_rounded_location_kept_out_of_urls(client, db):
    _merchant_at("解放碑书店", "29.5575", "106.5771")
    _merchant_at("磁器口老茶馆", "29.5826", "106.4495")
    OfferFactory(merchant=MerchantFactory(name="没有位置的商户"))

    response = client.post(
        "/merchants/near/", {"latitude": "29.583412", "longitude": "106.451234", "category": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == "/merchants/?sort=near"
    assert client.session["merchants_near"] == [29.58, 106.45]

    html = client.get(response["Location"]).content.decode()
    assert html.index("磁器口老茶馆") < html.index("解放碑书店") < html.index("没有位置的商户")
    assert "约 0.3 公里" in html and "约 12.5 公里" in html
    assert "106.45" not in html  # the location is not written back into the page


def test_nearest_first_from_a_street_the_visitor_picks(client, db):
    _merchant_at("解放碑书店", "29.5575", "106.5771")
    _merchant_at("磁器口老茶馆", "29.5826", "106.4495")
    html = client.get("/merchants/", {"from": "ciqikou"}).content.decode()
    assert "已按离磁器口街道参考点的大致距离由近到远排序" in html
    assert html.index("磁器口老茶馆") < html.index("解放碑书店")
    assert "约 0.4 公里" in html


def test_nearest_first_keeps_the_reader_s_filters(client, db):
    health = MerchantCategory.objects.get(code="health")
    _merchant_at("磁器口老茶馆", "29.5826", "106.4495")
    _merchant_at("磁器口药房", "29.5830", "106.4500", category=health)
    response = client.post(
        "/merchants/near/", {"latitude": "29.58", "longitude": "106.45", "category": "health"}
    )
    assert response["Location"] == "/merchants/?category=health&sort=near"
    html = client.get(response["Location"]).content.decode()
    assert "磁器口药房" in html and "磁器口老茶馆" not in html
    assert '<input type="hidden" name="sort" value="near">' in html


def test_a_bad_location_is_refused_with_a_message_and_clearing_forgets_it(client, db):
    response = client.post("/merchants/near/", {"latitude": "abc", "longitude": "200"}, follow=True)
    assert "没有取得有效的位置" in response.content.decode()
    assert "merchants_near" not in client.session

    client.post("/merchants/near/", {"latitude": "29.58", "longitude": "106.45"})
    client.post("/merchants/near/", {"clear": "1"})
    assert "merchants_near" not in client.session
    assert "已按您的大致位置" not in client.get("/merchants/?sort=near").content.decode()
    assert client.get("/merchants/near/").status_code == 405


@pytest.fixture
def site_settings(db):
    """The site settings exist (a fresh site makes them on its first page, which is a change)."""
    return SiteContact.for_site(Site.objects.get(is_default_site=True))


def _kept(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


@pytest.mark.parametrize(
    "query", [{}, {"category": "food", "who": "veterans"}, {"from": "ciqikou"}, {"sort": "near"}]
)
def test_the_directory_is_kept_for_anonymous_readers_with_no_token(client, site_settings, query):
    _merchant_at("磁器口老茶馆", "29.5826", "106.4495")
    first = client.get("/merchants/", query)
    second = client.get("/merchants/", query)
    assert _kept(second) and second.content == first.content
    assert "磁器口老茶馆" in second.content.decode()
    for response in (first, second):
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert settings.CSRF_COOKIE_NAME not in response.cookies and not response.cookies


def test_sharing_a_location_sorts_that_reader_s_directory_and_nobody_else_s(site_settings):
    _merchant_at("解放碑书店", "29.5575", "106.5771")
    _merchant_at("磁器口老茶馆", "29.5826", "106.4495")
    reader, other = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    reader.get("/merchants/?sort=near")
    assert _kept(other.get("/merchants/?sort=near"))
    # A plain form post, as the page sends it: no token, and none is needed.
    response = reader.post("/merchants/near/", {"latitude": "29.58", "longitude": "106.45"})
    assert response.status_code == 302 and response["Location"] == "/merchants/?sort=near"
    mine = reader.get("/merchants/?sort=near")
    assert "X-Page-Cache" not in mine  # a reader with a session is never served a kept page
    html = mine.content.decode()
    assert "已按您的大致位置" in html and html.index("磁器口老茶馆") < html.index("解放碑书店")
    theirs = other.get("/merchants/?sort=near")
    assert _kept(theirs) and "已按您的大致位置" not in theirs.content.decode()
    assert "约 0.3 公里" not in theirs.content.decode()


def test_an_offer_ending_today_leaves_the_kept_directory_at_midnight(
    client, site_settings, monkeypatch
):
    OfferFactory(merchant=MerchantFactory(name="示例理发店"), valid_until=timezone.localdate())
    OfferFactory(merchant=MerchantFactory(name="示例书店"), valid_until=None)
    client.get("/merchants/")
    today = client.get("/merchants/")
    assert _kept(today) and "示例理发店" in today.content.decode()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    # No save and no job: the kept directory ends with the offer's last day.
    next_day = client.get("/merchants/")
    assert next_day["X-Page-Cache"] == "miss"
    assert "示例理发店" not in next_day.content.decode()
    assert "示例书店" in next_day.content.decode()


@pytest.mark.parametrize(
    "position",
    [
        {"latitude": "nan", "longitude": "106.45"},
        {"latitude": "inf", "longitude": "-inf"},
        {"latitude": "1e999", "longitude": "106.45"},
        {"latitude": "29.58", "longitude": ""},
        {"latitude": "29.58'); DROP TABLE merchants;--", "longitude": "106.45"},
        {"latitude": "9" * 5000, "longitude": "106.45"},
        {"longitude": "106.45"},
    ],
)
def test_a_hostile_location_is_refused_in_chinese_and_nothing_is_stored(site_settings, position):
    reader = Client(enforce_csrf_checks=True)
    response = reader.post("/merchants/near/", {**position, "q": "茶" * 5000, "who": "\r\n"})
    assert response.status_code == 302
    assert len(response["Location"]) < 1000 and "\n" not in response["Location"]
    assert "latitude" not in response["Location"] and "sort=near" not in response["Location"]
    assert "merchants_near" not in reader.session
    html = reader.get(response["Location"]).content.decode()
    assert "没有取得有效的位置，无法按距离排序。可以改选一个街道。" in html
    assert "已按您的大致位置" not in html


def _many_merchants(count):
    from home.models import Street as StreetModel
    from merchants.models import Merchant, Offer

    category = MerchantCategory.objects.get(code="food")
    street = StreetModel.objects.get(code="ciqikou")
    merchants = Merchant.objects.bulk_create(
        Merchant(
            name=f"示例商户{n:04d}",
            category=category,
            street=street,
            address="示例路",
            phone="023-65000000",
            latitude=Decimal("29.58") + Decimal(n) / 10000,
            longitude=Decimal("106.45"),
        )
        for n in range(count)
    )
    Offer.objects.bulk_create(
        Offer(merchant=m, title="九折", for_veterans=True, how_to_claim="出示优待证")
        for m in merchants
    )
    page_content_changed()  # bulk_create sends no signals: kept pages would not know


@pytest.mark.parametrize(
    "url",
    ["/merchants/", "/merchants/?who=veterans&category=food", "/merchants/?from=ciqikou&page=2"],
)
def test_directory_queries_stay_flat_from_60_to_1000_merchants(
    client, db, url, django_assert_max_num_queries
):
    from tests.utils import count_queries

    _many_merchants(60)
    few = count_queries(client, url)
    _many_merchants(940)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert "共 1000 家商户" in response.content.decode()
