"""How our backends hand modelsearch segmented text: the parts of modelsearch they lean on.

Relied on:
- the database indexes read an object's text only through obj.get_search_fields() and
  field.get_value(obj), so a stand-in object whose fields return segmented text is indexed as
  if the object held it (SegmentedObject; it is kept beside its value so id(obj) stays its own);
- the engine mapping builds each field's value in ElasticsearchBaseMapping.
  _get_document_field_data(field, obj) → (name, value, edgengrams);
- a backend's index_class, query_compiler_class and autocomplete_query_compiler_class are
  class attributes that a subclass may replace (segmenting_backend_class builds them).
"""

from django.db import connection
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseMapping
from wagtail.search import index

from .. import chinese
from ..documents import as_text


def segmented_query(query):
    """Queries typed into Wagtail's admin arrive as strings: segment them the same way."""
    if isinstance(query, str):
        return " ".join(chinese.query_words(query))
    return query


def _unwrapped(obj):
    return obj.obj if isinstance(obj, SegmentedObject) else obj


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


class SegmentedObject:
    """An object as the database index reads it: the same fields, their text segmented."""

    def __init__(self, obj):
        self.obj = obj
        self.pk = obj.pk

    def get_search_fields(self):
        return [_segmented(field) for field in self.obj.get_search_fields()]


class _SegmentingIndexMixin:
    def add_items(self, model, objs):
        super().add_items(model, [SegmentedObject(obj) for obj in objs])


class SegmentingQueriesMixin:
    def search(self, query, model_or_queryset, *args, **kwargs):
        return super().search(segmented_query(query), model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        return super().autocomplete(segmented_query(query), model_or_queryset, *args, **kwargs)


def segmenting_backend_class(base):
    """A subclass of modelsearch's database backend class `base` that indexes and queries
    segmented text (and, on SQLite, lets the FTS table drive unranked searches)."""
    attributes = {"__module__": __name__}
    attributes["index_class"] = type(
        f"Chinese{base.index_class.__name__}", (_SegmentingIndexMixin, base.index_class), {}
    )
    if connection.vendor == "sqlite":
        from .sqlite_fts import SQLiteMatchFirstMixin, SQLiteSearchBackend

        if issubclass(base, SQLiteSearchBackend):
            for name in ("query_compiler_class", "autocomplete_query_compiler_class"):
                compiler = getattr(base, name)
                attributes[name] = type(
                    f"Fast{compiler.__name__}", (SQLiteMatchFirstMixin, compiler), {}
                )
    return type(f"Chinese{base.__name__}", (SegmentingQueriesMixin, base), attributes)


class SegmentingMapping(ElasticsearchBaseMapping):
    """Wagtail's engine document with every search field's text segmented."""

    def _get_document_field_data(self, field, obj):
        name, value, edgengrams = super()._get_document_field_data(field, obj)
        if isinstance(field, index.SearchField):
            value = chinese.index_text(as_text(value))
        return name, value, edgengrams
