"""The background worker as production runs it: django-tasks-db's worker in short batches,
kept alive through database restarts, with interrupted tasks put back in the queue and the
periodic commands (the search index's catch-up) run on its own, without waiting for traffic."""

import datetime
import logging
import time

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connections

from .django_tasks_db import requeue_interrupted_tasks

logger = logging.getLogger(__name__)


def _run_due_commands(*, last_run: dict[str, float]) -> None:
    now = time.monotonic()
    for command, every_seconds in settings.WORKER_PERIODIC_COMMANDS.items():
        if now - last_run.get(command, float("-inf")) < every_seconds:
            continue
        last_run[command] = now
        try:
            call_command(command, verbosity=0)
        except CommandError as error:  # the command's own, already worded, complaint
            logger.warning("%s: %s", command, error)


def run_worker(*, worker_id: str, cycles: int | None = None) -> None:
    """Runs queued tasks until stopped (SIGTERM/SIGINT end it between tasks), or for `cycles`
    rounds. A lost database is one log line and a wait that doubles up to a limit."""
    last_run: dict[str, float] = {}
    backoff = 0.0
    while cycles is None or cycles > 0:
        cycles = None if cycles is None else cycles - 1
        try:
            requeued = requeue_interrupted_tasks(
                worker_id=worker_id,
                stale_after=datetime.timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS),
                max_attempts=settings.WORKER_MAX_ATTEMPTS,
            )
            if requeued:
                logger.warning("Requeued %d interrupted tasks", requeued)
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                max_tasks=settings.WORKER_BATCH_SIZE,
                worker_id=worker_id,
                # Quiet: its "starting" and "no more tasks" lines would come every second.
                # A task's failure is kept with its result in the database.
                verbosity=0,
            )
            _run_due_commands(last_run=last_run)
            backoff = 0.0
        except DatabaseError as error:
            backoff = min(max(backoff * 2, 0.5), settings.WORKER_MAX_BACKOFF_SECONDS)
            logger.warning(
                "Worker lost the database (%s); trying again in %.1f s",
                type(error).__name__,
                backoff,
            )
            try:
                connections.close_all()  # the next query opens a fresh connection
            except DatabaseError:
                pass
            time.sleep(backoff)
            continue
        if cycles != 0:
            time.sleep(settings.WORKER_IDLE_SECONDS)
