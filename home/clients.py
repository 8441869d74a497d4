"""Who is asking: the client address that rate limits count by (tracking, admin login)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind a reverse proxy the header it sets (SERVICES_CLIENT_IP_HEADER,
    e.g. HTTP_X_REAL_IP).

    That header must come from a proxy that overwrites it: a client can send any header, and
    would otherwise dodge a limit, or pin its failures on someone else. From an
    X-Forwarded-For list only the last address counts, the one the proxy itself added; a
    value that is no address falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.SERVICES_CLIENT_IP_HEADER
    candidate = request.META.get(header, "").split(",")[-1].strip() if header else remote
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
