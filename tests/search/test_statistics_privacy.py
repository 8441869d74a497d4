"""What people type into the search box that is theirs alone is never kept in the editors'
search statistics."""

import importlib

import pytest
from django.apps import apps
from wagtail.contrib.search_promotions.models import Query

from search.models import SearchEvent
from search.stats import is_recordable, search_events_roll_up


@pytest.mark.parametrize(
    "query",
    [
        "11010519491231002X",  # an identity number
        "110105 19491231 002X",  # with spaces
        "１１０１０５１９４９１２３１００２Ｘ",  # in full-width digits
        "13812345678",  # a mobile number
        "138.1234.5678",
        "我的手机 139 1234 5678",
        "SY2026-7K3QX9HM",  # a request's reference
        "查询 sy2026-7k3qx9hm 进度",
        "6222021234567890123",  # a bank card
    ],
)
def test_searches_holding_personal_numbers_or_codes_are_not_recorded(client, db, query):
    assert not is_recordable(query)
    client.get("/search/", {"q": query})
    search_events_roll_up()
    assert not Query.objects.exists() and not SearchEvent.objects.exists()


@pytest.mark.parametrize(
    "query", ["军娃托管", "2025年征兵", "兵役登记", "COVID19 防护", "优待证 95折"]
)
def test_ordinary_searches_are_recorded(client, db, query):
    assert is_recordable(query)
    client.get("/search/", {"q": query})
    search_events_roll_up()
    assert Query.objects.get().hits == 1


def test_terms_recorded_before_the_rule_are_forgotten(db):
    """The migration that came with the rule deletes what was kept before it."""
    forget = importlib.import_module("search.migrations.0004_forget_personal_search_terms").forget
    for text in ("11010519491231002X", "SY2026-7K3QX9HM", "军娃托管"):
        Query.get(text).add_hit()
    forget(apps, None)
    assert list(Query.objects.values_list("query_string", flat=True)) == ["军娃托管"]
