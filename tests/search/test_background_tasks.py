"""Production queues index updates in the database; a save returns before anything is indexed."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from education.factories import ArticlePageFactory, EducationIndexPageFactory, TopicPageFactory
from search import api
from search.conf import DATABASE_BACKEND


def run_queued_tasks():
    """What `manage.py db_worker` does for each task, without the command's connection
    recycling, which would close the test's transaction."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for task_result in DBTaskResult.objects.ready():
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)


def test_a_save_only_queues_the_index_update_and_the_worker_runs_it(
    settings, home_page, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WAGTAILSEARCH_BACKENDS = {"default": dict(DATABASE_BACKEND)}
    topic = TopicPageFactory(parent=EducationIndexPageFactory(parent=home_page))

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=topic, title="军娃托管站暑期开放")

    assert DBTaskResult.objects.filter(status="READY").exists()
    assert api.search_public("托管站").total == 0  # queued, not yet indexed

    run_queued_tasks()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert api.search_public("托管站").total == 1
