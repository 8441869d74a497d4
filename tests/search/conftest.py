"""One behavioural suite against both backends: `search_backend` runs each test on the
embedded database backend and on a real OpenSearch node (SEARCH_TEST_URL, which
`make test` starts), each engine test in indexes of its own.

Without SEARCH_TEST_URL the engine half fails in CI and is skipped, with the reason, locally.
"""

import io
import os
import uuid
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from opensearchpy import OpenSearch

from education.factories import ArticlePageFactory, EducationIndexPageFactory, TopicPageFactory
from search import health
from search.conf import DATABASE_BACKEND, FALLBACK, engine_settings


def engine_url() -> str:
    url = os.environ.get("SEARCH_TEST_URL", "")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(
            "SEARCH_TEST_URL is not set: `make test` starts an OpenSearch node and sets it."
        )
    pytest.skip(
        "No search engine: run `make test`, or start one with "
        "`python tools/opensearch/node.py start` and export SEARCH_TEST_URL."
    )


def engine_backends(
    urls: str | list[str], prefix: str, *, replicas: int = 0, timeout: int = 5
) -> dict:
    urls = [urls] if isinstance(urls, str) else urls
    return {
        "default": engine_settings(
            engine="opensearch2", urls=urls, index=prefix, replicas=replicas, timeout=timeout
        ),
        FALLBACK: dict(DATABASE_BACKEND),
    }


def drop_indexes(url: str, prefix: str) -> None:
    client = OpenSearch(hosts=[url], max_retries=0)
    for name in client.indices.get(index=f"{prefix}_*"):
        client.indices.delete(index=name)


@pytest.fixture(params=["database", "engine"])
def search_backend(request, settings):
    """The backend under test: "database" or "engine"."""
    if request.param == "database":
        settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
        yield request.param
        return
    url = engine_url()
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(url, prefix)
    yield request.param
    drop_indexes(url, prefix)


def rebuild() -> None:
    call_command("rebuild_search_index", stdout=io.StringIO())


def refresh() -> None:
    backend = health.configured_engine()
    if backend is not None and not health.engine_marked_down():
        backend.refresh_indexes()


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """`with indexed(): page.save()` — runs the index tasks enqueued on commit, then makes
    the engine's index searchable at once (it refreshes every second on its own)."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        refresh()

    return run


@pytest.fixture
def topic(home_page):
    # A fixed corpus: the home page's own words (国防教育、光荣榜…) are searchable too.
    home_page.hero_text = ""
    home_page.save()
    education = EducationIndexPageFactory(parent=home_page, title="教育栏目")
    return TopicPageFactory(parent=education, title="知识专题", slug="zhishi")


@pytest.fixture
def article(topic):
    """make an article: article(title=..., summary=...)."""

    def make(**fields):
        return ArticlePageFactory(parent=topic, **fields)

    return make
