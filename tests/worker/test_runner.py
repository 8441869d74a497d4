"""The worker as production runs it, against the real task queue in the database."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from worker.django_tasks_db import requeue_interrupted_tasks
from worker.runner import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def _status(result) -> str:
    return DBTaskResult.objects.get(pk=result.id).status


def test_queued_tasks_run(queued):
    first, second = queued.record.enqueue("a"), queued.record.enqueue("b")
    run_worker(worker_id="w1", cycles=1)
    assert queued.runs == ["a", "b"]
    assert {_status(first), _status(second)} == {TaskResultStatus.SUCCESSFUL}


def test_a_task_left_running_by_a_dead_worker_runs_again_once_it_is_stale(queued, settings):
    settings.WORKER_STALE_AFTER_SECONDS = 600
    result = queued.record.enqueue("orphan")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["dead"]
    )
    run_worker(worker_id="w2", cycles=1)
    assert queued.runs == [], "a task another worker started a moment ago is left to it"

    DBTaskResult.objects.filter(pk=result.id).update(
        started_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    run_worker(worker_id="w2", cycles=1)
    assert queued.runs == ["orphan"] and _status(result) == TaskResultStatus.SUCCESSFUL


def test_failures_of_the_task_itself_stay_failed_and_retries_are_bounded(queued):
    own_failure = queued.record.enqueue("bug")
    DBTaskResult.objects.filter(pk=own_failure.id).update(
        status=TaskResultStatus.FAILED, exception_class_path="builtins.ValueError"
    )
    worn_out = queued.record.enqueue("worn out")
    DBTaskResult.objects.filter(pk=worn_out.id).update(
        status=TaskResultStatus.FAILED,
        exception_class_path="django.db.utils.OperationalError",
        worker_ids=["w"] * 5,
    )
    database_blip = queued.record.enqueue("blip")
    DBTaskResult.objects.filter(pk=database_blip.id).update(
        status=TaskResultStatus.FAILED,
        exception_class_path="django.db.utils.OperationalError",
        worker_ids=["w"],
    )
    assert (
        requeue_interrupted_tasks(
            worker_id="w3", stale_after=datetime.timedelta(minutes=10), max_attempts=5
        )
        == 1
    )
    assert _status(database_blip) == TaskResultStatus.READY
    assert _status(own_failure) == _status(worn_out) == TaskResultStatus.FAILED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ends a PostgreSQL session")
def test_the_worker_survives_losing_the_database_mid_task_and_carries_on(queued, caplog):
    lost = queued.lose_the_database_once.enqueue("lost")
    after = queued.record.enqueue("after")
    run_worker(worker_id="w4", cycles=3)

    assert queued.runs == ["lost", "lost", "after"]
    assert _status(lost) == _status(after) == TaskResultStatus.SUCCESSFUL
    warnings = [r.getMessage() for r in caplog.records if r.name == "worker.runner"]
    assert any("lost the database" in message for message in warnings)
    assert not any(r.exc_info for r in caplog.records if r.name == "worker.runner")
