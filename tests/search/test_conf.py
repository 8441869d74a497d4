import pytest

from search.conf import search_backends_from_env


def test_database_backend_when_no_engine_is_configured():
    assert search_backends_from_env({})["default"]["BACKEND"] == "wagtail.search.backends.database"


def test_engine_settings_come_from_the_environment():
    backend = search_backends_from_env(
        {
            "SEARCH_URL": "https://es1:9200, https://es2:9200",
            "SEARCH_ENGINE": "elasticsearch8",
            "SEARCH_INDEX": "shuangyong-staging",
        }
    )["default"]
    assert backend["BACKEND"] == "modelsearch.backends.elasticsearch8"
    assert backend["URLS"] == ["https://es1:9200", "https://es2:9200"]
    assert backend["INDEX"] == "shuangyong-staging"
    assert backend["ATOMIC_REBUILD"] is True


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="SEARCH_ENGINE"):
        search_backends_from_env({"SEARCH_URL": "http://x:9200", "SEARCH_ENGINE": "solr"})
