"""How long a search may still wait for the engine.

SEARCH_TIMEOUT bounds a whole request, not each call to the engine: the engine gets what is
left of it since the request arrived, less a second kept for answering from the database
should the engine not answer. So a request that spent time on its own work first, or asks
the engine twice, still answers about SEARCH_TIMEOUT after it arrived when the engine hangs.
Outside a request (a worker, a command) each call waits the whole SEARCH_TIMEOUT.
"""

import time
from contextvars import ContextVar

# Kept for the database's answer after an engine that did not answer.
DATABASE_ANSWER_SECONDS = 1.0
# However late the request, the engine gets this long: a healthy engine answers well within
# it, so a late request is not taken for an engine failure.
SHORTEST_WAIT_SECONDS = 1.0

_arrived: ContextVar[float | None] = ContextVar("search_request_arrived", default=None)


class SearchDeadlineMiddleware:
    """Notes when a request arrived, for engine_wait()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _arrived.set(time.monotonic())
        try:
            return self.get_response(request)
        finally:
            _arrived.reset(token)


def engine_wait(*, timeout: float) -> float:
    """Seconds the next call to the engine may wait, given the configured timeout."""
    arrived = _arrived.get()
    if arrived is None:
        return timeout
    left = arrived + timeout - DATABASE_ANSWER_SECONDS - time.monotonic()
    return max(SHORTEST_WAIT_SECONDS, left)
