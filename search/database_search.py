"""A query plan answered by the database backend (SQLite FTS5 or PostgreSQL), ranked.

Whole-word matches are ranked by field weight and term frequency, the title's score counting
three times the body's: SQLite's bm25() per column (search.seams.sqlite_fts), PostgreSQL's
ts_rank with the weights modelsearch derives from the fields' boosts
(search.seams.postgres_rank); equal scores go newest first. Texts holding only the query's
characters apart are found separately, unranked, for the "related" list. Either way one query
answers for every type a search covers.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model, QuerySet
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


def matches(
    query, querysets: list[QuerySet], *, words=()
) -> list[tuple[int, object, float, type[Model]]]:
    """(index of the queryset, pk, score, the object's own model) of every match among the
    querysets, in one query, best first; `words` are what the scores rank by (the plan's
    words and synonyms; none: unranked, newest first). An object found by several querysets
    is the first one's. The model is the index entry's (a page's specific class)."""
    backend = database_backend()
    if connection.vendor == "sqlite":
        from .seams.sqlite_fts import matches_across

        rows = matches_across(backend, query, querysets, scored=bool(words))
    else:
        from .seams.postgres_rank import matches_across

        rows = matches_across(backend, query, querysets, words=words)
    found = [
        (
            index,
            querysets[index].model._meta.pk.to_python(object_id),
            score,
            ContentType.objects.get_for_id(content_type).model_class(),
        )
        for index, object_id, score, content_type in rows
    ]
    return sorted(found, key=lambda match: (-match[2], newest_first(match[1])))


def ranked(query, queryset: QuerySet, *, words=()) -> list[tuple[object, float]]:
    """(pk, score) of every match in the queryset, best first."""
    return [(pk, score) for _index, pk, score, _model in matches(query, [queryset], words=words)]
