"""Titles to offer while someone types in the search box."""

from dataclasses import dataclass

from elasticsearch.dsl import Q, Search

from .backends import TITLE_FIELD
from .documents import title_of
from .engine_search import index_names
from .health import (
    ENGINE_ERRORS,
    configured_engine,
    database_backend,
    engine_serves_searches,
    mark_engine_down,
)
from .registry import SearchType, public_types_for_use
from .seams.engine_filters import engine_filter

SUGGESTIONS = 8


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    type: SearchType


def suggest(*, query: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Titles holding what was typed so far."""
    text = " ".join(query.split())[:50]
    if not text:
        return []
    types = public_types_for_use()
    backend = configured_engine()
    if backend is not None and engine_serves_searches():
        try:
            return _suggestions(_engine_hits(backend, types, text, limit))
        except ENGINE_ERRORS as error:
            mark_engine_down(error)
    return _suggestions(_database_hits(types, text, limit))


def _engine_hits(backend, types, text, limit):
    by_key = {t.key: t for t in types}
    named = [Q("bool", filter=[engine_filter(backend, t.queryset())], _name=t.key) for t in types]
    prefix = Q("match_phrase_prefix", **{TITLE_FIELD: {"query": text, "max_expansions": 20}})
    search = Search().query(Q("bool", must=[prefix], filter=[Q("bool", should=named)]))
    response = backend.query_engine(
        index=index_names(backend, types), body=search.source(False)[:limit].to_dict()
    )
    return [(by_key[hit["matched_queries"][0]], hit["_id"]) for hit in response["hits"]["hits"]]


def _database_hits(types, text, limit):
    backend = database_backend()
    hits = []
    for search_type in types:
        found = backend.autocomplete(text, search_type.queryset(), order_by_relevance=False)
        hits.extend((search_type, str(obj.pk)) for obj in found[: limit - len(hits)])
        if len(hits) >= limit:
            break
    return hits


def _suggestions(hits) -> list[Suggestion]:
    loaded = {}
    for search_type in {t.key: t for t, _pk in hits}.values():
        ids = [pk for t, pk in hits if t.key == search_type.key]
        for obj in search_type.queryset().filter(pk__in=ids):
            loaded[(search_type.key, str(obj.pk))] = obj
    return [
        Suggestion(title=title_of(obj), url=t.url(obj), type=t)
        for t, pk in hits
        if (obj := loaded.get((t.key, pk))) is not None
    ]
