"""The outbox's gauges at each scrape of /metrics (core.metrics): its lag, pending and parked messages."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from prometheus_client.core import GaugeMetricFamily, Metric

from motcua.core.metrics import read_at_scrape
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import MAX_ATTEMPTS


@dataclass(frozen=True)
class OutboxState:
    lag_seconds: float
    pending: int
    parked: int


def outbox_state(now: datetime) -> OutboxState:
    """Undispatched messages: pending (still retried), parked (MAX_ATTEMPTS failed), and how long the oldest
    pending one that is due has waited since it came due (0 when none is due)."""
    live = Q(attempts__lt=MAX_ATTEMPTS)
    row = OutboxMessage.objects.filter(dispatched_at__isnull=True).aggregate(
        pending=Count("pk", filter=live),
        parked=Count("pk", filter=~live),
        oldest_due=Min("available_at", filter=live & Q(available_at__lte=now)),
    )
    oldest = row["oldest_due"]
    lag = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return OutboxState(lag_seconds=lag, pending=row["pending"], parked=row["parked"])


@read_at_scrape
def outbox_gauges(now: datetime) -> Iterator[Metric]:
    outbox = outbox_state(now)
    yield GaugeMetricFamily(
        "motcua_outbox_lag_seconds",
        "How long the oldest due, undispatched outbox message has waited (0 when none).",
        value=outbox.lag_seconds,
    )
    yield GaugeMetricFamily(
        "motcua_outbox_pending_messages", "Undispatched outbox messages still retried.", value=outbox.pending
    )
    yield GaugeMetricFamily(
        "motcua_outbox_parked_messages",
        f"Undispatched outbox messages that failed {MAX_ATTEMPTS} times (parked: see the admin).",
        value=outbox.parked,
    )
