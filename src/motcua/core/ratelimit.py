"""Rate limits: who the client is, and a fixed-window counter shared by every worker.

The client's address is `client_ip(request)`, the one rule used by the rate limits and by the login
lockout (django-axes). Behind a reverse proxy REMOTE_ADDR is the proxy's address, the same for every
citizen; the proxy's addresses are listed in MOTCUA_TRUSTED_PROXIES, and only when REMOTE_ADDR is one of
them is X-Forwarded-For read, from the right: the right-most address that is not a trusted proxy is the
client (everything to its left was written by the client and may be forged).
`ClientAddressMiddleware` puts that address in REMOTE_ADDR for the rest of the request, so code that
reads REMOTE_ADDR sees the client too.

The counters live in Redis when REDIS_URL is set (the "ratelimit" cache), otherwise in the database
(`RateCounter`, one upsert a hit), never in one process's memory, so that four workers do not allow four
times the limit.
"""

import ipaddress
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from motcua.core.models import RateCounter

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted_networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    networks = _trusted_networks(tuple(settings.MOTCUA_TRUSTED_PROXIES))
    return address is not None and any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the right-most untrusted X-Forwarded-For entry behind a proxy."""
    remote: str = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(_parse(remote)):
        return remote
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _parse(entry)
        if address is None:  # a trusted proxy writes addresses only: the header is not to be believed
            return remote
        if not _is_trusted(address):
            return str(address)
    return remote  # only proxies in the chain (a health check from the proxy itself)


class ClientAddressMiddleware:
    """First middleware: REMOTE_ADDR becomes the client's address (the peer's stays in MOTCUA_PEER_ADDR),
    and X-Forwarded-Proto is dropped unless a trusted proxy sent it (SECURE_PROXY_SSL_HEADER reads it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = request.META.get("REMOTE_ADDR", "")
        if not _is_trusted(_parse(peer)):
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        request.META["MOTCUA_PEER_ADDR"] = peer
        request.META["REMOTE_ADDR"] = client_ip(request)
        return self.get_response(request)


def count_hit(key: str, *, window_seconds: int, now: datetime | None = None) -> int:
    """Count one more hit on `key` in its window (started by the first hit, not moved by later ones);
    returns the count so far in that window."""
    if "ratelimit" not in settings.CACHES:
        return _count_in_table(key, window_seconds, now or timezone.now())
    store = caches["ratelimit"]
    store.add(key, 0, window_seconds)  # Redis: add and incr are atomic and keep the key's expiry
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, window_seconds)
        return 1


_TABLE = RateCounter._meta.db_table
# One statement, atomic on PostgreSQL (the conflicting row is locked) and SQLite (one writer): a new key
# or an ended window starts at 1, otherwise the count goes up; every SET reads the row as it was.
_COUNT = (
    f'INSERT INTO {_TABLE} ("key", window_ends_at, hits) VALUES (%s, %s, 1) '
    f'ON CONFLICT ("key") DO UPDATE SET '
    f"hits = CASE WHEN {_TABLE}.window_ends_at <= %s THEN 1 ELSE {_TABLE}.hits + 1 END, "
    f"window_ends_at = CASE WHEN {_TABLE}.window_ends_at <= %s THEN %s ELSE {_TABLE}.window_ends_at END "
    "RETURNING hits"
)
SWEEP_EVERY = 1000  # hits, on average, between two deletions of long-ended windows


def _count_in_table(key: str, window_seconds: int, now: datetime) -> int:
    ends = now + timedelta(seconds=window_seconds)
    hits: int
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [key, ends, now, now, ends])
        (hits,) = cursor.fetchone()
    if random.randrange(SWEEP_EVERY) == 0:
        RateCounter.objects.filter(window_ends_at__lt=now - timedelta(days=1)).delete()
    return hits


def count_client_hit(request: HttpRequest, scope: str, *, window_seconds: int) -> int:
    """Count one more hit of this client on `scope` (e.g. "tracking")."""
    return count_hit(f"{scope}:{client_ip(request)}", window_seconds=window_seconds)
