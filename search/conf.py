"""Search backend settings from the environment.

Imported by the settings module, so it must not import Django models or apps.
"""

from collections.abc import Mapping

ENGINE_BACKENDS = {
    "elasticsearch8": "modelsearch.backends.elasticsearch8",
    "elasticsearch9": "modelsearch.backends.elasticsearch9",
    "opensearch2": "modelsearch.backends.opensearch2",
    "opensearch3": "modelsearch.backends.opensearch3",
}


def search_backends_from_env(environ: Mapping[str, str]) -> dict:
    """The WAGTAILSEARCH_BACKENDS setting: an engine when SEARCH_URL is set, else the database.

    SEARCH_ENGINE picks the engine family (elasticsearch8, elasticsearch9, opensearch2,
    opensearch3); SEARCH_INDEX names the index, one per environment, so staging and
    production can share a cluster.
    """
    url = environ.get("SEARCH_URL")
    if not url:
        return {"default": {"BACKEND": "wagtail.search.backends.database"}}
    engine = environ.get("SEARCH_ENGINE", "opensearch2")
    if engine not in ENGINE_BACKENDS:
        raise ValueError(
            f"SEARCH_ENGINE must be one of {', '.join(ENGINE_BACKENDS)}, not {engine!r}"
        )
    return {
        "default": {
            "BACKEND": ENGINE_BACKENDS[engine],
            "URLS": [u.strip() for u in url.split(",") if u.strip()],
            "INDEX": environ.get("SEARCH_INDEX", "shuangyong"),
            "ATOMIC_REBUILD": True,
            "TIMEOUT": int(environ.get("SEARCH_TIMEOUT", "5")),
            "OPTIONS": {},
        }
    }
