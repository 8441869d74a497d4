"""Contract with django-tasks-db: what worker/django_tasks_db.py and worker/runner.py rely on.
If this fails after an upgrade, read the library's changelog before changing the worker."""

from django.core.management import load_command_class
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def test_the_result_rows_hold_what_the_requeue_reads_and_resets():
    fields = {field.name for field in DBTaskResult._meta.get_fields()}
    assert {
        "status", "started_at", "finished_at", "worker_ids", "run_after",
        "exception_class_path", "traceback",
    } <= fields  # fmt: skip
    assert {"READY", "RUNNING", "FAILED", "SUCCESSFUL"} <= set(TaskResultStatus.__members__)


def test_db_worker_takes_the_options_the_runner_passes(queued):
    parser = load_command_class("django_tasks_db", "db_worker").create_parser(
        "manage.py", "db_worker"
    )
    options = vars(
        parser.parse_args(
            ["--batch", "--no-reload", "--no-startup-delay", "--max-tasks", "5", "--worker-id", "w"]
        )
    )
    assert options["batch"] and not options["reload"] and not options["startup_delay"]
    assert options["max_tasks"] == 5 and options["worker_id"] == "w"
