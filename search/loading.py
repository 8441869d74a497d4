"""The objects a page of results shows, loaded in as few queries as the database allows.

Every page of every page type comes in one query, each row joined to its own model's table
(Wagtail's specific() reads the base pages, then each model's table: one query per model
shown); each other model comes in one query. The related objects whose text a snippet shows
(an article's tags, a merchant's street) come with them, not one query per result.
"""

import functools
from collections import defaultdict
from functools import reduce
from operator import or_

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Model, Q, prefetch_related_objects
from wagtail.models import Page
from wagtail.search import index

from .registry import SearchType


def loaded(hits, models: dict) -> list[tuple[SearchType, object]]:
    """The objects of [(type, pk)], in order; those gone from the database (or no longer
    visible) since they were indexed are left out. `models` maps (type key, str(pk)) to the
    object's own model, where the database's index entry said it."""
    pages = [(t, pk) for t, pk in hits if issubclass(t.model, Page)]
    others = [(t, pk) for t, pk in hits if not issubclass(t.model, Page)]
    objects = {**_pages(pages, models), **_others(others, models)}
    return [(t, objects[(t.key, str(pk))]) for t, pk in hits if (t.key, str(pk)) in objects]


def _pages(hits, models: dict) -> dict:
    if not hits:
        return {}
    ids: dict = defaultdict(list)
    candidates = {}  # (type key, str(pk)) → the models the page may be, most specific first
    for t, pk in hits:
        ids[t].append(pk)
        own = models.get((t.key, str(pk)))
        known = own is not None and issubclass(own, t.model) and not own._meta.proxy
        candidates[(t.key, str(pk))] = (own,) if known else _concrete_models(t.model)
    # Still visible as its type: the types' querysets, as subqueries of the one query.
    visible = reduce(
        or_, (Q(pk__in=t.queryset().filter(pk__in=keys).values("pk")) for t, keys in ids.items())
    )
    joins = set()
    for model in set().union(*candidates.values()):
        joins.update(_page_joins(model))
    rows = {str(page.pk): page for page in Page.objects.filter(visible).select_related(*joins)}
    objects = {}
    for t, pk in hits:
        page = rows.get(str(pk))
        if page is not None:
            objects[(t.key, str(pk))] = _most_specific(page, candidates[(t.key, str(pk))])
    _prefetch_related(objects.values())
    return objects


def _others(hits, models: dict) -> dict:
    groups: dict = {}
    for t, pk in hits:
        model = models.get((t.key, str(pk)))
        if model is None or not issubclass(model, t.model):  # e.g. a proxy's concrete model
            model = t.model
        groups.setdefault((t.key, model), (t, model, []))[2].append(pk)
    objects = {}
    for t, model, keys in groups.values():
        # A subclass's objects are what the type may show: the search checked them just now.
        queryset = t.queryset() if model is t.model else model._default_manager.all()
        select, prefetch = _related_lookups(model)
        found = queryset.select_related(*select).prefetch_related(*prefetch).filter(pk__in=keys)
        for obj in found:
            objects[(t.key, str(obj.pk))] = obj
    return objects


@functools.cache
def _chain(model: type[Model]) -> tuple[str, ...]:
    """The joins from a base page to a page model's own row: a page model's key is the link to
    its parent model's row, and select_related follows that link back by its query name."""
    if model is Page:
        return ()
    link = model._meta.pk
    return (*_chain(link.related_model), link.related_query_name())


@functools.cache
def _concrete_models(model: type[Model]) -> tuple[type[Model], ...]:
    """The model and every concrete model under it, most specific first."""
    found = [m for m in apps.get_models() if issubclass(m, model) and not m._meta.proxy]
    return tuple(sorted(found, key=lambda m: -len(_chain(m))))


def _page_joins(model: type[Model]) -> list[str]:
    path = "__".join(_chain(model))
    select, _prefetch = _related_lookups(model)
    return ([path] if path else []) + [f"{path}__{name}" if path else name for name in select]


def _most_specific(page: Page, candidates) -> Page:
    """The page as the first of the candidates whose row it has (the joins are already read:
    no query)."""
    for model in candidates:
        obj = page
        try:
            for name in _chain(model):
                obj = getattr(obj, name)
        except ObjectDoesNotExist:
            continue
        return obj
    return page


def _prefetch_related(objects) -> None:
    by_model = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    for model, group in by_model.items():
        _select, prefetch = _related_lookups(model)
        if prefetch:
            prefetch_related_objects(group, *prefetch)


@functools.cache
def _related_lookups(model: type[Model]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(select_related, prefetch_related) names of the relations whose text the model's search
    fields hold."""
    select, prefetch = [], []
    for field in model.get_search_fields():
        if not isinstance(field, index.RelatedFields):
            continue
        try:
            relation = model._meta.get_field(field.field_name)
        except FieldDoesNotExist:  # a method or property: read as it comes
            continue
        if relation.many_to_one or relation.one_to_one:
            select.append(field.field_name)
        else:
            prefetch.append(field.field_name)
    return tuple(select), tuple(prefetch)
