import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page, Site


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep a copy of what the migrations made (root page, home page, site, groups, workflow).

    Browser tests run in transactions that end with a flush; `serialized_rollback` restores
    this copy for the tests after them. pytest-django does not always take the copy itself.
    """
    with django_db_blocker.unblock():
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


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
