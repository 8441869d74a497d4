"""The seam with django-tasks-db: its result rows, read and reset here and nowhere else, and
tasks queued in the same transaction as the change they follow.

django-tasks-db leaves a task RUNNING when its worker dies, and marks FAILED a task that lost
the database mid-run; neither is run again. These functions put such tasks back in the queue.
tests/worker/test_contract.py fails loudly if the fields or statuses used here change;
tests/worker/test_queue.py if a task queued in a transaction no longer commits with it.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

# A task that failed only because the database went away may run again; any other failure is
# the task's own and stays failed for staff to read.
DATABASE_ERRORS = (
    "django.db.utils.OperationalError",
    "django.db.utils.InterfaceError",
)


def enqueue_with_transaction(task: Task, **kwargs) -> None:
    """Queues `task` so that it stands or falls with the transaction around the call.

    The database queue takes it inside that transaction: the worker sees it only once the
    transaction commits, and a commit that succeeded leaves it queued even when the database
    goes away the moment after (as a restart does), before any on-commit callback could run.
    Any other backend, such as the immediate one that runs tasks at once, gets it after the
    commit: a task must never see work that may still be rolled back.
    """
    if (
        isinstance(task.get_backend(), DatabaseBackend)
        and transaction.get_connection().in_atomic_block
    ):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs), robust=True)


def requeue_interrupted_tasks(
    *, worker_id: str, stale_after: datetime.timedelta, max_attempts: int
) -> int:
    """Back to the queue: tasks this worker was running when it lost the database, tasks
    RUNNING for longer than `stale_after` (their worker died), and tasks that failed on a
    database error, each while it has had fewer than `max_attempts` runs. Returns how many."""
    now = timezone.now()
    candidates = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING
    ) | DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, exception_class_path__in=DATABASE_ERRORS
    )
    requeued = 0
    for result in candidates.only("id", "status", "started_at", "worker_ids"):
        if len(result.worker_ids) >= max_attempts:
            continue
        if result.status == TaskResultStatus.RUNNING:
            ours = result.worker_ids[-1:] == [worker_id]
            if not ours and result.started_at and result.started_at > now - stale_after:
                continue  # another worker is still on it
        requeued += DBTaskResult.objects.filter(pk=result.pk, status=result.status).update(
            status=TaskResultStatus.READY,
            run_after=now,
            started_at=None,
            finished_at=None,
            exception_class_path="",
            traceback="",
        )
    return requeued
