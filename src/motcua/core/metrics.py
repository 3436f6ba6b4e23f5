"""Prometheus metrics at /metrics: request latency, and what the outbox and the queues hold right now.

`MetricsMiddleware` times every request into a histogram labelled by method, URL *pattern* (never the path
with its dossier codes) and status class. `DomainCollector` is read at scrape time, from the readers the
apps register with `read_at_scrape`: the outbox's lag (how long the oldest due message has waited), its
pending and parked messages (motcua.outbox.metrics), and the tickets waiting today per unit
(motcua.queueing.metrics).

With several worker processes (gunicorn), PROMETHEUS_MULTIPROC_DIR names a directory shared by them (empty
at start): each process writes its samples there and a scrape, answered by any of them, adds them up.
gunicorn's `child_exit` hook calls `worker_exit(pid)`.

Only MOTCUA_METRICS_ALLOW (addresses or networks; judged on the client's real address) may scrape, or
whoever sends `Authorization: Bearer <MOTCUA_METRICS_TOKEN>` when a token is set.
"""

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from motcua.core.logs import route_of
from motcua.core.middleware import AroundMiddleware
from motcua.core.ratelimit import client_ip

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_LATENCY = Histogram(
    "motcua_http_request_duration_seconds",
    "Time to answer a request (until the response starts), by method, URL pattern and status class.",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def _observe(request: HttpRequest, status: int, started: float) -> None:
    method = request.method if request.method in _METHODS else "other"
    REQUEST_LATENCY.labels(method, route_of(request), f"{status // 100}xx").observe(
        time.perf_counter() - started
    )


class MetricsMiddleware(AroundMiddleware):
    """Right after RequestIdMiddleware: times the request through every other middleware and the view."""

    def before(self, request: HttpRequest) -> float:
        return time.perf_counter()

    def after(self, request: HttpRequest, response: HttpResponse, state: float) -> None:
        _observe(request, response.status_code, state)


# --- Read at scrape time ---

# An app's gauges, read from the database at each scrape: the outbox's (motcua.outbox.metrics), the
# queues' (motcua.queueing.metrics). Registered by the app (its AppConfig.ready), so that core needs none.
GaugeReader = Callable[[datetime], Iterable[Metric]]
_readers: list[GaugeReader] = []


def read_at_scrape(reader: GaugeReader) -> GaugeReader:
    if reader not in _readers:
        _readers.append(reader)
    return reader


class DomainCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        up = GaugeMetricFamily("motcua_domain_metrics_up", "1 when the outbox and queues could be read.")
        try:
            read = [metric for reader in _readers for metric in reader(now)]
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from read


DOMAIN_REGISTRY = CollectorRegistry()
DOMAIN_REGISTRY.register(DomainCollector())


def process_registry() -> CollectorRegistry:
    """This process's metrics, or every worker's when they share PROMETHEUS_MULTIPROC_DIR."""
    if not os.environ.get(MULTIPROC_ENV):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def worker_exit(pid: int) -> None:
    """gunicorn's child_exit hook: a dead worker's live gauges leave the shared directory."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


# --- Who may scrape ---

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def may_scrape(request: HttpRequest) -> bool:
    token = settings.MOTCUA_METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.MOTCUA_METRICS_ALLOW)))


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return JsonResponse({"status": "forbidden"}, status=403)
    body = generate_latest(process_registry()) + generate_latest(DOMAIN_REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
