"""A task queued with a change stands or falls with it (worker/django_tasks_db.py)."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from worker.django_tasks_db import enqueue_with_transaction

from . import tasks


class RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_takes_a_task_with_the_transaction_or_not_at_all(queued):
    with transaction.atomic():
        enqueue_with_transaction(tasks.record, label="kept")
        # Already a row of this transaction, not a callback waiting for its commit.
        assert DBTaskResult.objects.count() == 1
    with pytest.raises(RolledBack), transaction.atomic():
        enqueue_with_transaction(tasks.record, label="rolled back")
        raise RolledBack
    assert [row.args_kwargs["kwargs"] for row in DBTaskResult.objects.all()] == [{"label": "kept"}]


@pytest.mark.django_db(transaction=True)
def test_a_backend_that_runs_tasks_at_once_runs_them_after_the_commit():
    tasks.runs.clear()
    with transaction.atomic():
        enqueue_with_transaction(tasks.record, label="after")
        assert tasks.runs == []
    with pytest.raises(RolledBack), transaction.atomic():
        enqueue_with_transaction(tasks.record, label="never")
        raise RolledBack
    assert tasks.runs == ["after"]
