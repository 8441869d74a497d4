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
from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.safestring import SafeString
from wagtail.models import Page

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
from .query import QueryPlan, plan_query
from .registry import SearchType, public_type, public_types, url_of

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


def _loaded(hits) -> list[tuple[SearchType, object]]:
    """The objects of [(type, pk)], in order, in their most specific class; those gone from
    the database (or no longer visible) since they were indexed are left out."""
    objects = {}
    for search_type in {t.key: t for t, _pk in hits}.values():
        queryset = search_type.queryset()
        if issubclass(queryset.model, Page):
            queryset = queryset.specific()
        ids = [pk for t, pk in hits if t.key == search_type.key]
        for obj in queryset.filter(pk__in=ids):
            objects[(search_type.key, str(obj.pk))] = obj
    return [(t, objects[(t.key, str(pk))]) for t, pk in hits if (t.key, str(pk)) in objects]


def _database_found(plan, types, selected, start, stop) -> _Found:
    words = database_search.words_query(plan)
    ranked_by = database_search.plan_words(plan)
    per_type = {t.key: database_search.ranked(words, t.queryset(), words=ranked_by) for t in types}
    chosen = [t for t in types if selected is None or t.key in selected]
    merged = sorted(
        ((t, pk, score * t.boost) for t in chosen for pk, score in per_type[t.key]),
        key=lambda hit: (-hit[2], database_search.newest_first(hit[1])),
    )
    counts = {key: len(matches) for key, matches in per_type.items()}
    related = []
    if not any(counts.values()):
        characters = database_search.characters_query(plan)
        for t in chosen:
            found = database_search.unranked(
                characters, t.queryset(), RELATED_RESULTS - len(related)
            )
            related.extend((t, obj.pk) for obj in found)
            if len(related) >= RELATED_RESULTS:
                break
    hits = [(t, pk) for t, pk, _score in merged[start:stop]]
    return _Found(hits, len(merged), counts, related)


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


def _results(hits, plan: QueryPlan) -> tuple[Result, ...]:
    terms = plan.highlight_terms
    return tuple(
        Result(
            type=t,
            object=obj,
            url=t.url(obj),
            title=highlight.mark(title_of(obj), terms),
            snippet=highlight.snippet(text_of(obj), terms),
        )
        for t, obj in _loaded(hits)
    )


def _built_once(types) -> tuple[SearchType, ...]:
    """The types with their querysets built once for this search, not at every use: building
    one can cost a query of its own (Wagtail's public() reads the view restrictions)."""

    def fixed(queryset: QuerySet):
        return lambda: queryset

    return tuple(dataclasses.replace(t, queryset=fixed(t.queryset())) for t in types)


def _outcome(plan, types, selected, page_number, per_page) -> Outcome:
    types = _built_once(types) if plan else types
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
    page.object_list = list(_results(found.hits, plan))
    facets = tuple(Facet(t, found.counts[t.key]) for t in types if found.counts.get(t.key))
    return Outcome(
        plan=plan,
        page=page,
        facets=facets,
        related=_results(found.related, plan),
        degraded=degraded,
    )


def search_public(query: str, *, types=(), page=1, per_page=RESULTS_PER_PAGE) -> Outcome:
    """The public search over every type apps registered. `types` (keys) narrows the results
    shown; the facets still count every type, to switch to them."""
    selected = {key for key in types if public_type(key)} or None
    return _outcome(plan_query(query), public_types(), selected, page, per_page)


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
    # The database backend translates only indexed field lookups (not EXISTS and the like):
    # search the model's index, then keep the queryset's keys.
    within = set(queryset.values_list("pk", flat=True))
    found = database_search.ranked(
        database_search.words_query(plan),
        queryset.model._default_manager.all(),
        words=database_search.plan_words(plan),
    )
    return [pk for pk, _score in found if pk in within]


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
