"""A query plan answered by the database backend (SQLite FTS5 or PostgreSQL), ranked.

Whole-word matches are ranked by field weight and term frequency, the title's score counting
three times the body's: SQLite's bm25() per column (search.seams.sqlite_fts), PostgreSQL's
ts_rank with the weights modelsearch derives from the fields' boosts
(search.seams.postgres_rank); equal scores go newest first. Texts holding only the query's
characters apart are found separately, unranked, for the "related" list.
"""

from django.db import connection
from django.db.models import QuerySet
from modelsearch.query import And, Or, Phrase, PlainText

from . import chinese
from .health import database_backend
from .query import QueryPlan


def _alternative(words: tuple[str, ...]):
    every_word = PlainText(" ".join(words), operator="and")
    characters = chinese.characters_in_order("".join(words))
    if len(words) == 1 or len(characters) < 2:
        return every_word
    # A run of words must also be a run of characters: 军人 子女 together, in order.
    return And([every_word, Phrase(" ".join(characters))])


def words_query(plan: QueryPlan):
    groups = [
        Or([_alternative(alternative) for alternative in group])
        if len(group) > 1
        else _alternative(group[0])
        for group in plan.groups
    ]
    return And(groups) if len(groups) > 1 else groups[0]


def characters_query(plan: QueryPlan):
    return PlainText(" ".join(plan.characters), operator="and")


def newest_first(pk) -> tuple:
    return (0, -pk) if isinstance(pk, int) else (1, str(pk))


def plan_words(plan: QueryPlan) -> list[str]:
    return [word for group in plan.groups for alternative in group for word in alternative]


def ranked(query, queryset: QuerySet, *, words=()) -> list[tuple[object, float]]:
    """(pk, score) of every match in the queryset, best first; `words` are what PostgreSQL
    ranks by (the plan's words and synonyms)."""
    backend = database_backend()
    if connection.vendor == "sqlite":
        from .seams.sqlite_fts import ranked_matches

        matches = ranked_matches(backend, query, queryset)
    else:
        from .seams.postgres_rank import entry_scores

        found = backend.search(
            query, queryset.only("pk").prefetch_related(None), order_by_relevance=False
        )
        pks = [obj.pk for obj in found]
        scores = entry_scores(queryset.model, [str(pk) for pk in pks], words)
        matches = [(pk, scores.get(str(pk), 0.0)) for pk in pks]
    return sorted(matches, key=lambda match: (-match[1], newest_first(match[0])))


def unranked(query, queryset: QuerySet, limit: int) -> list:
    """Up to `limit` matches, newest first, without ranking (cheap)."""
    return list(database_backend().search(query, queryset, order_by_relevance=False)[:limit])
