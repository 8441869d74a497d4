"""Tasks the worker tests queue: module-level, as django-tasks requires."""

from django.db import connection
from django_tasks import task

runs: list[str] = []


@task()
def record(label: str) -> None:
    runs.append(label)


@task()
def lose_the_database_once(label: str) -> None:
    """Ends its own database session on its first run, as a PostgreSQL restart would."""
    runs.append(label)
    if runs.count(label) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
