"""Which backends serve a search, and whether the engine is up.

The outage flags live in Django's cache (the database cache in production), so every web
process and worker sees the same state. While the engine is marked down, searches use the
database and index updates are recorded as pending; the engine serves again only once those
pending updates have been replayed (search.indexing.catch_up), so its first answer after an
outage is never one that misses what changed meanwhile.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from elastic_transport import TransportError as ElasticTransportError
from elasticsearch import ApiError as ElasticApiError
from modelsearch.backends import get_search_backend
from opensearchpy.exceptions import OpenSearchException

from .conf import FALLBACK

logger = logging.getLogger(__name__)

# What an unreachable, failing or half-configured engine raises, through either client.
ENGINE_ERRORS = (OpenSearchException, ElasticApiError, ElasticTransportError, OSError)
# Set for SEARCH_ENGINE_DOWN_SECONDS after a failure: searches and index updates skip the
# engine instead of each waiting for its own timeout.
ENGINE_DOWN_KEY = "search:engine-down"
# Set with the above until the pending updates are replayed: the engine does not answer
# searches before that, even once it is reachable again.
ENGINE_BEHIND_KEY = "search:engine-behind"
BEHIND_SECONDS = 7 * 24 * 60 * 60


class EngineIndexMissing(Exception):
    """The engine answers, but an index it should hold is gone: only a rebuild may create it
    (a save must never create one with the default, wrong mappings)."""


def configured_engine():
    """The configured engine backend, or None on the embedded default (the database)."""
    backend = get_search_backend("default")
    return backend if getattr(backend, "is_engine", False) else None


def database_backend():
    """The database backend: the default one, or the fallback kept beside an engine."""
    name = FALLBACK if FALLBACK in settings.WAGTAILSEARCH_BACKENDS else "default"
    return get_search_backend(name)


def engine_marked_down() -> bool:
    return cache.get(ENGINE_DOWN_KEY) is not None


def engine_behind() -> bool:
    """The engine missed updates that are not replayed yet."""
    return cache.get(ENGINE_BEHIND_KEY) is not None


def engine_serves_searches() -> bool:
    return not engine_marked_down() and not engine_behind()


def mark_engine_down(error: Exception) -> None:
    """One log line per failure: no traceback, the error's class and first words."""
    cache.set(ENGINE_DOWN_KEY, _describe(error), settings.SEARCH_ENGINE_DOWN_SECONDS)
    cache.set(ENGINE_BEHIND_KEY, True, BEHIND_SECONDS)
    logger.warning(
        "Search engine failed (%s); using the database for %ss",
        _describe(error),
        settings.SEARCH_ENGINE_DOWN_SECONDS,
    )


def mark_engine_behind() -> None:
    cache.set(ENGINE_BEHIND_KEY, True, BEHIND_SECONDS)


def mark_engine_caught_up() -> None:
    cache.delete_many([ENGINE_DOWN_KEY, ENGINE_BEHIND_KEY])


def allow_engine_retry() -> None:
    """Forget the last failure so the next call tries the engine for real."""
    cache.delete(ENGINE_DOWN_KEY)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error)[:200]}".replace("\n", " ")
