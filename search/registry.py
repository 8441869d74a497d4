"""What each app makes searchable, declared by the app at start-up (its AppConfig.ready).

search/ knows no domain app: an app registers the public querysets it offers (pages, snippets),
the querysets staff may search within their scope, and the saves of other models that change
what one of its indexed objects holds. The search functions read only this registry.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db.models import CharField, Exists, Model, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Length, Substr
from django.utils.functional import Promise
from wagtail.models import (
    Collection,
    CollectionMember,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)


def url_of(obj) -> str:
    url = getattr(obj, "url", None)
    return url if url is not None else obj.get_absolute_url()


@dataclass(frozen=True)
class SearchType:
    """One kind of result: its key in URLs, the label people see, and what may be found."""

    key: str
    label: Promise | str
    model: type[Model]
    # What of this type may be found now; for a staff type, given the user.
    queryset: Callable[..., QuerySet]
    url: Callable[[object], str] = url_of
    # Facets and "all" list the public types by this number, then by registration.
    position: int = 50
    # Multiplies the relevance of this type's results: an app's own judgement of how far its
    # type answers a query (services' guides are where one applies).
    boost: float = 1.0


@dataclass(frozen=True)
class StaffSearchType(SearchType):
    # Who may use this staff search at all (the menu item and the page check it).
    allowed: Callable[[object], bool] = lambda user: False
    # The result table's columns besides the title: (heading, value of an object).
    columns: tuple[tuple[Promise | str, Callable[[object], str]], ...] = ()
    hint: Promise | str = ""  # the search box's label: what can be searched for
    menu_label: Promise | str = ""


@dataclass(frozen=True)
class ReindexTrigger:
    sender: type[Model]
    # (indexed model, primary key) pairs a save of `sender` changes; `created` as in post_save.
    targets: Callable[[object, bool], Iterable[tuple[type[Model], object]]]


_public: dict[str, SearchType] = {}
_staff: dict[str, StaffSearchType] = {}
_triggers: list[ReindexTrigger] = []


def register_public(
    *,
    key: str,
    label: Promise | str,
    model: type[Model],
    queryset: Callable[[], QuerySet],
    url: Callable[[object], str] = url_of,
    position: int = 50,
    boost: float = 1.0,
) -> SearchType:
    """Declare what the public search may find of a model: `queryset()` is evaluated per search
    (live, listed … as the app defines it). What a view restriction hides is left out by the
    search itself (public_types_for_use)."""
    search_type = SearchType(key, label, model, queryset, url, position, boost)
    _public[key] = search_type
    return search_type


def register_staff(
    *,
    key: str,
    label: Promise | str,
    model: type[Model],
    queryset: Callable[[object], QuerySet],
    allowed: Callable[[object], bool],
    url: Callable[[object], str],
    columns: tuple[tuple[Promise | str, Callable[[object], str]], ...] = (),
    hint: Promise | str = "",
    menu_label: Promise | str = "",
) -> StaffSearchType:
    """Declare a staff-only search: `queryset(user)` is what that user may find (the app's own
    scope rule), `allowed(user)` whether the user may search it at all."""
    search_type = StaffSearchType(
        key, label, model, queryset, url, 50, 1.0, allowed, columns, hint, menu_label or label
    )
    _staff[key] = search_type
    return search_type


def reindex_on(
    sender: type[Model], targets: Callable[[object, bool], Iterable[tuple[type[Model], object]]]
) -> None:
    """Declare that a save of `sender` changes indexed objects without saving them (a history
    row written by an UPDATE, say)."""
    _triggers.append(ReindexTrigger(sender, targets))


def public_types() -> tuple[SearchType, ...]:
    order = list(_public)
    return tuple(sorted(_public.values(), key=lambda t: (t.position, order.index(t.key))))


def public_types_for_use() -> tuple[SearchType, ...]:
    """public_types() with their querysets built once for one search, not at every use, and what
    Wagtail's view restrictions hide left out of every type: the pages under a restricted page,
    the documents (any collection member) in a restricted collection. Wagtail's public() reads the
    restrictions each time it filters a queryset; here they are read once for all the types,
    as filters on pages' paths and collection keys that the engine and the database both
    apply."""
    restricted = None
    built = []
    for search_type in public_types():
        queryset = search_type.queryset()
        if issubclass(queryset.model, (Page, CollectionMember)):
            if restricted is None:
                restricted = _restricted()
            kind = "page" if issubclass(queryset.model, Page) else "collection"
            if hidden := restricted.get(kind):
                queryset = queryset.exclude(hidden)
        built.append(replace(search_type, queryset=_fixed(queryset)))
    return tuple(built)


def _restricted() -> dict[str, Q]:
    """{"page": the pages under a view restriction, "collection": the collection members in or
    under a restricted collection}, each present only when there are some; one query."""
    text = CharField()
    pages = PageViewRestriction.objects.values_list(Value("page", output_field=text), "page__path")
    # A collection's path begins with the path of each collection above it.
    under_restriction = CollectionViewRestriction.objects.filter(
        collection__path=Substr(OuterRef("path"), 1, Length("collection__path"))
    )
    collections = (
        Collection.objects.filter(Exists(under_restriction))
        .order_by()
        .values_list(Value("collection", output_field=text), Cast("pk", output_field=text))
    )
    hidden = {}
    for kind, value in pages.union(collections, all=True):
        q = Q(path__startswith=value) if kind == "page" else Q(collection_id=int(value))
        hidden[kind] = hidden.get(kind, Q()) | q
    return hidden


def _fixed(queryset: QuerySet) -> Callable[[], QuerySet]:
    return lambda: queryset


def public_type(key: str) -> SearchType | None:
    return _public.get(key)


def staff_types() -> tuple[StaffSearchType, ...]:
    return tuple(_staff.values())


def staff_type(key: str) -> StaffSearchType | None:
    return _staff.get(key)


def reindex_triggers() -> tuple[ReindexTrigger, ...]:
    return tuple(_triggers)
