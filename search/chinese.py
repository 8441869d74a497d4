"""Chinese word segmentation for the index and for queries: jieba with the district's own words.

Both search backends index pre-segmented text (words separated by spaces, then every Chinese
character on its own) and receive queries segmented by the same functions, so a word such as
国防 matches 国防教育进校园 on SQLite, PostgreSQL and the engine alike.
"""

import bisect
import re
from pathlib import Path

import jieba

from .seams.jieba_tokenizer import load_tokenizer

DICTIONARY = Path(__file__).with_name("dictionary.txt")
# A token is a run of letters, digits or CJK characters; punctuation and spaces are dropped.
TOKEN = re.compile(r"\w+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Longest query kept, in characters: a pasted paragraph is not a query.
MAX_QUERY_LENGTH = 100
# Runs of text between spaces and punctuation, which jieba segments each on its own: a word
# never crosses them (tests/search/test_chinese.py pins this on the district's articles).
SENTENCE = re.compile(r"[^\s，。！？；：、“”‘’（）《》【】「」『』,!?;:()]+")


def tokenizer() -> jieba.Tokenizer:
    """The shared tokenizer, with the domain dictionary, loaded once on first use (~0.5 s)."""
    return load_tokenizer(DICTIONARY)


def _tokens(pieces) -> list[str]:
    return [piece.lower() for piece in pieces if TOKEN.fullmatch(piece)]


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def query_words(text: str) -> list[str]:
    """The words of a query, in order, without repeats: 退役军人就业 → [退役军人, 就业]."""
    text = text[:MAX_QUERY_LENGTH]
    return _unique(_tokens(tokenizer().cut(text)))


def characters(words: list[str]) -> list[str]:
    """Every Chinese character of the words on its own; other tokens (VR, 2025) stay whole."""
    result = []
    for word in words:
        result.extend(HAN.findall(word) if HAN.search(word) else [word])
    return _unique(result)


def index_words(text: str) -> list[str]:
    """Words for the index: jieba's search mode also emits the shorter words inside long ones
    (国防教育 → 国防, 教育, 国防教育), so a query for either finds it."""
    return _tokens(tokenizer().cut_for_search(text))


def characters_in_order(text: str) -> list[str]:
    """Every Chinese character of the text, in order and repeated as it comes, so a phrase of
    characters (军人子女 as 军 人 子 女) can be matched as a run."""
    return [char for run in TOKEN.findall(text) for char in HAN.findall(run)]


def index_text(text: str) -> str:
    """The text as the backends index it: its words, then its characters in order.

    The words serve whole-word matches; the characters serve phrases (a run of words must be a
    run of characters too) and the separate list of texts that hold a query's characters apart.
    """
    if not text:
        return ""
    return " ".join(index_words(text) + characters_in_order(text))


def word_spans(text: str) -> set[tuple[int, int]]:
    """Where the segmenter's words lie in the text, as (start, end) offsets, the shorter words
    inside long ones included (国防 in 国防教育): the only places a highlight may cover."""
    return {(start, end) for _word, start, end in tokenizer().tokenize(text, mode="search")}


class WordSpans:
    """word_spans() of a long text, read place by place: only the sentence holding a place is
    segmented (once), where segmenting a whole article for one highlight took most of a
    search's time."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = [match.span() for match in SENTENCE.finditer(text)]
        self.starts = [start for start, _end in self.sentences]
        self.segmented: dict[int, set[tuple[int, int]]] = {}

    def around(self, position: int) -> set[tuple[int, int]]:
        """The words of the sentence holding the character at `position` (none between two)."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index < 0 or position >= self.sentences[index][1]:
            return set()
        if index not in self.segmented:
            start, end = self.sentences[index]
            self.segmented[index] = {
                (start + word_start, start + word_end)
                for word_start, word_end in word_spans(self.text[start:end])
            }
        return self.segmented[index]
