"""Wagtail search backends that index and query segmented Chinese text.

The database backends (SQLite FTS5, PostgreSQL tsvector) split text at spaces and punctuation
only, so a run of Chinese characters would be one token; these subclasses hand them text that
search.chinese has already segmented. The engine backends do the same for Wagtail's own fields
and add the original title (for autocomplete). search/conf.py names these in
WAGTAILSEARCH_BACKENDS; the modelsearch internals they lean on are in search/seams/.
"""

from copy import deepcopy

from django.db import connection
from modelsearch.backends.database import SearchBackend as modelsearch_database_backend
from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend
from modelsearch.backends.elasticsearch9 import Elasticsearch9SearchBackend
from modelsearch.backends.opensearch3 import OpenSearch3SearchBackend
from modelsearch.utils import deep_update

from .deadline import engine_wait
from .documents import title_of
from .geo import has_location, location_of
from .seams.modelsearch_indexing import (
    SegmentingMapping,
    SegmentingQueriesMixin,
    segmenting_backend_class,
)

# The original title, analysed one character at a time, for autocomplete.
TITLE_FIELD = "_zh_title"
# (latitude, longitude) of models that have both, for nearest-first (search.api.nearest_keys).
LOCATION_FIELD = "_location"

ENGINE_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "analyzer": {
                # Wagtail's fields hold text segmented in Python: split at spaces only.
                "default": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
                # The standard tokenizer makes every Chinese character a token.
                "zh_chars": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase"],
                },
            }
        }
    }
}


# --- Database ------------------------------------------------------------------------------

_DATABASE_CLASSES = {}


def segmented_database_backend(params):
    """The database backend for the configured database (SQLite or PostgreSQL), segmenting.
    modelsearch's own database entry point is a function choosing the class per database
    too; WAGTAILSEARCH_BACKENDS names this one."""
    backend = modelsearch_database_backend(params)
    key = (connection.vendor, type(backend))
    if key not in _DATABASE_CLASSES:
        _DATABASE_CLASSES[key] = segmenting_backend_class(type(backend))
    return _DATABASE_CLASSES[key](params)


# --- Engine --------------------------------------------------------------------------------


class ChineseMapping(SegmentingMapping):
    """Wagtail's document, its text segmented, plus the original title and any location."""

    def get_mapping(self):
        mapping = super().get_mapping()
        mapping["properties"][TITLE_FIELD] = {"type": "text", "analyzer": "zh_chars"}
        if has_location(self.model):
            mapping["properties"][LOCATION_FIELD] = {"type": "geo_point"}
        return mapping

    def get_document(self, obj):
        document = super().get_document(obj)
        document[TITLE_FIELD] = title_of(obj)
        if location := location_of(obj):
            document[LOCATION_FIELD] = {"lat": location[0], "lon": location[1]}
        return document


class _ChineseEngineMixin(SegmentingQueriesMixin):
    mapping_class = ChineseMapping
    is_engine = True

    def __init__(self, params):
        params = dict(params)
        params["INDEX_SETTINGS"] = deep_update(
            deepcopy(ENGINE_INDEX_SETTINGS), params.get("INDEX_SETTINGS", {})
        )
        super().__init__(params)

    def query_engine(self, *, index: str, body: dict) -> dict:
        """One search, waiting no longer than the current request has left (search.deadline)."""
        return self._search_waiting(
            index=index, body=body, seconds=engine_wait(timeout=self.timeout)
        )


class _ElasticsearchClient:
    def _search_waiting(self, *, index, body, seconds):
        return self.es.options(request_timeout=seconds).search(index=index, body=body)


class _OpenSearchClient:
    def _search_waiting(self, *, index, body, seconds):
        return self.es.search(index=index, body=body, request_timeout=seconds)


class Elasticsearch8Backend(_ChineseEngineMixin, _ElasticsearchClient, Elasticsearch8SearchBackend):
    pass


class Elasticsearch9Backend(_ChineseEngineMixin, _ElasticsearchClient, Elasticsearch9SearchBackend):
    pass


class OpenSearch2Backend(_ChineseEngineMixin, _OpenSearchClient, OpenSearch3SearchBackend):
    """modelsearch's opensearch2 backend passes positional arguments that opensearch-py 3
    (the client we install, which serves OpenSearch 2 servers too) refuses; its opensearch3
    backend calls the same APIs by keyword, so OpenSearch 2 goes through it (a seam: see
    tests/search/test_seams.py, which runs it against an OpenSearch 2 node)."""


class OpenSearch3Backend(_ChineseEngineMixin, _OpenSearchClient, OpenSearch3SearchBackend):
    pass
