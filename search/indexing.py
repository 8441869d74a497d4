"""Keeping the indexes in step with the database, without a save ever waiting on the engine.

Every save or delete of an indexed object enqueues update_search_index once the transaction
commits, once per object however many times it was saved in that transaction. A revision
saved without publishing changes nothing a search shows, so it enqueues nothing. The task
updates the database backend, then the engine; if the engine fails, is known to be down, or
has lost its index, the object is recorded in PendingIndexUpdate instead, and catch_up()
replays those records once the engine answers again (a task, `manage.py search_catch_up`, and
the button on the index status page). An index is never created by an update: a missing one
waits for `manage.py rebuild_search_index`, which creates it with the Chinese analysis.
modelsearch's own signal handlers are switched off (AUTO_UPDATE False in search.conf).
An update of something the public search finds, and a catch-up, start a new page-cache
generation once they are in, so no search kept meanwhile outlives them.
"""

import logging
import threading

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task
from modelsearch.backends import get_search_backends
from modelsearch.index import get_indexed_instance, get_indexed_models
from wagtail.models import COMMENTS_RELATION_NAME
from wagtail.signals import post_page_move

from home.page_cache import page_content_changed

from . import health
from .registry import public_types, reindex_triggers

logger = logging.getLogger(__name__)

# Which indexed models a save of this concrete model changes (a proxy such as
# services.IndexedServiceRequest is saved through its concrete model).
_INDEXED_BY_SENDER: dict[type, list[str]] = {}
# The fields Wagtail writes when it saves a revision (of a page or a snippet) without
# publishing it: none of them is searched, and the live content has not changed.
REVISION_BOOKKEEPING = frozenset(
    {
        COMMENTS_RELATION_NAME,
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)
CATCH_UP_QUEUED_KEY = "search:catch-up-queued"
CATCH_UP_QUEUED_SECONDS = 60


def _label(model) -> str:
    return model._meta.label_lower


def _object(model_label: str, object_id: str):
    """The object as it should be indexed now, or None if it is gone or not indexable."""
    model = apps.get_model(model_label)
    instance = model._default_manager.filter(pk=object_id).first()
    return get_indexed_instance(instance) if instance is not None else None


def _apply(backend, model_label: str, object_id: str, obj) -> None:
    model = apps.get_model(model_label)
    if getattr(backend, "is_engine", False):
        index = backend.get_index_for_model(model)
        # The engine would create a missing index on the first document, with mappings
        # guessed from it (no Chinese analysis): refuse, and leave it to a rebuild.
        if not backend.es.indices.exists(index=index.name):
            raise health.EngineIndexMissing(f"index {index.name} is missing: rebuild needed")
    if obj is not None:
        backend.add(obj)
    else:
        backend.delete(model(pk=object_id))


def _record_pending(model_label: str, object_id: str, error: Exception) -> None:
    from .models import PendingIndexUpdate

    now = timezone.now()
    description = f"{type(error).__name__}: {str(error)[:300]}"
    pending, created = PendingIndexUpdate.objects.get_or_create(
        model_label=model_label,
        object_id=object_id,
        defaults={"last_error": description, "created_at": now, "updated_at": now},
    )
    if not created:
        PendingIndexUpdate.objects.filter(pk=pending.pk).update(
            attempts=pending.attempts + 1, last_error=description, updated_at=now
        )


def _engine_failed(error: Exception) -> None:
    if isinstance(error, health.EngineIndexMissing):
        logger.warning("Search engine index missing, update kept pending: %s", error)
        health.mark_engine_behind()
    else:
        health.mark_engine_down(error)


def _searches_show_changed(model_label: str) -> None:
    """A search kept by the page cache between a publication and its index update would go on
    showing the index as it was: once the update is in, kept pages are rendered afresh. Only
    for what the public search finds (a family's request, indexed for staff, changes nothing
    a kept page shows)."""
    model = apps.get_model(model_label)
    if any(issubclass(model, search_type.model) for search_type in public_types()):
        page_content_changed()


@task()
def update_search_index(model_label: str, object_id: str) -> None:
    """Index (or remove) one object in every backend; never fails because of the engine."""
    obj = _object(model_label, object_id)
    _update_every_backend(model_label, object_id, obj)
    _searches_show_changed(model_label)


def _update_every_backend(model_label: str, object_id: str, obj) -> None:
    from .models import PendingIndexUpdate

    for backend in get_search_backends():
        if not getattr(backend, "is_engine", False):
            _apply(backend, model_label, object_id, obj)
            continue
        if health.engine_marked_down():
            _record_pending(model_label, object_id, RuntimeError("engine marked down"))
            health.mark_engine_behind()
            continue
        try:
            _apply(backend, model_label, object_id, obj)
        except (*health.ENGINE_ERRORS, health.EngineIndexMissing) as error:
            _engine_failed(error)
            _record_pending(model_label, object_id, error)
            continue
        PendingIndexUpdate.objects.filter(model_label=model_label, object_id=object_id).delete()
        if PendingIndexUpdate.objects.exists():
            request_catch_up()  # the engine answers again: replay what it missed
        elif health.engine_behind():
            health.mark_engine_caught_up()


@task()
def catch_up_search_index() -> int:
    return catch_up()


def request_catch_up() -> None:
    """Queue one catch-up, not one per search or save while the engine is behind."""
    if cache.add(CATCH_UP_QUEUED_KEY, True, CATCH_UP_QUEUED_SECONDS):
        catch_up_search_index.enqueue()


def catch_up(limit: int | None = None) -> int:
    """Replay the updates the engine missed, oldest first; stop at the first failure. Once
    none is left the engine serves searches again. Returns how many were applied."""
    from .models import PendingIndexUpdate

    cache.delete(CATCH_UP_QUEUED_KEY)
    backend = health.configured_engine()
    if backend is None:
        return 0
    health.allow_engine_retry()  # try for real, whatever the last failure said
    applied, failed = 0, False
    pending = PendingIndexUpdate.objects.order_by("created_at", "pk")
    for update in pending[:limit] if limit else pending:
        try:
            obj = _object(update.model_label, update.object_id)
        except LookupError:  # a model that no longer exists: nothing to index
            update.delete()
            continue
        try:
            _apply(backend, update.model_label, update.object_id, obj)
        except (*health.ENGINE_ERRORS, health.EngineIndexMissing) as error:
            _engine_failed(error)
            _record_pending(update.model_label, update.object_id, error)
            failed = True
            break
        # Delete only the row we replayed: a newer failure for the object made a new one.
        PendingIndexUpdate.objects.filter(pk=update.pk, updated_at=update.updated_at).delete()
        applied += 1
    if applied:
        backend.refresh_indexes()
        page_content_changed()  # searches kept while the engine was behind
    left = PendingIndexUpdate.objects.count()
    if not failed and not left:
        health.mark_engine_caught_up()
    if applied or left:
        logger.info("Search catch-up: %d pending index updates applied, %d left", applied, left)
    return applied


class _EnqueuedThisCommit(threading.local):
    def __init__(self):
        self.keys: set[tuple[str, str]] = set()


_enqueued = _EnqueuedThisCommit()


def _enqueue(model_label: str, object_id) -> None:
    """One index update per object and commit: a request saved and given its history row in
    one transaction is indexed once. A transaction's on-commit callbacks run together, right
    at its commit, before this thread changes anything else; so the keys enqueued by them are
    forgotten at the next change, and a rolled-back transaction leaves nothing behind.

    Robust: a database lost right after the commit costs this update (logged; `update_index`
    restores it), never the answer to the change that was stored, such as a family's
    reference."""
    _enqueued.keys.clear()
    key = (model_label, str(object_id))
    # A lambda, not a partial: Django names a failed robust callback by its __qualname__.
    transaction.on_commit(lambda: _enqueue_once(key), robust=True)


def _enqueue_once(key: tuple[str, str]) -> None:
    if key not in _enqueued.keys:
        _enqueued.keys.add(key)
        update_search_index.enqueue(*key)


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loading fixtures
        return
    if update_fields and set(update_fields) <= REVISION_BOOKKEEPING:
        return  # a draft saved without publishing
    for model_label in _INDEXED_BY_SENDER.get(sender, ()):
        _enqueue(model_label, instance.pk)


def _on_delete(sender, instance, **kwargs):
    for model_label in _INDEXED_BY_SENDER.get(sender, ()):
        _enqueue(model_label, instance.pk)


def _on_page_move(sender, instance, **kwargs):
    """A move rewrites the paths of the page and all below it without saving them."""
    for page in instance.get_descendants(inclusive=True).specific(defer=True):
        _enqueue(_label(type(page)), page.pk)


def _trigger_receiver(trigger):
    def receiver(sender, instance, created=False, raw=False, **kwargs):
        if raw:
            return
        for model, object_id in trigger.targets(instance, created):
            _enqueue(_label(model), object_id)

    return receiver


_TRIGGER_RECEIVERS = []


def connect_signals() -> None:
    for model in get_indexed_models():
        if not getattr(model, "search_auto_update", True):
            continue
        sender = model._meta.concrete_model
        _INDEXED_BY_SENDER.setdefault(sender, []).append(_label(model))
    for sender in _INDEXED_BY_SENDER:
        post_save.connect(_on_save, sender=sender, dispatch_uid=f"search-save-{_label(sender)}")
        post_delete.connect(
            _on_delete, sender=sender, dispatch_uid=f"search-delete-{_label(sender)}"
        )
    post_page_move.connect(_on_page_move, dispatch_uid="search-page-move")
    for number, trigger in enumerate(reindex_triggers()):
        receiver = _trigger_receiver(trigger)
        _TRIGGER_RECEIVERS.append(receiver)  # signals hold receivers weakly
        post_save.connect(receiver, sender=trigger.sender, dispatch_uid=f"search-trigger-{number}")
