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


def _on_word_boundaries(text: str, pattern: re.Pattern) -> list[re.Match]:
    """The pattern's matches that cover one of the segmenter's words (a shorter word inside a
    long one included) or begin and end where its words do."""
    spans = chinese.word_spans(text)
    starts = {start for start, _end in spans}
    ends = {end for _start, end in spans}
    found = []
    position = 0
    while match := pattern.search(text, position):
        span = match.span()
        if span in spans or (span[0] in starts and span[1] in ends):
            found.append(match)
            position = span[1]
        else:
            position = span[0] + 1
    return found


def _marked(text: str, pattern: re.Pattern | None) -> tuple[str, int | None]:
    """The text with its terms marked, and where the first mark starts."""
    if pattern is None:
        return text, None
    pieces, position = [], 0
    matches = _on_word_boundaries(text, pattern)
    for match in matches:
        pieces += [text[position : match.start()], OPEN, match.group(0), CLOSE]
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), matches[0].start() if matches else None


def mark(text: str, terms) -> SafeString:
    """The whole text, e.g. a title, with every occurrence of the terms marked."""
    return render(_marked(text, _pattern(terms))[0])


def snippet(text: str, terms, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of the text around the first term found, terms marked."""
    text = " ".join(text.split())
    if not text:
        return render("")
    pattern = _pattern(terms)
    _whole, first = _marked(text, pattern)
    start = 0
    if first is not None and first > length // 2:  # bring it to the first third
        start = first - length // 3
    window = text[start : start + length]
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if start + length < len(text) else ""
    return render(prefix + _marked(window, pattern)[0] + suffix)
