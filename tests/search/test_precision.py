"""Only texts holding the query's words are results; ranking puts the title first; questions
and phrases are understood: on the database backend and the engine alike (and on PostgreSQL
when `make test` runs the suite on it)."""

import pytest
from django.urls import reverse

from search import api, highlight
from search.models import Synonym
from search.query import plan_query

from .conftest import rebuild

pytestmark = pytest.mark.django_db


def titles(outcome):
    return [result.object.title for result in outcome.results]


def test_characters_apart_are_not_results_and_not_counted(search_backend, article, client):
    article(title="征集老兵故事", summary="兵器知识讲座。")
    article(title="2026年征兵工作启动", summary="适龄青年参加兵役登记。")
    rebuild()

    outcome = api.search_public("征兵", types=["article"])
    assert titles(outcome) == ["2026年征兵工作启动"]
    assert outcome.total == 1 and not outcome.related


def test_when_no_text_holds_the_word_the_characters_apart_are_offered_apart(
    search_backend, article, client
):
    article(title="征集老兵故事", summary="兵器知识讲座。")
    rebuild()

    outcome = api.search_public("征兵")
    assert outcome.total == 0 and titles(outcome) == []
    assert [result.object.title for result in outcome.related] == ["征集老兵故事"]
    html = client.get(reverse("search"), {"q": "征兵"}).content.decode()
    assert "“征兵”找到 0 条结果" in html
    assert "相关内容" in html and "没有内容含有完整的“征兵”" in html


def test_the_page_titled_with_the_word_ranks_first(search_backend, article):
    article(title="冬季拉练纪实", summary="民兵参加拉练，民兵连队表现突出，民兵们不怕苦。")
    article(title="基层动态", summary="社区开展活动，其中有民兵参与。")
    article(title="民兵整组点验", summary="年度点验。")
    rebuild()

    assert titles(api.search_public("民兵", types=["article"]))[0] == "民兵整组点验"


def test_a_phrase_synonym_needs_its_words_together(search_backend, article):
    article(title="暑期关爱军人子女", summary="夏令营。")
    article(title="军人风采", summary="他的子女都在本地上学。")
    rebuild()

    assert titles(api.search_public("军娃", types=["article"])) == ["暑期关爱军人子女"]


def test_a_narrow_word_does_not_widen_to_a_broad_one(search_backend, article):
    article(title="随军家属就业招聘会")
    article(title="春节慰问军属")
    rebuild()

    assert titles(api.search_public("随军家属", types=["article"])) == ["随军家属就业招聘会"]
    assert sorted(titles(api.search_public("军属", types=["article"]))) == [
        "春节慰问军属",
        "随军家属就业招聘会",
    ]


def test_questions_keep_their_content_words(search_backend, article):
    article(title="军娃托管申请指南", summary="寒暑假期间开放。")
    article(title="怎么做好宣传", summary="宣传工作经验。")
    rebuild()

    assert titles(api.search_public("怎么申请军娃托管", types=["article"])) == ["军娃托管申请指南"]


def test_common_words_people_type_find_the_documents_words(search_backend, article):
    article(title="为烈属军属悬挂光荣牌")
    article(title="兵役登记开始了")
    rebuild()

    assert titles(api.search_public("光荣之家", types=["article"])) == ["为烈属军属悬挂光荣牌"]
    assert titles(api.search_public("征兵", types=["article"])) == ["兵役登记开始了"]
    assert titles(api.search_public("军嫂", types=["article"])) == []
    assert "军嫂" in plan_query("军属").synonyms


def test_highlights_stay_on_word_boundaries():
    assert "<mark>" not in highlight.snippet("同学们深入学习国防知识", ["入学"])
    assert highlight.snippet("新生入学", ["入学"]) == "新生<mark>入学</mark>"
    assert highlight.mark("国防教育进校园", ["国防"]) == "<mark>国防</mark>教育进校园"
    plan = plan_query("托管站")
    assert plan.highlight_terms == ("托管站",)
    assert "<mark>" not in highlight.snippet("服务站开放", plan.highlight_terms)


def test_block_labels_are_not_indexed(search_backend, article):
    page = article(title="学习心得")
    page.body = [("heading", {"text": "第一部分", "level": "h2"})]
    page.save()
    rebuild()
    assert api.search_public("二级标题").total == 0


def test_the_service_guides_and_points_are_found(search_backend, home_page):
    from services.models import ServiceGuidePage, ServiceIndexPage, ServicePoint

    index = home_page.add_child(instance=ServiceIndexPage(title="军属服务", slug="services"))
    index.add_child(
        instance=ServiceGuidePage(
            title="军娃托管办事指南",
            slug="childcare",
            request_type="childcare",
            body="<p>申请军娃托管须提交材料。</p>",
        )
    )
    ServicePoint.objects.create(
        name="示例街道军娃托管站", kind="childcare_station", address="示例地址"
    )
    rebuild()

    outcome = api.search_public("军娃托管")
    assert [result.type.key for result in outcome.results][:1] == ["guide"]
    assert outcome.results[0].url == "/services/childcare/"
    assert "service_point" in {facet.type.key for facet in outcome.facets}
    assert api.search_public("申请").results[0].type.key == "guide"


def test_a_one_way_synonym_reads_as_written():
    synonym = Synonym(terms="军属, 军人家属 → 随军家属")
    assert synonym.expansions() == {
        "军属": ["军人家属", "随军家属"],
        "军人家属": ["军属", "随军家属"],
    }
    assert str(synonym) == "军属，军人家属 → 随军家属"
