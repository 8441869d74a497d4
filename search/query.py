"""A query as the backends receive it: words, their synonyms, and the characters apart.

One plan serves both backends: search.engine turns it into modelsearch query objects for the
database and into elasticsearch.dsl queries for the engine, so synonyms and ranking tiers
behave the same on both.
"""

from dataclasses import dataclass

from django.core.cache import cache

from . import chinese

SYNONYMS_CACHE_KEY = "search:synonyms"
SYNONYMS_CACHE_SECONDS = 300


@dataclass(frozen=True)
class QueryPlan:
    text: str
    # One group per query word; a group holds the word and its synonyms, each segmented.
    # A text matches the whole-word tier when every group has an alternative whose words
    # it contains.
    groups: tuple[tuple[tuple[str, ...], ...], ...]
    # Every character of the query's words: texts holding them apart form the lower tier.
    characters: tuple[str, ...]
    synonyms: tuple[str, ...]

    def __bool__(self):
        return bool(self.groups)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple("".join(group[0]) for group in self.groups)

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """What a snippet marks, longest first so 退役军人 wins over 军人."""
        return tuple(sorted({*self.words, *self.synonyms}, key=lambda term: (-len(term), term)))


def synonym_table() -> dict[str, tuple[str, ...]]:
    """Each term (lower case) → the other terms of its synonym sets."""

    def load():
        from .models import Synonym

        table: dict[str, list[str]] = {}
        for synonym in Synonym.objects.all():
            terms = [term.lower() for term in synonym.term_list()]
            for term in terms:
                table.setdefault(term, []).extend(other for other in terms if other != term)
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


def plan_query(text: str) -> QueryPlan:
    text = " ".join(text.split())[: chinese.MAX_QUERY_LENGTH]
    words = chinese.query_words(text)
    runs = _synonym_runs(synonym_table()) if words else {}
    longest = max((len(run) for run in runs), default=1)
    groups, synonyms = [], []
    position = 0
    while position < len(words):
        # A synonym term may span several of the query's words (jieba splits 小候鸟): the
        # longest run of words that is a term becomes one group.
        for length in range(min(longest, len(words) - position), 0, -1):
            run = tuple(words[position : position + length])
            if length == 1 or run in runs:
                break
        alternatives = [run]
        for other in runs.get(run, ()):
            segmented = tuple(chinese.query_words(other))
            if segmented and segmented not in alternatives:
                alternatives.append(segmented)
                synonyms.append(other)
        groups.append(tuple(alternatives))
        position += len(run)
    return QueryPlan(
        text=text,
        groups=tuple(groups),
        characters=tuple(chinese.characters(words)),
        synonyms=tuple(dict.fromkeys(synonyms)),
    )
