"""The one module that knows the search engine: queries, facets, highlights, geo, health.

Views and other apps call the public functions (site_search, suggest, search_service_requests,
merchants_near, index_status) and never ask which backend is configured. With an engine
(Elasticsearch 8/9, OpenSearch 2/3) the queries are composed with elasticsearch.dsl and sent
through the configured Wagtail backend's own client, `backend.es`, so one code path serves all
four; without one, or while it is unreachable, the database backend answers the same query plan.

Ranking, on both: texts holding every query word (or one of its synonyms) as a whole word come
first; texts holding only the query's characters apart come after them.
"""

import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.safestring import SafeString
from elastic_transport import TransportError as ElasticTransportError
from elasticsearch import ApiError as ElasticApiError
from elasticsearch.dsl import Q, Search
from modelsearch.backends import get_search_backend
from modelsearch.query import MATCH_ALL, And, Not, Or, PlainText
from opensearchpy.exceptions import OpenSearchException

from . import highlight
from .backends import LOCATION_FIELD, TEXT_FIELD, TITLE_FIELD
from .conf import FALLBACK
from .documents import location_of, text_of, title_of
from .query import QueryPlan, plan_query
from .sources import MERCHANTS, PUBLIC_TYPES, TYPES_BY_KEY, ResultType

logger = logging.getLogger(__name__)

# What an unreachable, failing or half-configured engine raises, through either client.
ENGINE_ERRORS = (OpenSearchException, ElasticApiError, ElasticTransportError, OSError)
# After a failure, searches and index updates skip the engine for this long instead of each
# waiting for its own timeout.
ENGINE_DOWN_KEY = "search:engine-down"
ENGINE_DOWN_SECONDS = 30
# Set with the above for a day: the first search the engine answers after an outage starts
# the catch-up, in case no save and no cron run does it first.
ENGINE_RECOVERY_KEY = "search:engine-recovering"
# A whole-word match scores above any text that holds the characters apart.
WORD_TIER_BOOST = 1000
# Wagtail's catch-all field, and the ones for boosted fields such as titles.
WORD_FIELDS = ["_all_text", "_all_text_boost_*^3"]
RESULTS_PER_PAGE = 10
SUGGESTIONS = 8


@dataclass(frozen=True)
class Result:
    type: ResultType
    object: object
    url: str
    title: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class Facet:
    type: ResultType
    count: int


@dataclass(frozen=True)
class Outcome:
    plan: QueryPlan
    page: PaginatorPage  # its object_list holds the Results of this page
    facets: tuple[Facet, ...]
    # True while the engine is unreachable and the database answered instead.
    degraded: bool = False

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def results(self) -> list[Result]:
        return self.page.object_list


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    type: ResultType


# --- Backends and the engine's state ----------------------------------------------------


def engine_backend():
    """The configured engine backend, or None on the embedded default."""
    backend = get_search_backend("default")
    return backend if getattr(backend, "is_engine", False) else None


def database_backend():
    """The database backend: the default one, or the fallback kept beside an engine."""
    name = FALLBACK if FALLBACK in settings.WAGTAILSEARCH_BACKENDS else "default"
    return get_search_backend(name)


def engine_marked_down() -> bool:
    return cache.get(ENGINE_DOWN_KEY) is not None


def mark_engine_down(error: Exception) -> None:
    logger.warning(
        "Search engine unreachable, using the database for %ss: %s", ENGINE_DOWN_SECONDS, error
    )
    cache.set(ENGINE_DOWN_KEY, str(error)[:300], ENGINE_DOWN_SECONDS)
    cache.set(ENGINE_RECOVERY_KEY, True, 24 * 60 * 60)


def mark_engine_up() -> None:
    cache.delete_many([ENGINE_DOWN_KEY, ENGINE_RECOVERY_KEY])


def _engine_answered() -> None:
    if cache.get(ENGINE_RECOVERY_KEY):
        from .indexing import catch_up_search_index

        cache.delete(ENGINE_RECOVERY_KEY)
        catch_up_search_index.enqueue()


def _index_names(backend, types) -> str:
    names = dict.fromkeys(backend.get_index_for_model(t.model).name for t in types)
    return ",".join(names)


# --- Queries for the engine -------------------------------------------------------------


def _all_words(words) -> Q:
    return Q("multi_match", query=" ".join(words), fields=WORD_FIELDS, operator="and")


def _engine_relevance(plan: QueryPlan) -> Q:
    words = Q(
        "bool",
        must=[
            Q(
                "bool",
                should=[_all_words(alternative) for alternative in group],
                minimum_should_match=1,
            )
            for group in plan.groups
        ],
    )
    characters = _all_words(plan.characters)
    return Q(
        "bool",
        should=[Q("constant_score", filter=words, boost=WORD_TIER_BOOST), words, characters],
        minimum_should_match=1,
    )


def _engine_filter(backend, queryset) -> Q:
    """What a type's queryset allows, translated by Wagtail's own query compiler (live,
    public, content type, listed …), so the engine and the database agree on what is shown."""
    compiler = backend.query_compiler_class(queryset, MATCH_ALL)
    return Q("bool", filter=[Q(clause) for clause in compiler.get_filters()])


def _highlighted(search: Search, plan: QueryPlan) -> Search:
    phrases = [
        Q("match_phrase", **{field: term})
        for term in plan.highlight_terms
        for field in (TITLE_FIELD, TEXT_FIELD)
    ]
    return (
        search.highlight_options(
            pre_tags=[highlight.OPEN],
            post_tags=[highlight.CLOSE],
            highlight_query=Q("bool", should=phrases).to_dict(),
        )
        .highlight(TITLE_FIELD, number_of_fragments=0)
        .highlight(
            TEXT_FIELD,
            fragment_size=highlight.SNIPPET_LENGTH,
            number_of_fragments=1,
            no_match_size=highlight.SNIPPET_LENGTH,
        )
    )


def _engine_search(backend, plan, types, selected, start, stop):
    visible = {t.key: t.queryset() for t in types}
    filters = {key: _engine_filter(backend, queryset) for key, queryset in visible.items()}
    named = [Q("bool", filter=[f], _name=key) for key, f in filters.items()]
    search = Search().query(
        Q(
            "bool",
            must=[_engine_relevance(plan)],
            filter=[Q("bool", should=named, minimum_should_match=1)],
        )
    )
    if selected:
        search = search.post_filter(filters[selected])
    search.aggs.bucket("types", "filters", filters=filters)
    search = _highlighted(search.source(False).extra(track_total_hits=True), plan)[start:stop]
    response = backend.es.search(index=_index_names(backend, types), body=search.to_dict())

    by_key = {t.key: t for t in types}
    hits = [(by_key[hit["matched_queries"][0]], hit) for hit in response["hits"]["hits"]]
    objects = {}
    for result_type in types:
        ids = [hit["_id"] for t, hit in hits if t is result_type]
        if ids:
            for obj in visible[result_type.key].filter(pk__in=ids):
                objects[(result_type.key, str(obj.pk))] = obj
    results = []
    for result_type, hit in hits:
        obj = objects.get((result_type.key, hit["_id"]))
        if obj is None:  # gone from the database since it was indexed
            continue
        marked = hit.get("highlight", {})
        title = marked.get(TITLE_FIELD, [None])[0]
        text = marked.get(TEXT_FIELD, [""])[0]
        results.append(
            Result(
                type=result_type,
                object=obj,
                url=result_type.url(obj),
                title=highlight.render(title) if title else highlight.mark(title_of(obj), ()),
                snippet=highlight.render(text),
            )
        )
    buckets = response["aggregations"]["types"]["buckets"]
    counts = {key: buckets[key]["doc_count"] for key in filters}
    return results, response["hits"]["total"]["value"], counts


# --- Queries for the database -----------------------------------------------------------


def _all_words_text(words) -> PlainText:
    return PlainText(" ".join(words), operator="and")


def _database_queries(plan: QueryPlan):
    """(every word or a synonym of it, every character) as modelsearch query objects."""
    groups = [
        Or([_all_words_text(alternative) for alternative in group])
        if len(group) > 1
        else _all_words_text(group[0])
        for group in plan.groups
    ]
    words = And(groups) if len(groups) > 1 else groups[0]
    return words, _all_words_text(plan.characters)


def _database_tiers(plan: QueryPlan):
    """Whole-word matches, then texts with only the characters: two queries, in that order."""
    words, characters = _database_queries(plan)
    return words, And([characters, Not(words)])


def _database_search(plan, types, selected, start, stop):
    backend = database_backend()
    visible = {t.key: t.queryset() for t in types}
    segments = []
    for tier in _database_tiers(plan):
        for result_type in types:
            # Within a tier, newest first: ranking every match is what makes modelsearch's
            # SQLite search slow, and the tiers carry the relevance that matters most.
            found = backend.search(tier, visible[result_type.key], order_by_relevance=False)
            segments.append((result_type, found, found.count()))
    counts = {t.key: 0 for t in types}
    for result_type, _found, count in segments:
        counts[result_type.key] += count
    chosen = [segment for segment in segments if selected in (None, segment[0].key)]

    picked, skip, wanted = [], start, stop - start
    for result_type, found, count in chosen:
        if len(picked) >= wanted:
            break
        if skip >= count:
            skip -= count
            continue
        picked.extend((result_type, obj) for obj in found[skip : skip + wanted - len(picked)])
        skip = 0
    terms = plan.highlight_terms
    results = [
        Result(
            type=result_type,
            object=obj,
            url=result_type.url(obj),
            title=highlight.mark(title_of(obj), terms),
            snippet=highlight.snippet(text_of(obj), terms),
        )
        for result_type, obj in picked
    ]
    return results, sum(count for *_rest, count in chosen), counts


# --- Running a search -------------------------------------------------------------------


def _run(plan, types, selected, start, stop):
    """(results, total, counts by type key, degraded): the engine if it answers, else the database."""
    backend = engine_backend()
    if backend is not None and not engine_marked_down():
        try:
            found = _engine_search(backend, plan, types, selected, start, stop)
        except ENGINE_ERRORS as error:
            mark_engine_down(error)
        else:
            _engine_answered()
            return (*found, False)
    return (*_database_search(plan, types, selected, start, stop), backend is not None)


def _outcome(plan, types, selected, page_number, per_page) -> Outcome:
    try:
        number = max(1, int(page_number))
    except (TypeError, ValueError):
        number = 1
    if not plan:
        results, total, counts, degraded = [], 0, {}, False
    else:
        start = (number - 1) * per_page
        results, total, counts, degraded = _run(plan, types, selected, start, start + per_page)
        if not results and total and start >= total:  # past the last page: show the last
            number = math.ceil(total / per_page)
            start = (number - 1) * per_page
            results, total, counts, degraded = _run(plan, types, selected, start, start + per_page)
    page = Paginator(range(total), per_page).get_page(number)
    page.object_list = results
    facets = tuple(Facet(t, counts[t.key]) for t in types if counts.get(t.key))
    return Outcome(plan=plan, page=page, facets=facets, degraded=degraded)


def site_search(*, query: str, type_key: str = "", page=1, per_page=RESULTS_PER_PAGE) -> Outcome:
    """The public search: every public type, facet counts by type, one page of results."""
    selected = type_key if type_key in TYPES_BY_KEY else None
    return _outcome(plan_query(query), PUBLIC_TYPES, selected, page, per_page)


def search_service_requests(*, user, query: str, page=1, per_page=20) -> Outcome:
    """Staff search of service requests: only those the user may handle (services' own rule)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from services.selectors import service_requests_visible_to

    from .models import IndexedServiceRequest

    visible = service_requests_visible_to(user=user).values("pk")
    requests = ResultType(
        "service_request",
        _("军属服务申请"),
        "search.IndexedServiceRequest",
        lambda: IndexedServiceRequest.objects.filter(pk__in=visible),
        url=lambda obj: reverse("services_admin:detail", args=[obj.pk]),
    )
    return _outcome(plan_query(query), (requests,), None, page, per_page)


def suggest(*, query: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Titles to offer while someone types: those holding what was typed so far."""
    text = " ".join(query.split())[:50]
    if not text:
        return []
    backend = engine_backend()
    if backend is not None and not engine_marked_down():
        try:
            return _engine_suggest(backend, text, limit)
        except ENGINE_ERRORS as error:
            mark_engine_down(error)
    return _database_suggest(text, limit)


def _engine_suggest(backend, text, limit):
    filters = {t.key: _engine_filter(backend, t.queryset()) for t in PUBLIC_TYPES}
    search = (
        Search()
        .query(
            Q(
                "bool",
                must=[
                    Q("match_phrase_prefix", **{TITLE_FIELD: {"query": text, "max_expansions": 20}})
                ],
                filter=[
                    Q(
                        "bool",
                        should=[Q("bool", filter=[f], _name=key) for key, f in filters.items()],
                    )
                ],
            )
        )
        .source(False)[:limit]
    )
    response = backend.es.search(index=_index_names(backend, PUBLIC_TYPES), body=search.to_dict())
    hits = [
        (TYPES_BY_KEY[hit["matched_queries"][0]], hit["_id"]) for hit in response["hits"]["hits"]
    ]
    return _suggestions(hits)


def _database_suggest(text, limit):
    backend = database_backend()
    hits = []
    for result_type in PUBLIC_TYPES:
        found = backend.autocomplete(text, result_type.queryset(), order_by_relevance=False)
        found = found[: limit - len(hits)]
        hits.extend((result_type, str(obj.pk)) for obj in found)
        if len(hits) >= limit:
            break
    return _suggestions(hits)


def _suggestions(hits) -> list[Suggestion]:
    loaded = {}
    for result_type in {t for t, _pk in hits}:
        ids = [pk for t, pk in hits if t is result_type]
        for obj in result_type.queryset().filter(pk__in=ids):
            loaded[(result_type.key, str(obj.pk))] = obj
    return [
        Suggestion(title=title_of(obj), url=t.url(obj), type=t)
        for t, pk in hits
        if (obj := loaded.get((t.key, pk))) is not None
    ]


# --- Merchants by distance --------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0088


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), as the engine's arc distance computes it."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def merchants_near(*, latitude: float, longitude: float, query: str = "", limit: int = 20):
    """Listed merchants with a location, nearest first, optionally matching a query:
    [(merchant, distance in km)]."""
    origin = (float(latitude), float(longitude))
    plan = plan_query(query) if query.strip() else None
    backend = engine_backend()
    if backend is not None and not engine_marked_down():
        try:
            return _engine_merchants_near(backend, origin, plan, limit)
        except ENGINE_ERRORS as error:
            mark_engine_down(error)
    if plan:
        words, characters = _database_queries(plan)
        merchants = database_backend().search(
            Or([words, characters]), MERCHANTS.queryset(), order_by_relevance=False
        )
    else:
        merchants = MERCHANTS.queryset()
    located = [(m, distance_km(origin, where)) for m in merchants if (where := location_of(m))]
    return sorted(located, key=lambda pair: pair[1])[:limit]


def _engine_merchants_near(backend, origin, plan, limit):
    must = [_engine_relevance(plan)] if plan else []
    search = (
        Search()
        .query(
            Q(
                "bool",
                must=must,
                filter=[
                    _engine_filter(backend, MERCHANTS.queryset()),
                    Q("exists", field=LOCATION_FIELD),
                ],
            )
        )
        .sort(
            {
                "_geo_distance": {
                    LOCATION_FIELD: {"lat": origin[0], "lon": origin[1]},
                    "order": "asc",
                    "unit": "km",
                    "distance_type": "arc",
                }
            }
        )
        .source(False)[:limit]
    )
    response = backend.es.search(index=_index_names(backend, [MERCHANTS]), body=search.to_dict())
    distances = {hit["_id"]: hit["sort"][0] for hit in response["hits"]["hits"]}
    merchants = MERCHANTS.queryset().in_bulk(list(distances), field_name="pk")
    return [
        (merchants[int(pk)], distance) for pk, distance in distances.items() if int(pk) in merchants
    ]


# --- Health -----------------------------------------------------------------------------


def index_status() -> dict:
    """What staff see on the index status page: the backend, its health, its documents and
    the updates waiting for the engine."""
    from .models import PendingIndexUpdate

    pending = PendingIndexUpdate.objects.all()
    status = {
        "engine": False,
        "healthy": True,
        "cluster": None,
        "indexes": [],
        "error": "",
        "pending_count": pending.count(),
        "oldest_pending": pending.order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
    }
    backend = engine_backend()
    if backend is None:
        from wagtail.search.models import IndexEntry

        status["indexes"] = [("database", IndexEntry.objects.count())]
        return status
    status["engine"] = True
    try:
        health = backend.es.cluster.health()
        status["cluster"] = {
            "name": health["cluster_name"],
            "status": health["status"],
            "nodes": health["number_of_nodes"],
        }
        for index in backend.all_indexes():
            exists = backend.es.indices.exists(index=index.name)
            count = backend.es.count(index=index.name)["count"] if exists else None
            status["indexes"].append((index.name, count))
        status["healthy"] = health["status"] in ("green", "yellow")
        mark_engine_up()
    except ENGINE_ERRORS as error:
        status["healthy"] = False
        status["error"] = str(error)[:300]
        mark_engine_down(error)
    return status
