"""Keeping the indexes in step with the database, without a save ever waiting on the engine.

Every save or delete of an indexed object enqueues update_search_index once the transaction
commits. The task updates the database backend, then the engine; if the engine fails or is
known to be down, the object is recorded in PendingIndexUpdate instead, and catch_up() replays
those records once the engine answers again (a task, `manage.py search_catch_up`, and the
button on the index status page). modelsearch's own signal handlers are switched off
(AUTO_UPDATE False in search.conf) so that each change is indexed once, here.
"""

import logging

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task
from modelsearch.backends import get_search_backends
from modelsearch.index import get_indexed_instance, get_indexed_models
from wagtail.signals import post_page_move

from . import engine

logger = logging.getLogger(__name__)

# Which indexed models a save of this concrete model changes (a proxy such as
# search.IndexedServiceRequest is saved through its concrete model).
_INDEXED_BY_SENDER: dict[type, list[str]] = {}


def _label(model) -> str:
    return model._meta.label_lower


def _object(model_label: str, object_id: str):
    """The object as it should be indexed now, or None if it is gone or not indexable."""
    model = apps.get_model(model_label)
    instance = model._default_manager.filter(pk=object_id).first()
    return get_indexed_instance(instance) if instance is not None else None


def _apply(backend, model_label: str, object_id: str, obj) -> None:
    if obj is not None:
        backend.add(obj)
    else:
        backend.delete(apps.get_model(model_label)(pk=object_id))


def _record_pending(model_label: str, object_id: str, error: Exception) -> None:
    from .models import PendingIndexUpdate

    now = timezone.now()
    pending, created = PendingIndexUpdate.objects.get_or_create(
        model_label=model_label,
        object_id=object_id,
        defaults={"last_error": str(error)[:1000], "created_at": now, "updated_at": now},
    )
    if not created:
        PendingIndexUpdate.objects.filter(pk=pending.pk).update(
            attempts=pending.attempts + 1, last_error=str(error)[:1000], updated_at=now
        )


@task()
def update_search_index(model_label: str, object_id: str) -> None:
    """Index (or remove) one object in every backend; never fails because of the engine."""
    from .models import PendingIndexUpdate

    obj = _object(model_label, object_id)
    for backend in get_search_backends():
        if not getattr(backend, "is_engine", False):
            _apply(backend, model_label, object_id, obj)
            continue
        if engine.engine_marked_down():
            _record_pending(model_label, object_id, RuntimeError("engine marked down"))
            continue
        try:
            _apply(backend, model_label, object_id, obj)
        except engine.ENGINE_ERRORS as error:
            engine.mark_engine_down(error)
            _record_pending(model_label, object_id, error)
            continue
        PendingIndexUpdate.objects.filter(model_label=model_label, object_id=object_id).delete()
        if PendingIndexUpdate.objects.exists():
            # The engine answers again: replay what it missed.
            catch_up_search_index.enqueue()


@task()
def catch_up_search_index() -> int:
    return catch_up()


def catch_up(limit: int | None = None) -> int:
    """Replay the updates the engine missed, oldest first; stop at the first failure.
    Returns how many were applied."""
    from .models import PendingIndexUpdate

    backend = engine.engine_backend()
    if backend is None:
        return 0
    engine.mark_engine_up()  # try for real, whatever the last failure said
    applied = 0
    pending = PendingIndexUpdate.objects.order_by("created_at", "pk")
    for update in pending[:limit] if limit else pending:
        try:
            _apply(
                backend,
                update.model_label,
                update.object_id,
                _object(update.model_label, update.object_id),
            )
        except engine.ENGINE_ERRORS as error:
            engine.mark_engine_down(error)
            _record_pending(update.model_label, update.object_id, error)
            break
        # Delete only the row we replayed: a newer failure for the object made a new one.
        PendingIndexUpdate.objects.filter(pk=update.pk, updated_at=update.updated_at).delete()
        applied += 1
    if applied:
        backend.refresh_indexes()
        logger.info("Search catch-up: %d pending index updates applied", applied)
    return applied


def _enqueue(model_label: str, object_id) -> None:
    transaction.on_commit(lambda: update_search_index.enqueue(model_label, str(object_id)))


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures
        return
    for model_label in _INDEXED_BY_SENDER.get(sender, ()):
        _enqueue(model_label, instance.pk)


def _on_delete(sender, instance, **kwargs):
    for model_label in _INDEXED_BY_SENDER.get(sender, ()):
        _enqueue(model_label, instance.pk)


def _on_service_request_event(sender, instance, created=False, raw=False, **kwargs):
    """Status changes are UPDATEs without a save(); each one writes a history row."""
    if created and not raw:
        _enqueue("search.indexedservicerequest", instance.service_request_id)


def _on_page_move(sender, instance, **kwargs):
    """A move rewrites the paths of the page and all below it without saving them."""
    for page in instance.get_descendants(inclusive=True).specific(defer=True):
        _enqueue(_label(type(page)), page.pk)


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
    post_save.connect(
        _on_service_request_event,
        sender=apps.get_model("services.ServiceRequestEvent"),
        dispatch_uid="search-service-request-event",
    )
