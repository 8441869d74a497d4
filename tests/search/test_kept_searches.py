"""A repeated search is served from the page cache (home/page_cache.py) without ever being
wrong, and every search served, kept or rendered, is counted in the editors' statistics."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Site

from home.models import SiteContact
from search import health, stats
from search.conf import DATABASE_BACKEND
from search.indexing import update_search_index
from search.models import SearchEvent, ZeroResultDailyHits
from services.factories import StaffFactory

from .conftest import engine_backends, rebuild, refresh

pytestmark = pytest.mark.django_db

NOT_LISTENING = "http://127.0.0.1:9"  # the discard port: nothing answers there


@pytest.fixture(autouse=True)
def site_settings(db):
    """The site settings exist (a fresh site makes them on its first page, which is a change)."""
    return SiteContact.for_site(Site.objects.get(is_default_site=True))


def search(client, query, **params):
    return client.get(reverse("search"), {"q": query, **params})


def kept(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def test_a_kept_search_answers_the_same_results(search_backend, article, client):
    article(title="国防教育进校园活动启动", summary="学生们学习国防知识。")
    rebuild()

    first = search(client, "国防")
    again = search(client, "国防")
    assert not kept(first) and kept(again)
    assert again.content == first.content
    assert "“国防”找到 1 条结果" in again.content.decode()


def test_a_publication_once_indexed_shows_in_the_next_search(
    search_backend, article, client, django_capture_on_commit_callbacks
):
    """Between the publication and its index update (the worker's task) a search is kept
    from the index as it was; the update, once in, ends it."""
    article(title="国防教育进校园活动启动")
    rebuild()
    with django_capture_on_commit_callbacks():  # the commit's index task not run yet
        published = article(title="国防动员演练")
    search(client, "国防")
    stale = search(client, "国防")
    assert kept(stale) and "“国防”找到 1 条结果" in stale.content.decode()

    update_search_index.call(published._meta.label_lower, str(published.pk))
    refresh()
    fresh = search(client, "国防")
    assert not kept(fresh)
    assert "“国防”找到 2 条结果" in fresh.content.decode()
    assert "<mark>国防</mark>动员演练" in fresh.content.decode()


def test_an_edited_promotion_shows_on_a_kept_search(article, client):
    guide = article(title="随军家属就业指南")
    rebuild()
    search(client, "就业")
    SearchPromotion.objects.create(query=Query.get("就业"), page=guide, description="编辑推荐")
    assert "编辑推荐" in search(client, "就业").content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "13812345678"},
        {"q": "查询 SY2026-7K3QX9HM 进度"},
        {"q": "国防", "from": "11010519491231002X"},  # anywhere in the address
    ],
)
def test_a_search_holding_personal_numbers_or_codes_is_never_kept(article, client, params):
    article(title="国防教育进校园活动启动")
    rebuild()
    for _ in range(2):
        response = client.get(reverse("search"), params)
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_degraded_answer_is_never_kept(settings, article, client):
    """While the database stands in for the engine, its notice must not outlive the outage."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    article(title="国防教育进校园活动启动")
    rebuild()
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(NOT_LISTENING, "test-down")
    for _ in range(2):
        response = search(client, "国防")
        html = response.content.decode()
        assert "搜索服务暂时不可用" in html and "“国防”找到 1 条结果" in html
        assert "X-Page-Cache" not in response
    assert health.engine_marked_down()


def test_every_search_served_is_counted_once_kept_or_not(search_backend, article, client):
    article(title="国防教育进校园活动启动")
    rebuild()
    for _ in range(5):
        response = search(client, "国防")
    assert kept(response)
    revalidated = client.get(reverse("search"), {"q": "国防"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert revalidated.status_code == 304  # the reader searched again: counted
    for _ in range(3):
        search(client, "航母 舰载机")
    search(client, "国防", type="article")  # the same search, narrowed: not one of its own
    search(client, "13812345678")  # never counted

    assert stats.search_events_roll_up() == 9
    assert Query.get("国防").hits == 6
    assert Query.get("航母 舰载机").hits == 3
    assert ZeroResultDailyHits.objects.get(query=Query.get("航母 舰载机")).hits == 3
    assert not ZeroResultDailyHits.objects.filter(query=Query.get("国防")).exists()
    assert not SearchEvent.objects.exists()
    assert not Query.objects.filter(query_string__contains="1381234").exists()

    search(client, "国防")  # counted again, once, by the next roll-up
    assert stats.search_events_roll_up() == 1 and Query.get("国防").hits == 7
    assert stats.search_events_roll_up() == 0


def test_the_editors_report_shows_searches_without_the_scheduler(article, client):
    article(title="国防教育进校园活动启动")
    rebuild()
    for query in ("国防", "国防", "航母"):
        search(client, query)

    editor = Client()
    editor.force_login(StaffFactory(permissions=["wagtailsearchpromotions.add_searchpromotion"]))
    html = editor.get(reverse("search_admin:terms")).content.decode()
    rows = {q.query_string: (q.searches, q.misses) for q in stats.search_terms()}
    assert rows == {"国防": (2, 0), "航母": (1, 1)}
    assert html.index("航母") < html.index("国防")  # most misses first


@pytest.mark.parametrize(
    "query",
    [
        "\x00国防\x1f\x7f",
        "国防" * 5000,
        "国防\u202e\u200b",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00 %s {{ q }}",
        "MATCH NEAR(国防 教育) OR *",
    ],
)
def test_hostile_queries_break_nothing_kept_or_counted(article, client, query):
    article(title="国防教育进校园活动启动")
    rebuild()
    for _ in range(2):
        assert search(client, query).status_code == 200
        assert search(client, query, type="article", page="-1").status_code == 200
    stats.search_events_roll_up()
    for text in Query.objects.values_list("query_string", flat=True):
        assert len(text) <= 255 and not any(ord(c) < 32 or ord(c) == 127 for c in text)
    for cache in caches.all():
        cache.clear()
    assert search(client, "国防").status_code == 200
