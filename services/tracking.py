"""Finding one's own request by reference and phone number, without letting anyone enumerate.

Every failure looks the same to the caller (no such reference, wrong phone, too many
tries), and failures are counted per client address and per reference in the cache. The
counters must live in a cache every web process shares (CACHES in production:
Redis, Memcached or the database cache), or each process counts on its own.
"""

import hashlib

from django.core.cache import cache

from .models import ServiceRequest
from .privacy import phone_matches

MAX_FAILURES_PER_CLIENT = 10
MAX_FAILURES_PER_REFERENCE = 5
FAILURE_WINDOW_SECONDS = 15 * 60


def _counter_keys(*, reference: str, client_ip: str) -> list[str]:
    # Hashed, so the cache holds neither addresses nor references in the clear.
    def digest(value: str) -> str:
        return hashlib.sha256(value.encode()).hexdigest()[:32]

    return [
        f"services:track:client:{digest(client_ip)}",
        f"services:track:reference:{digest(reference)}",
    ]


def _limited(keys: list[str]) -> bool:
    counts = cache.get_many(keys)
    return (
        counts.get(keys[0], 0) >= MAX_FAILURES_PER_CLIENT
        or counts.get(keys[1], 0) >= MAX_FAILURES_PER_REFERENCE
    )


def _count_failure(keys: list[str]) -> None:
    for key in keys:
        cache.add(key, 0, FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, FAILURE_WINDOW_SECONDS)


def normalise_reference(value: str) -> str:
    return "".join(value.split()).upper()


def service_request_track(*, reference: str, phone: str, client_ip: str) -> ServiceRequest | None:
    """The request when reference and phone match and the caller is not locked out; else None."""
    reference = normalise_reference(reference)
    keys = _counter_keys(reference=reference, client_ip=client_ip)
    if _limited(keys):
        return None
    service_request = ServiceRequest.objects.filter(reference=reference).first()
    if phone_matches(service_request, phone):
        return service_request
    _count_failure(keys)
    return None
