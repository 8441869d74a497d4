import pytest

from . import tasks


@pytest.fixture
def queued(settings):
    """Tasks go to the database queue, as in production, and nothing has run yet."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WORKER_IDLE_SECONDS = 0
    settings.WORKER_PERIODIC_COMMANDS = {}
    tasks.runs.clear()
    return tasks
