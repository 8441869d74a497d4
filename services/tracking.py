"""Finding one's own request by reference and phone number, without letting anyone enumerate.

A wrong pair and an unknown reference get the same answer. Failures are counted in the
cache three ways, each in a 15-minute window from its first failure:

- per client: a client with too many wrong tries (any references) waits, whatever it sends;
- per reference: once a reference has had too many wrong phones (from anywhere), every
  client that has itself failed on it waits too, so each new address gets one guess;
- the right pair from a client that has not failed on that reference always opens it: a
  stranger who knows the reference cannot lock the family out.

A throttled client is told how long to wait. The counters must live in a cache every web
process shares (CACHES in production: the database cache, Redis or Memcached), or each
process counts on its own.
"""

import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from home.clients import client_address

from .models import ServiceRequest
from .privacy import phone_matches

MAX_FAILURES_PER_CLIENT = settings.SERVICES_TRACKING_LIMITS["per_client"]
MAX_FAILURES_PER_REFERENCE = settings.SERVICES_TRACKING_LIMITS["per_reference"]
FAILURE_WINDOW_SECONDS = settings.SERVICES_TRACKING_LIMITS["window_seconds"]


@dataclass(frozen=True)
class TrackOutcome:
    service_request: ServiceRequest | None = None
    # Seconds the client must wait before trying again; 0 when it may try now.
    wait_seconds: int = 0

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


def client_ip(request: HttpRequest) -> str:
    """The client the limits count, from home.clients (read the warning there about proxy
    headers). IPv6 clients are counted by their /64 network, which one household can rotate
    through."""
    address = client_address(request)
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


def _key(kind: str, value: str) -> str:
    # Keyed, so the cache holds neither addresses nor references in a form one can reverse.
    return f"services:track:{kind}:{salted_hmac('services.track', value).hexdigest()[:32]}"


class _Counters:
    """Failure counts and when each window started, read in one cache round trip."""

    def __init__(self, *, client: str, reference: str):
        self.keys = {
            "client": _key("client", client),
            "reference": _key("reference", reference),
            "pair": _key("pair", f"{client}\n{reference}"),
        }
        stored = cache.get_many([*self.keys.values(), *(k + ":since" for k in self.keys.values())])
        now = time.time()
        self.counts = {name: stored.get(key, 0) for name, key in self.keys.items()}
        self.remaining = {
            name: max(0, int(stored.get(key + ":since", now) + FAILURE_WINDOW_SECONDS - now))
            for name, key in self.keys.items()
        }

    def wait_seconds(self) -> int:
        """How long this client must wait before it may try this reference; 0 if not."""
        waits = []
        if self.counts["client"] >= MAX_FAILURES_PER_CLIENT:
            waits.append(self.remaining["client"])
        if self.counts["reference"] >= MAX_FAILURES_PER_REFERENCE and self.counts["pair"]:
            waits.append(min(self.remaining["reference"], self.remaining["pair"]))
        return max(waits, default=0)

    def count_failure(self) -> None:
        for name, key in self.keys.items():
            # add() only sets a missing key, so a window starts at its first failure.
            cache.add(key + ":since", time.time(), FAILURE_WINDOW_SECONDS)
            cache.add(key, 0, FAILURE_WINDOW_SECONDS)
            try:
                self.counts[name] = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, FAILURE_WINDOW_SECONDS)
                self.counts[name] = 1


def normalise_reference(value: str) -> str:
    return "".join(value.split()).upper()


def service_request_track(*, reference: str, phone: str, client_ip: str) -> TrackOutcome:
    """The request when reference and phone match and the client may try; else how long it
    must wait (or 0: simply no match)."""
    reference = normalise_reference(reference)
    counters = _Counters(client=client_ip, reference=reference)
    if wait := counters.wait_seconds():
        return TrackOutcome(wait_seconds=wait)
    service_request = ServiceRequest.objects.filter(reference=reference).first()
    if phone_matches(service_request, phone):
        return TrackOutcome(service_request=service_request)
    counters.count_failure()
    return TrackOutcome(wait_seconds=counters.wait_seconds())
