"""The search functions apps and views call: search_public() over every type apps registered,
search_queryset() over any indexed queryset (staff searches pass their own scope),
matching_keys() and nearest_keys() for apps that filter or order their own listings.

With an engine configured and serving, the engine answers; without one, while it is down,
or until it has replayed the updates it missed, the database answers the same query plan and
the outcome says so (`degraded`). Only texts holding every query word (or a synonym of it)
as a whole word are results and are counted; when none does, texts holding only the query's
characters apart are offered separately, as `related`.
"""

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.safestring import SafeString

from . import database_search, engine_search, highlight
from .documents import text_of, title_of
from .geo import distance_km
from .health import (
    ENGINE_ERRORS,
    configured_engine,
    engine_behind,
    engine_marked_down,
    engine_serves_searches,
    mark_engine_down,
)
from .loading import loaded
from .query import QueryPlan, plan_query
from .registry import SearchType, public_type, public_types, public_types_for_use, url_of

RESULTS_PER_PAGE = 10
RELATED_RESULTS = 10


@dataclass(frozen=True)
class Result:
    type: SearchType
    object: object
    url: str
    title: SafeString
    snippet: SafeString


@dataclass(frozen=True)
class Facet:
    type: SearchType
    count: int


@dataclass(frozen=True)
class Outcome:
    plan: QueryPlan
    page: PaginatorPage  # its object_list holds the Results of this page
    facets: tuple[Facet, ...]
    # Texts holding the query's characters apart, only when no text holds its words.
    related: tuple[Result, ...] = ()
    # True while the database answers in place of the engine.
    degraded: bool = False

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def results(self) -> list[Result]:
        return self.page.object_list


@dataclass(frozen=True)
class _Found:
    hits: list  # [(type, pk)] of the page, in order
    total: int
    counts: dict
    related: list  # [(type, pk)]
    # (type key, str(pk)) → the object's own model, where the database's index entry said it.
    models: dict = dataclasses.field(default_factory=dict)


def _database_found(plan, types, selected, start, stop) -> _Found:
    found = database_search.matches(
        database_search.words_query(plan),
        [t.queryset() for t in types],
        words=database_search.plan_words(plan),
    )
    counts = Counter(types[index].key for index, _pk, _score, _model in found)
    merged = sorted(
        (
            (types[index], pk, score * types[index].boost, model)
            for index, pk, score, model in found
            if selected is None or types[index].key in selected
        ),
        key=lambda hit: (-hit[2], database_search.newest_first(hit[1])),
    )
    models = {(t.key, str(pk)): model for t, pk, _score, model in merged[start:stop]}
    related = []
    chosen = [t for t in types if selected is None or t.key in selected]
    if not found and chosen:
        loose = database_search.matches(
            database_search.characters_query(plan), [t.queryset() for t in chosen]
        )
        # By type, newest first within each.
        loose.sort(key=lambda hit: (hit[0], database_search.newest_first(hit[1])))
        related = [(chosen[index], pk) for index, pk, _score, _model in loose[:RELATED_RESULTS]]
        models = {(chosen[i].key, str(pk)): m for i, pk, _s, m in loose[:RELATED_RESULTS]}
    hits = [(t, pk) for t, pk, _score, _model in merged[start:stop]]
    return _Found(hits, len(merged), dict(counts), related, models)


def _engine_found(backend, plan, types, selected, start, stop) -> _Found:
    hits, total, counts = engine_search.search(backend, plan, types, selected, start, stop)
    related = []
    if not any(counts.values()):
        chosen = [t for t in types if selected is None or t.key in selected]
        related = engine_search.related(backend, plan, chosen, RELATED_RESULTS)
    return _Found(hits, total, counts, related)


def _answered(on_engine, on_database) -> tuple[object, bool]:
    """on_engine(backend) while the engine serves, else on_database(); and whether the
    database answered in place of a configured engine."""
    backend = configured_engine()
    if backend is not None:
        if engine_behind() and not engine_marked_down():
            from .indexing import request_catch_up

            request_catch_up()  # in-process tasks replay at once; a worker soon
        if engine_serves_searches():
            try:
                return on_engine(backend), False
            except ENGINE_ERRORS as error:
                mark_engine_down(error)
    return on_database(), backend is not None


def _run(plan, types, selected, start, stop) -> tuple[_Found, bool]:
    return _answered(
        lambda backend: _engine_found(backend, plan, types, selected, start, stop),
        lambda: _database_found(plan, types, selected, start, stop),
    )


def _results(hits, plan: QueryPlan, models: dict) -> tuple[Result, ...]:
    terms = plan.highlight_terms
    return tuple(
        Result(
            type=t,
            object=obj,
            url=t.url(obj),
            title=highlight.mark(title_of(obj), terms),
            snippet=highlight.snippet(text_of(obj), terms),
        )
        for t, obj in loaded(hits, models)
    )


def _outcome(plan, types, selected, page_number, per_page) -> Outcome:
    try:
        number = max(1, int(page_number))
    except (TypeError, ValueError):
        number = 1
    found, degraded = _Found([], 0, {}, []), False
    if plan:
        start = (number - 1) * per_page
        found, degraded = _run(plan, types, selected, start, start + per_page)
        if not found.hits and found.total and start >= found.total:  # past the last page
            number = math.ceil(found.total / per_page)
            start = (number - 1) * per_page
            found, degraded = _run(plan, types, selected, start, start + per_page)
    page = Paginator(range(found.total), per_page).get_page(number)
    page.object_list = list(_results(found.hits, plan, found.models))
    facets = tuple(Facet(t, found.counts[t.key]) for t in types if found.counts.get(t.key))
    return Outcome(
        plan=plan,
        page=page,
        facets=facets,
        related=_results(found.related, plan, found.models),
        degraded=degraded,
    )


def search_public(query: str, *, types=(), page=1, per_page=RESULTS_PER_PAGE) -> Outcome:
    """The public search over every type apps registered. `types` (keys) narrows the results
    shown; the facets still count every type, to switch to them."""
    selected = {key for key in types if public_type(key)} or None
    plan = plan_query(query)
    types = public_types_for_use() if plan else public_types()
    return _outcome(plan, types, selected, page, per_page)


def search_queryset(
    queryset: QuerySet, query: str, *, page=1, per_page=20, url=url_of, label=None
) -> Outcome:
    """Search within any queryset of an indexed model, e.g. what a staff member may see."""
    model = queryset.model
    search_type = SearchType(
        key=model._meta.label_lower,
        label=label or model._meta.verbose_name,
        model=model,
        queryset=lambda: queryset,
        url=url,
    )
    return _outcome(plan_query(query), (search_type,), None, page, per_page)


def matching_keys(queryset: QuerySet, query: str) -> list:
    """The keys of the queryset's objects holding every word of the query (or a synonym) as a
    whole word, as search_public() counts results; best first. For listings that combine a
    keyword with filters of their own."""
    plan = plan_query(query)
    if not plan:
        return []
    keys, _degraded = _answered(
        lambda backend: engine_search.matching_keys(backend, plan, queryset),
        lambda: _database_matching_keys(plan, queryset),
    )
    return keys


def _database_matching_keys(plan, queryset: QuerySet) -> list:
    found = database_search.ranked(
        database_search.words_query(plan), queryset, words=database_search.plan_words(plan)
    )
    return [pk for pk, _score in found]


def nearest_keys(queryset: QuerySet, *, origin: tuple[float, float]) -> list[tuple[object, float]]:
    """[(key, distance in km)] of the queryset's objects that have a location (latitude and
    longitude), nearest first: the engine's geo_distance sort while it serves, else computed
    here. Keys, not objects, so a listing loads only the page it shows."""
    origin = (float(origin[0]), float(origin[1]))

    def on_database():
        rows = queryset.values_list("pk", "latitude", "longitude")
        located = [
            (pk, distance_km(origin, (float(latitude), float(longitude))))
            for pk, latitude, longitude in rows
            if latitude is not None and longitude is not None
        ]
        return sorted(located, key=lambda pair: pair[1])

    keys, _degraded = _answered(
        lambda backend: engine_search.nearest_keys(backend, queryset, origin),
        on_database,
    )
    return keys
