"""Search backend settings from the environment.

Imported by the settings module, so it must not import Django models or apps.
"""

from collections.abc import Mapping

ENGINE_BACKENDS = {
    "elasticsearch8": "search.backends.Elasticsearch8Backend",
    "elasticsearch9": "search.backends.Elasticsearch9Backend",
    "opensearch2": "search.backends.OpenSearch2Backend",
    "opensearch3": "search.backends.OpenSearch3Backend",
}
# Segments Chinese for SQLite FTS5 or PostgreSQL, whichever DATABASE_URL names. "simple":
# PostgreSQL must not stem or drop English stop words out of mixed text.
DATABASE_BACKEND = {
    "BACKEND": "search.backends.segmented_database_backend",
    "SEARCH_CONFIG": "simple",
    # search.indexing keeps every backend up to date through its own tasks.
    "AUTO_UPDATE": False,
}
# The database backend's name beside an engine: public search falls back to it while the
# engine is unreachable, so it is kept up to date as well.
FALLBACK = "database"


def search_backends_from_env(environ: Mapping[str, str]) -> dict:
    """The WAGTAILSEARCH_BACKENDS setting: an engine when SEARCH_URL is set, else the database.

    SEARCH_ENGINE picks the engine family (elasticsearch8, elasticsearch9, opensearch2,
    opensearch3); SEARCH_INDEX names the indexes, one set per environment, so staging and
    production can share a cluster (each index is SEARCH_INDEX + "_" + what it holds, e.g.
    shuangyong_wagtailcore_page, an alias swapped atomically on a rebuild).
    SEARCH_INDEX_REPLICAS copies of each shard live on other nodes: 0 for one node (a replica
    could never be placed and the cluster would stay yellow), 1 or more for a cluster, so that
    searches stay complete with a node down.
    """
    url = environ.get("SEARCH_URL")
    if not url:
        return {"default": dict(DATABASE_BACKEND)}
    engine = environ.get("SEARCH_ENGINE", "opensearch2")
    if engine not in ENGINE_BACKENDS:
        raise ValueError(
            f"SEARCH_ENGINE must be one of {', '.join(ENGINE_BACKENDS)}, not {engine!r}"
        )
    return {
        "default": engine_settings(
            engine=engine,
            urls=[u.strip() for u in url.split(",") if u.strip()],
            index=environ.get("SEARCH_INDEX", "shuangyong"),
            timeout=int(environ.get("SEARCH_TIMEOUT", "5")),
            replicas=int(environ.get("SEARCH_INDEX_REPLICAS", "0")),
        ),
        FALLBACK: dict(DATABASE_BACKEND),
    }


def engine_settings(
    *, engine: str, urls: list[str], index: str, timeout: int = 5, replicas: int = 0
) -> dict:
    """One engine backend's settings (WAGTAILSEARCH_BACKENDS["default"])."""
    if replicas < 0:
        raise ValueError(f"SEARCH_INDEX_REPLICAS must be 0 or more, not {replicas}")
    return {
        "BACKEND": ENGINE_BACKENDS[engine],
        "URLS": urls,
        "INDEX_PREFIX": f"{index}_",
        "ATOMIC_REBUILD": True,
        "TIMEOUT": timeout,
        "AUTO_UPDATE": False,
        # A request that fails on one node is tried once on each other node, never again on
        # the same one: with the whole cluster down, the save goes on at once and the update
        # waits in search.PendingIndexUpdate for the catch-up.
        "OPTIONS": {"max_retries": len(urls) - 1},
        # Set when an index is created: a change takes effect with rebuild_search_index
        # (the release step).
        "INDEX_SETTINGS": {"settings": {"index": {"number_of_replicas": replicas}}},
    }
