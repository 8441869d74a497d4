"""Wagtail search backends that index and query segmented Chinese text.

The database backends (SQLite FTS5, PostgreSQL tsvector) split text at spaces and punctuation
only, so a run of Chinese characters would be one token; these subclasses hand them text that
search.chinese has already segmented. The engine backends do the same for Wagtail's own fields,
and add the original text (for highlighting and autocomplete) and a geo_point where an object
has a location. search/conf.py names these classes in WAGTAILSEARCH_BACKENDS.
"""

from copy import deepcopy

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend_for
from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend
from modelsearch.backends.elasticsearch9 import Elasticsearch9SearchBackend
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseMapping
from modelsearch.backends.opensearch3 import OpenSearch3SearchBackend
from modelsearch.utils import deep_update
from wagtail.search import index

from . import chinese
from .documents import as_text, has_location, location_of, text_of, title_of

# Fields the engine documents carry besides Wagtail's: the original title and text, analysed
# one character at a time (for highlights, phrase matches and autocomplete), and a location.
TITLE_FIELD = "_zh_title"
TEXT_FIELD = "_zh_text"
LOCATION_FIELD = "_location"

ENGINE_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "analyzer": {
                # Wagtail's fields hold text segmented in Python: split at spaces only.
                "default": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
                # The standard tokenizer makes every Chinese character a token, with offsets
                # into the original text, which is what highlighting needs.
                "zh_chars": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase"],
                },
            }
        }
    }
}


def segmented_query(query):
    """Queries typed into Wagtail's admin arrive as strings: segment them the same way."""
    if isinstance(query, str):
        return " ".join(chinese.query_words(query))
    return query


# --- Database ------------------------------------------------------------------------------


def _unwrapped(obj):
    return obj.obj if isinstance(obj, _SegmentedObject) else obj


class _SegmentedValueMixin:
    """The wrapped field's value, segmented once per object: modelsearch reads every field
    three times (for the title, the body and the autocomplete columns)."""

    def get_value(self, obj):
        key = id(obj)
        if key not in self.values:  # the object is kept with its value, so its id stays its own
            text = chinese.index_text(as_text(self.field.get_value(_unwrapped(obj))))
            self.values[key] = (obj, text)
        return self.values[key][1]


class _SegmentedSearchField(_SegmentedValueMixin, index.SearchField):
    def __init__(self, field):
        super().__init__(field.field_name, boost=field.boost, **field.kwargs)
        self.field = field
        self.values = {}


class _SegmentedAutocompleteField(_SegmentedValueMixin, index.AutocompleteField):
    def __init__(self, field):
        super().__init__(field.field_name, **field.kwargs)
        self.field = field
        self.values = {}


class _SegmentedRelatedFields(index.RelatedFields):
    def __init__(self, field):
        super().__init__(field.field_name, [_segmented(sub) for sub in field.fields])

    def get_value(self, obj):
        return super().get_value(_unwrapped(obj))


def _segmented(field):
    if isinstance(field, index.RelatedFields):
        return _SegmentedRelatedFields(field)
    if isinstance(field, index.AutocompleteField):
        return _SegmentedAutocompleteField(field)
    if isinstance(field, index.SearchField):
        return _SegmentedSearchField(field)
    return field


class _SegmentedObject:
    """An object as the database index reads it: the same fields, their text segmented.

    modelsearch's database indexes read an object's search fields through
    obj.get_search_fields() and field.get_value(obj); this view answers both.
    """

    def __init__(self, obj):
        self.obj = obj
        self.pk = obj.pk

    def get_search_fields(self):
        return [_segmented(field) for field in self.obj.get_search_fields()]


class _SegmentingIndexMixin:
    def add_items(self, model, objs):
        super().add_items(model, [_SegmentedObject(obj) for obj in objs])


class _SegmentingQueriesMixin:
    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(segmented_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(segmented_query(query), model_or_queryset, *args, **kwargs)


def _database_backend_class(base):
    attributes = {"__module__": __name__}
    attributes["index_class"] = type(
        f"Chinese{base.index_class.__name__}", (_SegmentingIndexMixin, base.index_class), {}
    )
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteMatchFirstMixin, SQLiteSearchBackend

    if connection.vendor == "sqlite" and issubclass(base, SQLiteSearchBackend):
        for name in ("query_compiler_class", "autocomplete_query_compiler_class"):
            compiler = getattr(base, name)
            attributes[name] = type(
                f"Fast{compiler.__name__}", (SQLiteMatchFirstMixin, compiler), {}
            )
    return type(f"Chinese{base.__name__}", (_SegmentingQueriesMixin, base), attributes)


_DATABASE_CLASSES = {}


def DatabaseBackend(params):
    """The database backend for the configured database (SQLite or PostgreSQL), segmenting.
    A factory named like a class, as modelsearch's own database backend is."""
    backend = database_backend_for(params)
    key = (connection.vendor, type(backend))
    if key not in _DATABASE_CLASSES:
        _DATABASE_CLASSES[key] = _database_backend_class(type(backend))
    return _DATABASE_CLASSES[key](params)


# --- Engine --------------------------------------------------------------------------------


class ChineseMapping(ElasticsearchBaseMapping):
    """Wagtail's document, with its text segmented, plus the original text and a location."""

    def _get_document_field_data(self, field, obj):
        name, value, edgengrams = super()._get_document_field_data(field, obj)
        if isinstance(field, index.SearchField):
            value = chinese.index_text(as_text(value))
        return name, value, edgengrams

    def get_mapping(self):
        mapping = super().get_mapping()
        properties = mapping["properties"]
        properties[TITLE_FIELD] = {"type": "text", "analyzer": "zh_chars"}
        properties[TEXT_FIELD] = {"type": "text", "analyzer": "zh_chars"}
        if has_location(self.model):
            properties[LOCATION_FIELD] = {"type": "geo_point"}
        return mapping

    def get_document(self, obj):
        document = super().get_document(obj)
        document[TITLE_FIELD] = title_of(obj)
        document[TEXT_FIELD] = text_of(obj)
        if location := location_of(obj):
            document[LOCATION_FIELD] = {"lat": location[0], "lon": location[1]}
        return document


class _ChineseEngineMixin(_SegmentingQueriesMixin):
    mapping_class = ChineseMapping
    is_engine = True

    def __init__(self, params):
        params = dict(params)
        params["INDEX_SETTINGS"] = deep_update(
            deepcopy(ENGINE_INDEX_SETTINGS), params.get("INDEX_SETTINGS", {})
        )
        super().__init__(params)


class Elasticsearch8Backend(_ChineseEngineMixin, Elasticsearch8SearchBackend):
    pass


class Elasticsearch9Backend(_ChineseEngineMixin, Elasticsearch9SearchBackend):
    pass


class OpenSearch2Backend(_ChineseEngineMixin, OpenSearch3SearchBackend):
    """modelsearch's opensearch2 backend passes positional arguments that opensearch-py 3
    (the client we install, which serves OpenSearch 2 servers too) refuses; its opensearch3
    backend calls the same APIs by keyword, so OpenSearch 2 goes through it."""


class OpenSearch3Backend(_ChineseEngineMixin, OpenSearch3SearchBackend):
    pass
