"""search.api's functions for listings that filter and order themselves: the keys matching a
query and the nearest objects, the same on the database and the engine."""

import pytest

from merchants.factories import MerchantFactory, OfferFactory
from merchants.models import Merchant
from search import health
from search.api import matching_keys, nearest_keys
from search.backends import LOCATION_FIELD

from .conftest import rebuild

XINQIAO = (29.5295, 106.4600)


@pytest.fixture
def merchants(db):
    made = {}
    for name, latitude in [
        ("新桥火锅（示例）", "29.5300"),
        ("磁器口老火锅（示例）", "29.5826"),
        ("新桥书店（示例）", "29.5291"),
        ("无址火锅（示例）", None),
    ]:
        longitude = "106.4600" if latitude else None
        made[name] = MerchantFactory(name=name, latitude=latitude, longitude=longitude)
        OfferFactory(merchant=made[name])
    rebuild()
    return made


def test_matching_keys_are_whole_word_matches_within_the_queryset(search_backend, merchants):
    within = Merchant.objects.exclude(pk=merchants["磁器口老火锅（示例）"].pk)

    keys = matching_keys(within, "火锅")

    assert set(keys) == {merchants["新桥火锅（示例）"].pk, merchants["无址火锅（示例）"].pk}
    assert matching_keys(within, "  ") == []
    assert not health.engine_marked_down()


def test_nearest_keys_are_located_objects_nearest_first_with_km(search_backend, merchants):
    nearest = nearest_keys(Merchant.objects.all(), origin=XINQIAO)

    assert [pk for pk, _km in nearest] == [
        merchants["新桥书店（示例）"].pk,
        merchants["新桥火锅（示例）"].pk,
        merchants["磁器口老火锅（示例）"].pk,
    ]
    # About 40 m, 60 m and 5.9 km from 新桥 (haversine on both backends).
    assert [round(km, 1) for _pk, km in nearest] == [0.0, 0.1, 5.9]
    assert not health.engine_marked_down()


def test_nearest_keys_keep_the_querysets_filters(search_backend, merchants):
    shops = Merchant.objects.filter(name__contains="火锅")

    nearest = nearest_keys(shops, origin=XINQIAO)

    assert [pk for pk, _km in nearest] == [
        merchants["新桥火锅（示例）"].pk,
        merchants["磁器口老火锅（示例）"].pk,
    ]


def test_engine_documents_of_located_models_carry_a_geo_point(search_backend, merchants):
    if search_backend != "engine":
        pytest.skip("the database backend has no documents")
    backend = health.configured_engine()
    index = backend.get_index_for_model(Merchant)
    # index.name is an alias of the index the rebuild made.
    (mapping,) = (i["mappings"] for i in backend.es.indices.get_mapping(index=index.name).values())
    assert mapping["properties"][LOCATION_FIELD] == {"type": "geo_point"}
    document = backend.es.get(index=index.name, id=str(merchants["新桥书店（示例）"].pk))
    assert document["_source"][LOCATION_FIELD] == {"lat": 29.5291, "lon": 106.46}
    unlocated = backend.es.get(index=index.name, id=str(merchants["无址火锅（示例）"].pk))
    assert LOCATION_FIELD not in unlocated["_source"]
