import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from wagtail.models import Page, Site, WorkflowContentType

from services.conf import private_storage_from_env

# What the migrations made (root page, home page, site, groups, workflow), for tests that
# run in real transactions: those end with a flush, and restore this copy when they start.
# Django's own serialized_rollback cannot serve: once Playwright runs an event loop in this
# thread, Django hands out a fresh connection object that lacks its copy.
MIGRATED_DATA: dict[str, str] = {}
# Recreated by the post_migrate signal after a flush, under new keys: referred to by natural key.
RECREATED_AFTER_FLUSH = {"contenttypes.ContentType", "auth.Permission"}
# Keyed by a content type's own key, which a flush changes: kept by the type's natural key.
KEYED_BY_CONTENT_TYPE = "wagtailcore.WorkflowContentType"
WORKFLOW_TYPES: list[tuple[tuple[str, str], int]] = []


def _migrated_rows():
    # In dependency order, so rows referred to by natural key are restored first.
    app_list = [(app_config, None) for app_config in apps.get_app_configs()]
    for model in serializers.sort_dependencies(app_list, allow_cycles=True):
        meta = model._meta
        skipped = RECREATED_AFTER_FLUSH | {KEYED_BY_CONTENT_TYPE}
        if meta.managed and not meta.proxy and meta.label not in skipped:
            yield from model._base_manager.order_by("pk")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        MIGRATED_DATA["default"] = serializers.serialize(
            "json", _migrated_rows(), use_natural_foreign_keys=True
        )
        WORKFLOW_TYPES[:] = [
            (assigned.content_type.natural_key(), assigned.workflow_id)
            for assigned in WorkflowContentType.objects.select_related("content_type")
        ]


@pytest.fixture
def migrated_data(transactional_db):
    call_command("flush", interactive=False, reset_sequences=False, verbosity=0)
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in serializers.deserialize("json", MIGRATED_DATA["default"]):
            row.save()
        for natural_key, workflow_id in WORKFLOW_TYPES:
            WorkflowContentType.objects.create(
                content_type=ContentType.objects.get_by_natural_key(*natural_key),
                workflow_id=workflow_id,
            )


@pytest.fixture(autouse=True)
def _no_output(capsys):
    """A test fails if the code under test prints: output belongs in logs, never in stdout."""
    yield
    out, err = capsys.readouterr()
    assert not out and not err, f"unexpected output: {out!r} {err!r}"


@pytest.fixture(autouse=True)
def _isolated_storage_and_cache(settings, tmp_path):
    """Fresh media folders and caches: rendition and rate-limit caches must not leak between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVICES_PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_storage_from_env({}, root=settings.SERVICES_PRIVATE_ROOT),
    }
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def home_page(db):
    """The HomePage that the data migration made the root of the default site."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def demo_site(db):
    """The whole demo site, loaded by the same command `make run` uses."""
    call_command("load_demo_content", stdout=io.StringIO())
    return Page.objects.live()
