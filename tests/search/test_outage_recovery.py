"""After an outage the engine serves again only once it has replayed what it missed, and an
index that has gone is never recreated by a save: on the shared node, indexes of its own."""

import logging
import uuid

import pytest
from django.core.cache import cache
from opensearchpy import OpenSearch

from search import api, health, indexing
from search.models import PendingIndexUpdate
from search.status import index_status

from .conftest import drop_indexes, engine_backends, engine_url, rebuild

pytestmark = pytest.mark.django_db


def titles(outcome):
    return sorted(result.object.title for result in outcome.results)


@pytest.fixture
def engine_prefix(settings):
    url = engine_url()
    prefix = f"recovery-{uuid.uuid4().hex[:8]}"
    settings.WAGTAILSEARCH_BACKENDS = engine_backends(url, prefix)
    yield url, prefix
    drop_indexes(url, prefix)


def test_the_engine_serves_again_only_after_the_catch_up(engine_prefix, settings, article, indexed):
    article(title="民兵训练公告")
    rebuild()
    health.mark_engine_down(RuntimeError("示例：引擎停机"))
    with indexed():
        added = article(title="民兵应急演练通知")
    assert PendingIndexUpdate.objects.filter(object_id=str(added.pk)).exists()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    cache.delete(health.ENGINE_DOWN_KEY)  # reachable again; the worker has not run yet
    waiting = api.search_public("民兵")
    assert waiting.degraded  # the database answers, not the engine that lacks the new page
    assert titles(waiting) == ["民兵应急演练通知", "民兵训练公告"]

    assert indexing.catch_up() >= 1
    assert not PendingIndexUpdate.objects.exists()
    caught_up = api.search_public("民兵")
    assert not caught_up.degraded
    assert titles(caught_up) == ["民兵应急演练通知", "民兵训练公告"]


def test_a_save_while_the_index_is_missing_waits_for_a_rebuild(
    engine_prefix, article, django_capture_on_commit_callbacks, caplog
):
    url, prefix = engine_prefix
    article(title="民兵训练公告")
    rebuild()
    client = OpenSearch(hosts=[url], max_retries=0)
    backend = health.configured_engine()
    from wagtail.models import Page

    name = backend.get_index_for_model(Page).name
    for index in client.indices.get(index=f"{prefix}_*"):
        client.indices.delete(index=index)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        article(title="民兵应急演练通知")  # the page and its parent (its child count)
    assert not client.indices.exists(index=name)  # no index made with guessed mappings
    pending = PendingIndexUpdate.objects.count()
    assert pending >= 1
    # One line per failed update, no traceback.
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == pending and not any(record.exc_info for record in warnings)
    assert index_status()["rebuild_needed"]

    fallback = api.search_public("民兵")
    assert fallback.degraded and titles(fallback) == ["民兵应急演练通知", "民兵训练公告"]

    rebuild()
    assert not PendingIndexUpdate.objects.exists()
    restored = api.search_public("民兵")
    assert not restored.degraded
    assert titles(restored) == ["民兵应急演练通知", "民兵训练公告"]


def _queued_index_updates():
    from django_tasks_db.models import DBTaskResult

    return [
        task.args_kwargs["args"]
        for task in DBTaskResult.objects.all()
        if task.task_path.endswith("update_search_index")
    ]


def test_a_draft_saved_without_publishing_is_not_reindexed(
    settings, article, django_capture_on_commit_callbacks
):
    page = article(title="民兵训练公告")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.title = "民兵训练公告（草稿）"
    with django_capture_on_commit_callbacks(execute=True):
        revision = page.save_revision()
    assert _queued_index_updates() == []

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    assert _queued_index_updates() == [["education.articlepage", str(page.pk)]]


def test_a_request_submission_enqueues_one_index_update(
    db, settings, django_capture_on_commit_callbacks
):
    from services.factories import ServiceRequestFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        request = ServiceRequestFactory()  # the request and its first history row
    assert _queued_index_updates() == [["services.indexedservicerequest", str(request.pk)]]
