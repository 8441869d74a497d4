"""Snippets with the query's words marked, escaped before any <mark> is added.

The engine returns highlights between two private-use characters instead of tags, and the
database path marks text the same way here; render() escapes everything and only then turns
those characters into <mark> elements, so no text from an editor or a visitor reaches the
page as HTML.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def _marked(text: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return text
    return pattern.sub(lambda match: f"{OPEN}{match.group(0)}{CLOSE}", text)


def mark(text: str, terms) -> SafeString:
    """The whole text, e.g. a title, with every occurrence of the terms marked."""
    return render(_marked(text, _pattern(terms)))


def snippet(text: str, terms, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of the text around the first term found, terms marked."""
    text = " ".join(text.split())
    if not text:
        return render("")
    pattern = _pattern(terms)
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.end() > length * 2 // 3:  # bring it to the first third
        start = found.start() - length // 3
    window = text[start : start + length]
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if start + length < len(text) else ""
    return render(prefix + _marked(window, pattern) + suffix)
