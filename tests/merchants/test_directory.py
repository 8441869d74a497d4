import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from merchants.factories import MerchantFactory, OfferFactory
from merchants.models import Beneficiary, MerchantCategory
from tests.utils import count_queries


def test_directory_lists_listed_merchants_with_their_offers(client, db):
    OfferFactory(merchant=MerchantFactory(name="磁器口老茶馆"), title="凭优待证茶水九折")
    OfferFactory(merchant=MerchantFactory(name="已退出的商户", is_listed=False))
    html = client.get("/merchants/").content.decode()
    assert "磁器口老茶馆" in html and "凭优待证茶水九折" in html and "须出示优待证" in html
    assert "已退出的商户" not in html
    assert "共 1 家商户" in html


def test_directory_filters_by_category_and_street(client, db):
    OfferFactory(
        merchant=MerchantFactory(name="茶馆", category=MerchantCategory.FOOD, street="磁器口街道")
    )
    OfferFactory(
        merchant=MerchantFactory(name="药房", category=MerchantCategory.HEALTH, street="小龙坎街道")
    )
    html = client.get("/merchants/", {"category": "health"}).content.decode()
    assert "药房" in html and "茶馆" not in html
    html = client.get("/merchants/", {"street": "磁器口街道"}).content.decode()
    assert "茶馆" in html and "药房" not in html
    assert '<option value="磁器口街道" selected>' in html
    html = client.get("/merchants/", {"category": "nonsense", "street": "<b>"}).content.decode()
    assert "共 2 家商户" in html


def test_detail_shows_offer_terms_and_hides_unlisted(client, db):
    merchant = MerchantFactory(name="天星桥理发店", phone="023-65000000")
    OfferFactory(
        merchant=merchant,
        title="现役军人理发免费",
        details="每月一次。",
        beneficiary=Beneficiary.SERVING,
        requires_card=False,
        valid_until=datetime.date(2027, 12, 31),
    )
    html = client.get(merchant.get_absolute_url()).content.decode()
    assert "现役军人理发免费" in html and "每月一次。" in html and "适用：现役军人" in html
    assert "有效期至2027年12月31日" in html and "须出示优待证" not in html
    merchant.is_listed = False
    merchant.save()
    assert client.get(merchant.get_absolute_url()).status_code == 404


def test_directory_queries_do_not_grow_with_merchants(client, db):
    for _ in range(2):
        OfferFactory()
    few = count_queries(client, "/merchants/")
    for _ in range(10):
        OfferFactory()
    assert count_queries(client, "/merchants/") == few


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


def test_nearest_first_keeps_the_reader_s_filters(client, db):
    _merchant_at("磁器口老茶馆", "29.5826", "106.4495", category=MerchantCategory.FOOD)
    _merchant_at("磁器口药房", "29.5830", "106.4500", category=MerchantCategory.HEALTH)
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
    assert (
        "约"
        not in client.get("/merchants/?sort=near")
        .content.decode()
        .split("<main", 1)[1]
        .split("共", 1)[0]
    )
    assert client.get("/merchants/near/").status_code == 405
