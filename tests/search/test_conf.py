import pytest

from search.conf import search_backends_from_env


def test_database_backend_when_no_engine_is_configured():
    backends = search_backends_from_env({})
    assert list(backends) == ["default"]
    assert backends["default"]["BACKEND"] == "search.backends.segmented_database_backend"


def test_engine_settings_come_from_the_environment():
    backends = search_backends_from_env(
        {
            "SEARCH_URL": "https://es1:9200, https://es2:9200",
            "SEARCH_ENGINE": "elasticsearch8",
            "SEARCH_INDEX": "shuangyong-staging",
        }
    )
    backend = backends["default"]
    assert backend["BACKEND"] == "search.backends.Elasticsearch8Backend"
    assert backend["URLS"] == ["https://es1:9200", "https://es2:9200"]
    assert backend["INDEX_PREFIX"] == "shuangyong-staging_"
    assert backend["ATOMIC_REBUILD"] is True
    # The database stays indexed too: public search falls back to it.
    assert backends["database"]["BACKEND"] == "search.backends.segmented_database_backend"


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="SEARCH_ENGINE"):
        search_backends_from_env({"SEARCH_URL": "http://x:9200", "SEARCH_ENGINE": "solr"})


def test_replicas_come_from_the_environment_and_default_to_none_for_one_node():
    def replicas(environ):
        backend = search_backends_from_env({"SEARCH_URL": "http://es1:9200", **environ})
        return backend["default"]["INDEX_SETTINGS"]["settings"]["index"]["number_of_replicas"]

    assert replicas({}) == 0, "one node: a replica could never be placed (yellow for ever)"
    assert replicas({"SEARCH_INDEX_REPLICAS": "1"}) == 1
    with pytest.raises(ValueError, match="SEARCH_INDEX_REPLICAS"):
        replicas({"SEARCH_INDEX_REPLICAS": "-1"})
