"""A query as the backends receive it: word groups, their synonyms, and the characters apart.

One plan serves both backends: search.database_search turns it into modelsearch query objects
and search.engine_search into elasticsearch.dsl queries, so synonyms, phrases and the
separate list of character-only matches behave the same on both.
"""

from dataclasses import dataclass

from django.core.cache import cache

from . import chinese

SYNONYMS_CACHE_KEY = "search:synonyms:v2"
SYNONYMS_CACHE_SECONDS = 300

# Words people add to a question that no page holds as content (怎么申请军娃托管 → 申请 军娃
# 托管). Dropped unless the query has nothing else.
QUESTION_WORDS = frozenset(
    "怎么 怎样 怎么样 如何 为何 为什么 什么 哪些 哪里 哪儿 哪个 在哪 多少 几 吗 呢 吧 啊 呀 嘛 "
    "的 了 请问 需要 要 能 能否 可以 可否 是否 是 有 没有 在 去 到 我 我们 你 您 想 应该 该 "
    "办 一下".split()
)


@dataclass(frozen=True)
class QueryPlan:
    text: str
    # One group per content word (or run of words); a group holds the word and its synonyms,
    # each as the segmenter cuts it. An alternative of several words is a phrase: its words
    # must stand together, in order. A text is a whole-word match when every group has an
    # alternative it holds.
    groups: tuple[tuple[tuple[str, ...], ...], ...]
    # Every character of the content words: texts holding only these, apart, are offered as a
    # separate "related" list, never counted with whole-word matches.
    characters: tuple[str, ...]
    synonyms: tuple[str, ...]

    def __bool__(self):
        return bool(self.groups)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple("".join(group[0]) for group in self.groups)

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """What a snippet marks: each alternative whole (托管站, never a lone 站), longest
        first so 退役军人 wins over 军人."""
        terms = {"".join(alternative) for group in self.groups for alternative in group}
        return tuple(sorted(terms, key=lambda term: (-len(term), term)))


def synonym_table() -> dict[str, tuple[str, ...]]:
    """Each term (lower case) → the terms a query for it also finds."""

    def load():
        from .models import Synonym

        table: dict[str, list[str]] = {}
        for synonym in Synonym.objects.all():
            for term, others in synonym.expansions().items():
                table.setdefault(term.lower(), []).extend(other.lower() for other in others)
        return {term: tuple(dict.fromkeys(others)) for term, others in table.items()}

    return cache.get_or_set(SYNONYMS_CACHE_KEY, load, SYNONYMS_CACHE_SECONDS)


def forget_synonyms(**kwargs) -> None:
    """Signal receiver: an editor changed a synonym set."""
    cache.delete(SYNONYMS_CACHE_KEY)


def _synonym_runs(table: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """The synonym table keyed by each term as the segmenter cuts it: 小候鸟 → (小, 候鸟)."""
    runs: dict[tuple[str, ...], list[str]] = {}
    for term, others in table.items():
        segmented = tuple(chinese.query_words(term))
        if segmented:
            runs.setdefault(segmented, []).extend(others)
    return {run: tuple(dict.fromkeys(others)) for run, others in runs.items()}


def _content_runs(text: str) -> list[list[str]]:
    """The query's content words, in runs of words that stood together: question words and
    spaces end a run. A lone character the segmenter left (托管站 → 托管, 站) joins its
    neighbour as one phrase, so 站 alone is never a word of the query."""
    chunks = [chinese.query_words(chunk) for chunk in text.split()]
    words = [word for chunk in chunks for word in chunk]
    keep_all = all(word in QUESTION_WORDS for word in words)
    runs = []
    for chunk in chunks:
        run: list[str] = []
        for word in chunk:
            if word in QUESTION_WORDS and not keep_all:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(word)
        if run:
            runs.append(run)
    return runs


def _units(run: list[str]) -> list[tuple[str, ...]]:
    units: list[list[str]] = []
    for word in run:
        single = len(word) == 1 and chinese.HAN.match(word)
        if single and units:
            units[-1].append(word)
        elif (
            units
            and len(units[-1]) == 1
            and len(units[-1][0]) == 1
            and chinese.HAN.match(units[-1][0])
        ):
            units[-1].append(word)  # a lone first character joins the word after it
        else:
            units.append([word])
    return [tuple(unit) for unit in units]


def plan_query(text: str) -> QueryPlan:
    text = " ".join(text.split())[: chinese.MAX_QUERY_LENGTH]
    runs = _content_runs(text)
    table = _synonym_runs(synonym_table()) if runs else {}
    longest = max((len(run) for run in table), default=1)
    groups, synonyms, seen, content = [], [], set(), []
    for run in runs:
        content.extend(run)
        position = 0
        while position < len(run):
            # A synonym term may span several of the query's words (jieba splits 小候鸟): the
            # longest run of words that is a term becomes one group.
            for length in range(min(longest, len(run) - position), 0, -1):
                words = tuple(run[position : position + length])
                if words in table:
                    units = [words]
                    break
            else:
                units = _units(run[position:])[:1]
            unit = units[0]
            position += len(unit)
            if unit in seen:
                continue
            seen.add(unit)
            alternatives = [unit]
            for other in table.get(unit, ()):
                segmented = tuple(chinese.query_words(other))
                if segmented and segmented not in alternatives:
                    alternatives.append(segmented)
                    synonyms.append(other)
            groups.append(tuple(alternatives))
    return QueryPlan(
        text=text,
        groups=tuple(groups),
        characters=tuple(chinese.characters(content)),
        synonyms=tuple(dict.fromkeys(synonyms)),
    )
