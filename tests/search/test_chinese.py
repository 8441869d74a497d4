import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search import chinese, highlight
from search.models import Synonym
from search.query import plan_query


def test_the_domain_dictionary_keeps_the_districts_words_whole():
    assert chinese.query_words("军娃托管") == ["军娃", "托管"]
    assert chinese.query_words("随军家属优待证") == ["随军家属", "优待证"]
    assert {"人武部", "民兵"} <= set(chinese.query_words("人武部组织民兵训练"))
    assert "退役军人" in chinese.query_words("退役军人就业")


def test_queries_lose_punctuation_and_repeats_and_keep_latin_words_whole():
    assert chinese.query_words("“双拥”，双拥！") == ["双拥"]
    assert chinese.characters(chinese.query_words("VR眼镜 2025")) == ["vr", "眼", "镜", "2025"]


def test_the_index_holds_the_shorter_words_inside_long_ones_and_every_character():
    words = chinese.index_words("国防教育进校园")
    assert {"国防", "教育", "国防教育", "校园"} <= set(words)
    text = chinese.index_text("国防教育进校园").split()
    assert text[: len(words)] == words
    assert set("国防教育进校园") <= set(text)
    assert chinese.index_text("") == ""


def test_the_tokenizer_is_loaded_once():
    assert chinese.tokenizer() is chinese.tokenizer()


def test_a_web_process_has_the_dictionary_loaded_before_its_first_request():
    """Loading it takes seconds on a busy machine, and every search in the process would wait."""
    code = (
        "import siteconf.wsgi; from search.seams import jieba_tokenizer as j; print(len(j._loaded))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "siteconf.settings.test"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "1"


@pytest.mark.django_db
def test_a_plan_expands_each_word_with_its_synonyms():
    Synonym.objects.create(terms="军娃，军人子女、军属子女")
    plan = plan_query("  军娃   托管 ")
    assert plan.text == "军娃 托管"
    assert plan.groups == ((("军娃",), ("军人子女",), ("军属", "子女")), (("托管",),))
    assert plan.characters == ("军", "娃", "托", "管")
    assert plan.highlight_terms == ("军人子女", "军属子女", "军娃", "托管")
    assert not plan_query("，。！")


@pytest.mark.django_db
def test_a_synonym_set_needs_two_terms():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Synonym(terms="军娃").full_clean()
    assert Synonym(terms="军娃, 军人子女").term_list() == ["军娃", "军人子女"]


def test_highlights_escape_the_text_before_marking_it():
    assert highlight.mark("<b>国防</b>", ["国防"]) == "&lt;b&gt;<mark>国防</mark>&lt;/b&gt;"
    # The engine's character-by-character marks become one.
    marked = f"{highlight.OPEN}国{highlight.CLOSE}{highlight.OPEN}防{highlight.CLOSE}<i>"
    assert highlight.render(marked) == "<mark>国防</mark>&lt;i&gt;"


def test_a_snippet_is_cut_around_the_first_match():
    text = "开头" * 100 + "优待证办理" + "结尾" * 100
    snippet = highlight.snippet(text, ["优待证"], length=40)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>优待证</mark>办理" in snippet
    assert highlight.snippet("短文本", ["无"]) == "短文本"


ARTICLES = Path(__file__).parents[2] / "demo" / "content" / "articles.json"


def _district_texts() -> list[str]:
    articles = json.loads(ARTICLES.read_text(encoding="utf-8"))
    paragraphs = [
        block["value"]
        for article in articles
        for block in article["body"]
        if block["type"] == "paragraph"
    ]
    return ["".join(paragraphs), "军人子女入学 VR体验，国防教育（2025年）深入学习“双拥”精神！"]


@pytest.mark.parametrize("text", _district_texts(), ids=["articles", "mixed"])
def test_words_found_sentence_by_sentence_are_the_whole_text_s_words(text):
    """Highlights segment only the sentence around a match: that must give the words jieba
    finds in the whole text (it never joins words across spaces or punctuation)."""
    words = chinese.WordSpans(text)
    by_sentence = set().union(*(words.around(start) for start, _end in words.sentences))
    # The whole text's tokens include its spaces and punctuation, which no term matches.
    whole = {(a, b) for a, b in chinese.word_spans(text) if chinese.SENTENCE.fullmatch(text[a:b])}
    assert by_sentence == whole and len(whole) > len(words.sentences)


def test_a_snippet_marks_a_word_that_the_window_cuts_off_from_its_sentence():
    """The window may begin inside a sentence: what is marked there still follows the whole
    sentence's words, not the window's."""
    text = "开头。" * 30 + "请输入学号并确认后，有军人子女入学优待。" + "结尾。" * 30
    snippet = highlight.snippet(text, ["入学"], length=40)
    assert snippet.startswith("…入学号")  # 输入 学号: 入学 is no word there
    assert "<mark>入学</mark>号" not in snippet and "子女<mark>入学</mark>优待" in snippet


def test_a_new_site_starts_with_the_district_s_common_synonyms(db):
    starter = {tuple(synonym.term_list()) for synonym in Synonym.objects.all()}
    assert ("军娃", "军人子女") in starter
    assert any("退伍军人" in terms and "退役军人" in terms for terms in starter)


@pytest.mark.django_db
def test_a_synonym_term_jieba_splits_still_expands():
    # jieba cuts 小候鸟 into 小 and 候鸟; the run of both words is the term.
    Synonym.objects.create(terms="小候鸟, 军人子女")
    plan = plan_query("小候鸟夏令营")
    assert plan.words == ("小候鸟", "夏令营")
    assert plan.groups[0] == (("小", "候鸟"), ("军人子女",))
    assert "军人子女" in plan.synonyms
