import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from wagtail.models import Page, Site

# What the migrations made (root page, home page, site, groups, workflow), for tests that
# run in real transactions: those end with a flush, and restore this copy when they start.
MIGRATED_DATA: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        MIGRATED_DATA["default"] = connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_data(transactional_db):
    """Django's own serialized_rollback cannot be used here: once Playwright runs an event
    loop in this thread, Django hands out a fresh connection object that lacks the copy."""
    # Emptied without post_migrate, which would recreate content types under new keys, and
    # without resetting sequences, which would hand out keys the restored rows hold.
    call_command(
        "flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0
    )
    # Content types first: saving some restored rows looks them up, and would make them anew.
    rows = sorted(
        serializers.deserialize("json", MIGRATED_DATA["default"]),
        key=lambda row: row.object._meta.label != "contenttypes.ContentType",
    )
    ContentType.objects.clear_cache()
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in rows:
            row.save()


@pytest.fixture(autouse=True)
def _no_output(capsys):
    """A test fails if the code under test prints: output belongs in logs, never in stdout."""
    yield
    out, err = capsys.readouterr()
    assert not out and not err, f"unexpected output: {out!r} {err!r}"


@pytest.fixture(autouse=True)
def _isolated_storage_and_cache(settings, tmp_path):
    """Fresh media folder and caches: rendition and rate-limit caches must not leak between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
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
