"""Production queues index updates in the database; a save returns before anything is indexed."""

import io

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from education.factories import ArticlePageFactory, EducationIndexPageFactory, TopicPageFactory
from search import engine
from search.conf import DATABASE_BACKEND


def test_a_save_only_queues_the_index_update_and_the_worker_runs_it(
    settings, home_page, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    topic = TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page))

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=topic, title="军娃托管站暑期开放")

    assert DBTaskResult.objects.filter(status="READY").exists()
    assert engine.site_search(query="托管站").total == 0  # queued, not yet indexed

    call_command(
        "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert engine.site_search(query="托管站").total == 1
