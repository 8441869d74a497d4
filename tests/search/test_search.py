"""What people searching the site get, on the database backend and on the engine alike."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from honours.factories import HonourEntryPageFactory, HonourRollPageFactory
from merchants.factories import MerchantFactory, OfferFactory
from search import api, stats
from search.models import Synonym, ZeroResultDailyHits
from search.suggestions import suggest

from .conftest import rebuild

pytestmark = pytest.mark.django_db


def titles(outcome):
    return [result.object.title for result in outcome.results]


def test_a_chinese_word_finds_the_pages_that_contain_it(search_backend, article):
    article(title="国防教育进校园活动启动", summary="秋季学期开学，区人武部走进中小学。")
    article(title="退役军人就业招聘会", summary="岗位面向退役军人和随军家属。")
    rebuild()

    assert titles(api.search_public("国防")) == ["国防教育进校园活动启动"]
    assert titles(api.search_public("随军家属")) == ["退役军人就业招聘会"]
    assert titles(api.search_public("校园")) == ["国防教育进校园活动启动"]
    assert api.search_public("海军").total == 0


def test_whole_words_only_the_characters_apart_are_not_results(search_backend, article):
    article(title="寒假看护服务", summary="军人的孩子放假了，娃娃们由社区照看。")
    article(title="寒假托管", summary="军娃托管站开班。")
    article(title="无关", summary="社区文艺演出。")
    rebuild()

    outcome = api.search_public("军娃")
    assert titles(outcome) == ["寒假托管"] and outcome.total == 1
    assert not outcome.related  # offered only when no text holds the word


def test_synonyms_from_the_admin_find_each_other(search_backend, article):
    article(title="关爱军人子女成长", summary="暑期夏令营。")
    rebuild()
    # Not one of the synonyms a new site starts with (军娃 = 军人子女 is).
    assert api.search_public("小候鸟").total == 0

    Synonym.objects.create(terms="小候鸟, 军人子女")
    assert titles(api.search_public("小候鸟")) == ["关爱军人子女成长"]
    assert titles(api.search_public("小候鸟 夏令营")) == ["关爱军人子女成长"]


def test_section_pages_are_shown_as_their_own_models(search_backend, topic, home_page):
    """栏目 holds pages of many models, read in one query for all: each result is its own
    model (a home page, a topic), so its snippet shows that model's own fields."""
    home_page.hero_text = "海防线上的双拥故事。"
    home_page.save()
    topic.summary = "海防知识，一月一讲。"
    topic.save()
    rebuild()

    outcome = api.search_public("海防", types=["page"])
    shown = {type(result.object).__name__: str(result.snippet) for result in outcome.results}
    assert shown.keys() == {"HomePage", "TopicPage"}
    assert "<mark>海防</mark>线上的双拥故事" in shown["HomePage"]
    assert "<mark>海防</mark>知识，一月一讲" in shown["TopicPage"]


def test_results_across_types_with_facet_counts_and_a_type_filter(
    search_backend, article, home_page
):
    article(title="民兵应急排集中训练", summary="基干民兵参加防汛演练。")
    article(title="民兵整组点验", summary="年度民兵整组。")
    roll = HonourRollPageFactory(parent=home_page)
    HonourEntryPageFactory(parent=roll, person_name="李明", citation="优秀民兵，抗洪抢险冲在前。")
    OfferFactory(merchant=MerchantFactory(name="民兵之家茶馆", description="退役民兵开的茶馆"))
    rebuild()

    outcome = api.search_public("民兵")
    assert {facet.type.key: facet.count for facet in outcome.facets} == {
        "article": 2,
        "honour": 1,
        "merchant": 1,
    }
    assert outcome.total == 4

    honours = api.search_public("民兵", types=["honour"])
    assert [r.type.key for r in honours.results] == ["honour"] and honours.total == 1
    # The other types still show their counts, to switch to them.
    assert {facet.type.key: facet.count for facet in honours.facets}["article"] == 2


def test_snippets_mark_the_words_and_escape_everything_else(search_backend, article):
    article(title="国防教育周", summary="<script>alert(1)</script> 学生们学习国防知识。")
    rebuild()

    (result,) = api.search_public("国防").results
    assert "<mark>国防</mark>" in result.title
    assert "<mark>国防</mark>知识" in result.snippet
    assert "&lt;script&gt;" in result.snippet and "<script>" not in result.snippet


def test_results_come_in_pages(search_backend, article):
    for number in range(12):
        article(title=f"双拥共建第{number}期", summary="双拥工作简报。")
    rebuild()

    def search(page):
        return api.search_public("双拥", types=["article"], page=page, per_page=5)

    first, third, beyond = search(1), search(3), search(99)
    assert first.total == 12 and first.page.paginator.num_pages == 3
    assert len(first.results) == 5 and len(third.results) == 2
    assert not set(titles(first)) & set(titles(third))
    assert beyond.page.number == 3


def test_autocomplete_suggests_titles_as_one_types(search_backend, article, client):
    article(title="国防教育进校园活动启动")
    article(title="退役军人就业招聘会")
    rebuild()

    response = client.get(reverse("search_suggest"), {"q": "国防"})
    data = response.json()
    assert data["query"] == "国防"
    assert [s["title"] for s in data["suggestions"]] == ["国防教育进校园活动启动"]
    assert data["suggestions"][0]["type"] == "文章"
    assert client.get(reverse("search_suggest"), {"q": ""}).json()["suggestions"] == []


def test_unpublished_and_private_pages_are_never_found(search_backend, article, indexed):
    draft = article(title="民兵训练计划（草稿）")
    private = article(title="民兵内部通知")
    article(title="民兵训练公告")
    rebuild()
    with indexed():
        draft.unpublish()
        PageViewRestriction.objects.create(page=private, restriction_type="login")

    assert titles(api.search_public("民兵")) == ["民兵训练公告"]
    assert [s.title for s in suggest(query="民兵")] == ["民兵训练公告"]


def test_a_section_under_a_view_restriction_is_found_by_no_type(search_backend, article, topic):
    """Search leaves restricted pages out of every page type itself: the section page (栏目),
    the pages below it, their titles offered while typing."""
    from education.factories import ArticlePageFactory, TopicPageFactory

    private = TopicPageFactory(parent=topic.get_parent(), title="民兵内部专题", slug="internal")
    ArticlePageFactory(parent=private, title="民兵内部通知")
    article(title="民兵训练公告")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    rebuild()

    assert titles(api.search_public("民兵")) == ["民兵训练公告"]
    assert [s.title for s in suggest(query="民兵")] == ["民兵训练公告"]


def test_documents_in_a_restricted_collection_are_not_found(search_backend):
    """A collection under a view restriction hides its documents and those of the collections
    inside it; the documents of other collections are found."""
    root = Collection.get_first_root_node()
    private = root.add_child(name="内部资料")
    inner = private.add_child(name="内部资料（二）")
    open_collection = root.add_child(name="公开资料")
    for title, collection in (
        ("征兵政策问答（内部）", private),
        ("征兵体检须知（内部）", inner),
        ("征兵宣传手册", open_collection),
    ):
        get_document_model().objects.create(
            title=title, collection=collection, file=ContentFile(b"sample", name="sample.txt")
        )
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password="x"
    )
    rebuild()

    assert titles(api.search_public("征兵", types=["document"])) == ["征兵宣传手册"]


def test_a_save_is_found_and_a_delete_is_gone_without_a_rebuild(search_backend, article, indexed):
    rebuild()
    with indexed():
        page = article(title="优待证申领指南")
    assert titles(api.search_public("优待证")) == ["优待证申领指南"]

    with indexed():
        page.title = "优待证办理指南"
        page.save_revision().publish()
    assert titles(api.search_public("办理")) == ["优待证办理指南"]

    with indexed():
        page.delete()
    assert api.search_public("优待证").total == 0


def test_the_search_page(search_backend, article, client):
    article(title="国防教育进校园活动启动", summary="学生们学习国防知识。")
    rebuild()

    html = client.get(reverse("search"), {"q": "国防"}).content.decode()
    assert "“国防”找到 1 条结果" in html
    assert "<mark>国防</mark>教育进校园活动启动" in html
    assert 'aria-label="按类型筛选"' in html and '文章 <span class="count">1</span>' in html
    assert "搜索服务暂时不可用" not in html
    stats.search_events_roll_up()  # as the scheduler, or the editors' report, does
    assert Query.get("国防").hits == 1


def test_nothing_found_offers_help_and_is_recorded_for_editors(search_backend, client, home_page):
    rebuild()

    html = client.get(reverse("search"), {"q": "航母 舰载机"}).content.decode()
    assert "没有找到相关内容" in html
    assert 'href="?q=%E8%88%AA%E6%AF%8D"' in html  # search one of the words
    stats.search_events_roll_up()
    assert ZeroResultDailyHits.objects.get(query=Query.get("航母 舰载机")).hits == 1


def test_editors_promoted_results_come_first(search_backend, article, client):
    guide = article(title="随军家属就业指南")
    rebuild()
    SearchPromotion.objects.create(query=Query.get("就业"), page=guide, description="编辑推荐")

    html = client.get(reverse("search"), {"q": "就业"}).content.decode()
    assert html.index("推荐内容") < html.index("search-results")
    assert "编辑推荐" in html


def test_wagtails_own_search_segments_chinese_too(search_backend, article):
    """The admin's page search goes through the same backends."""
    from wagtail.models import Page

    article(title="国防教育进校园活动启动")
    rebuild()
    assert [page.title for page in Page.objects.live().search("国防")] == ["国防教育进校园活动启动"]


def test_a_moved_page_is_reindexed_with_its_new_place(search_backend, article, topic, indexed):
    from education.factories import TopicPageFactory

    page = article(title="民兵整组通知")
    private = TopicPageFactory(parent=topic.get_parent(), title="内部专题", slug="internal")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    rebuild()
    with indexed():
        page.move(private, pos="last-child")
    assert api.search_public("民兵").total == 0
