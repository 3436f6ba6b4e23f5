"""The queues' gauge at each scrape of /metrics (core.metrics): tickets waiting today, per unit."""

from collections.abc import Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric

from motcua.core.metrics import read_at_scrape
from motcua.queueing.selectors import queue_day, waiting_by_unit


@read_at_scrape
def queue_gauges(now: datetime) -> Iterator[Metric]:
    queues = GaugeMetricFamily(
        "motcua_queue_waiting_tickets", "Tickets waiting today, per unit code.", labels=["unit"]
    )
    for unit_code, count in sorted(waiting_by_unit(queue_day(now)).items()):
        queues.add_metric([unit_code], count)
    yield queues
