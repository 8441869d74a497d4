"""The merchant directory's keyword box and nearest-first, on the database and the engine."""

import datetime

from home.models import Street
from merchants.factories import MerchantFactory, OfferFactory

from .conftest import rebuild


def test_keyword_filters_and_distance_agree_on_both_backends(search_backend, client, db):
    xinqiao = Street.objects.get(code="xinqiao")
    for name, street, latitude, for_families in [
        ("磁器口老火锅（示例）", None, "29.5826", True),
        ("新桥火锅（示例）", xinqiao, "29.5295", True),
        ("新桥火锅二店（示例）", xinqiao, "29.5290", False),
        ("新桥书店（示例）", xinqiao, "29.5291", True),
    ]:
        fields = {"street": street} if street else {}
        OfferFactory(
            merchant=MerchantFactory(name=name, latitude=latitude, longitude="106.4600", **fields),
            for_families=for_families,
        )
    expired = MerchantFactory(name="过期火锅（示例）", latitude="29.5290", longitude="106.4600")
    OfferFactory(merchant=expired, valid_until=datetime.date(2020, 1, 1))
    rebuild()

    html = client.get(
        "/merchants/", {"q": "火锅", "who": "families", "from": "xinqiao"}
    ).content.decode()
    assert "共 2 家商户" in html
    assert html.index("新桥火锅（示例）") < html.index("磁器口老火锅（示例）")
    assert "新桥火锅二店" not in html and "新桥书店" not in html and "过期火锅" not in html
