"""A query plan answered by the engine (Elasticsearch 8/9, OpenSearch 2/3), composed with
elasticsearch.dsl and sent through the configured Wagtail backend's own client.

Scores: Wagtail's fields with the boosted ones (titles, names) counting three times, so a
title holding the word ranks first; when the query has several words, texts holding them as
one run rank above texts holding them apart.
"""

from elasticsearch.dsl import Q, Search

from . import chinese
from .backends import LOCATION_FIELD
from .query import QueryPlan
from .seams.engine_filters import engine_filter

# Wagtail's catch-all field, and the ones for boosted fields such as titles.
WORD_FIELDS = ["_all_text", "_all_text_boost_*^3"]
PHRASE_BOOST = 2


def _every_word(words) -> Q:
    return Q("multi_match", query=" ".join(words), fields=WORD_FIELDS, operator="and")


def _phrase(characters, **options) -> Q:
    return Q(
        "multi_match", query=" ".join(characters), fields=WORD_FIELDS, type="phrase", **options
    )


def _alternative(words: tuple[str, ...]) -> Q:
    characters = chinese.characters_in_order("".join(words))
    if len(words) == 1 or len(characters) < 2:
        return _every_word(words)
    # A run of words must also be a run of characters: 军人 子女 together, in order.
    return Q("bool", must=[_every_word(words), _phrase(characters)])


def words_query(plan: QueryPlan) -> Q:
    groups = [
        Q(
            "bool",
            should=[_alternative(alternative) for alternative in group],
            minimum_should_match=1,
        )
        for group in plan.groups
    ]
    whole = chinese.characters_in_order("".join(plan.words))
    should = [_phrase(whole, boost=PHRASE_BOOST)] if len(plan.groups) > 1 else []
    return Q("bool", must=groups, should=should)


def characters_query(plan: QueryPlan) -> Q:
    return _every_word(plan.characters)


def index_names(backend, types) -> str:
    return ",".join(dict.fromkeys(backend.get_index_for_model(t.model).name for t in types))


def _type_filter(filters: dict[str, Q], keys) -> Q:
    return Q("bool", should=[Q("bool", filter=[filters[key]], _name=key) for key in keys])


def search(backend, plan, types, selected, start, stop):
    """([(type, id)] of the page, total, counts by type key, [(type, id)] related)."""
    filters = {t.key: engine_filter(backend, t.queryset()) for t in types}
    by_key = {t.key: t for t in types}
    query = Q("bool", must=[words_query(plan)], filter=[_type_filter(filters, filters)])
    boosts = [
        {"filter": filters[t.key].to_dict(), "weight": t.boost} for t in types if t.boost != 1
    ]
    if boosts:
        query = Q("function_score", query=query, functions=boosts, boost_mode="multiply")
    found = Search().query(query)
    if selected:
        found = found.post_filter(_type_filter(filters, selected))
    found.aggs.bucket("types", "filters", filters=filters)
    found = found.source(False).extra(track_total_hits=True)[start:stop]
    response = backend.query_engine(index=index_names(backend, types), body=found.to_dict())
    hits = [(by_key[hit["matched_queries"][0]], hit["_id"]) for hit in response["hits"]["hits"]]
    buckets = response["aggregations"]["types"]["buckets"]
    counts = {key: buckets[key]["doc_count"] for key in filters}
    return hits, response["hits"]["total"]["value"], counts


def related(backend, plan, types, limit):
    """[(type, id)]: texts holding the query's characters apart (no text holds the words)."""
    filters = {t.key: engine_filter(backend, t.queryset()) for t in types}
    by_key = {t.key: t for t in types}
    query = Q("bool", must=[characters_query(plan)], filter=[_type_filter(filters, filters)])
    found = Search().query(query).source(False)[:limit]
    response = backend.query_engine(index=index_names(backend, types), body=found.to_dict())
    return [(by_key[hit["matched_queries"][0]], hit["_id"]) for hit in response["hits"]["hits"]]


def _keys_of(queryset, response) -> list:
    to_key = queryset.model._meta.pk.to_python
    return [to_key(hit["_id"]) for hit in response["hits"]["hits"]]


def _all_within(backend, queryset, query: Q, **sort) -> dict:
    """Every hit of the query among the queryset's objects. The queryset's keys are read from
    the database, so any filter a listing uses holds (an engine filter knows only indexed
    field lookups); one query of keys, and a listing's querysets are small."""
    keys = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    found = Search().query(Q("bool", must=[query], filter=[Q("ids", values=keys)]))
    if sort:
        found = found.sort(sort)
    index = backend.get_index_for_model(queryset.model).name
    return backend.query_engine(index=index, body=found.source(False)[: len(keys)].to_dict())


def matching_keys(backend, plan, queryset) -> list:
    """Keys of the queryset's objects holding the plan's words, best first."""
    return _keys_of(queryset, _all_within(backend, queryset, words_query(plan)))


def nearest_keys(backend, queryset, origin) -> list[tuple[object, float]]:
    """[(key, km)] of the queryset's objects with a location, nearest first."""
    response = _all_within(
        backend,
        queryset,
        Q("exists", field=LOCATION_FIELD),
        _geo_distance={
            LOCATION_FIELD: {"lat": origin[0], "lon": origin[1]},
            "order": "asc",
            "unit": "km",
            "distance_type": "arc",
        },
    )
    distances = [hit["sort"][0] for hit in response["hits"]["hits"]]
    return list(zip(_keys_of(queryset, response), distances, strict=True))
