"""Snippets with the query's words marked, escaped before any <mark> is added.

Marks are placed between two private-use characters first; render() escapes everything and
only then turns those characters into <mark> elements, so no text from an editor or a visitor
reaches the page as HTML. A term is marked only where it lies on the segmenter's word
boundaries: 入学 is not marked inside 深入学习 (深入 学习).
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import chinese

OPEN = "\ue000"
CLOSE = "\ue001"
SNIPPET_LENGTH = 90
ELLIPSIS = "…"


def render(marked: str) -> SafeString:
    # The engine marks a phrase character by character: 国防 comes back as two marks.
    marked = marked.replace(f"{CLOSE}{OPEN}", "")
    html = escape(marked.replace("\n", " ")).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped above; only our own tags are added)


def _pattern(terms) -> re.Pattern | None:
    terms = sorted({term for term in terms if term}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def _on_word_boundaries(
    words: chinese.WordSpans,
    pattern: re.Pattern | None,
    *,
    start: int = 0,
    end: int | None = None,
    first: bool = False,
) -> list[re.Match]:
    """The pattern's matches within text[start:end] that cover one of the segmenter's words (a
    shorter word inside a long one included) or begin and end where its words do; only the
    first one if `first`. The words are those of the whole text, however little is shown."""
    if pattern is None:
        return []
    text = words.text
    end = len(text) if end is None else end
    found = []
    position = start
    while match := pattern.search(text, position, end):
        span = match.span()
        spans = words.around(span[0])
        starts = {word_start for word_start, _word_end in spans}
        ends = {word_end for _word_start, word_end in spans}
        if span in spans or (span[0] in starts and span[1] in ends):
            found.append(match)
            if first:
                break
            position = span[1]
        else:
            position = span[0] + 1
    return found


def _marked(text: str, matches: list[re.Match], start: int, end: int) -> str:
    """text[start:end] with the matches (all within it) marked."""
    pieces, position = [], start
    for match in matches:
        pieces += [text[position : match.start()], OPEN, match.group(0), CLOSE]
        position = match.end()
    pieces.append(text[position:end])
    return "".join(pieces)


def mark(text: str, terms) -> SafeString:
    """The whole text, e.g. a title, with every occurrence of the terms marked."""
    matches = _on_word_boundaries(chinese.WordSpans(text), _pattern(terms))
    return render(_marked(text, matches, 0, len(text)))


def snippet(text: str, terms, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of the text around the first term found, terms marked."""
    text = " ".join(text.split())
    if not text:
        return render("")
    pattern = _pattern(terms)
    words = chinese.WordSpans(text)
    first = _on_word_boundaries(words, pattern, first=True)
    start = 0
    if first and first[0].start() > length // 2:  # bring it to the first third
        start = first[0].start() - length // 3
    end = min(start + length, len(text))
    matches = _on_word_boundaries(words, pattern, start=start, end=end)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return render(prefix + _marked(text, matches, start, end) + suffix)
