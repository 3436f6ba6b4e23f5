"""/metrics: who may read it, request latency by URL pattern, outbox and queue gauges, several workers."""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.outbox.metrics import outbox_state
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import MAX_ATTEMPTS
from motcua.queueing.models import Ticket
from motcua.queueing.selectors import queue_day


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{name}{{{wanted}}} (\S+)$" if labels else rf"^{name} (\S+)$"
    (value,) = re.findall(pattern, text, re.MULTILINE)
    return float(value)


@pytest.mark.parametrize(
    ("remote", "allowed"), [("127.0.0.1", True), ("::1", True), ("10.1.2.3", False), ("192.0.2.1", False)]
)
def test_only_allowed_addresses_may_scrape(client, db, remote, allowed):
    assert (client.get("/metrics", REMOTE_ADDR=remote).status_code == 200) is allowed


def test_allowed_networks_and_the_real_client_behind_a_proxy(client, db, settings):
    settings.MOTCUA_METRICS_ALLOW = ["10.0.0.0/8"]
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    # Through the proxy on 127.0.0.1: the client is the forwarded address, not the proxy.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 200
    outside = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert outside.status_code == 403


def test_a_bearer_token_opens_it_from_anywhere(client, db, settings):
    settings.MOTCUA_METRICS_TOKEN = "s3cret-token"
    far = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", **far).status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **far).status_code == 403
    assert client.get("/metrics", **far).status_code == 403


def test_latency_is_labelled_by_url_pattern_never_by_path(client, province):
    client.get("/tra-cuu/", {"ma": "001.00.50.H40-260302-0001", "xac_thuc": "040090001234"})  # none: 404
    client.get("/khong-co-trang-nay/")
    text = scrape(client)
    count = "motcua_http_request_duration_seconds_count"
    assert sample(text, count, method="GET", route="tra-cuu/", status="4xx") >= 1
    assert sample(text, count, method="GET", route="<unmatched>", status="4xx") >= 1
    assert "040090001234" not in text and "khong-co-trang-nay" not in text


def test_outbox_lag_pending_and_parked(client, db):
    now = timezone.now()

    def message(**fields) -> OutboxMessage:
        return OutboxMessage.objects.create(topic="notify.applicant", **({"available_at": now} | fields))

    assert outbox_state(now).lag_seconds == 0 and outbox_state(now).pending == 0
    message(available_at=now - timedelta(seconds=120))  # due two minutes ago
    message(available_at=now + timedelta(minutes=5), attempts=2)  # backing off: pending, not due
    message(attempts=MAX_ATTEMPTS, last_error="portal down")  # parked
    message(available_at=now - timedelta(hours=3), dispatched_at=now)  # done long ago
    text = scrape(client)
    assert 120 <= sample(text, "motcua_outbox_lag_seconds") < 180
    assert sample(text, "motcua_outbox_pending_messages") == 2
    assert sample(text, "motcua_outbox_parked_messages") == 1
    assert sample(text, "motcua_domain_metrics_up") == 1


def test_queue_lengths_per_unit_today(client, province):
    now = timezone.now()
    today = queue_day(now)
    for number, status in enumerate(["waiting", "waiting", "served"], start=1):
        Ticket.objects.create(unit=province.commune, day=today, number=number, status=status, issued_at=now)
    Ticket.objects.create(
        unit=province.center, day=today - timedelta(days=1), number=1, status="waiting", issued_at=now
    )
    text = scrape(client)
    assert sample(text, "motcua_queue_waiting_tickets", unit=province.commune.code) == 2
    assert province.center.code not in text  # yesterday's ticket waits no more


# Two workers observe requests and one exits; a third process answers the scrape for all of them.
_WORKERS = """
import os, sys
import django
django.setup()
from motcua.core import metrics

pids = []
for route in ("tra-cuu/", "tra-cuu/"):
    pid = os.fork()
    if pid == 0:
        metrics.REQUEST_LATENCY.labels("GET", route, "2xx").observe(0.2)
        os._exit(0)
    os.waitpid(pid, 0)
    pids.append(pid)
metrics.worker_exit(pids[0])
sys.stdout.write(metrics.generate_latest(metrics.process_registry()).decode())
"""


def test_several_worker_processes_are_added_up(tmp_path):
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = os.environ | {
        "PROMETHEUS_MULTIPROC_DIR": str(shared),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", _WORKERS], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    labels = {"method": "GET", "route": "tra-cuu/", "status": "2xx"}
    assert sample(done.stdout, "motcua_http_request_duration_seconds_count", **labels) == 2
    assert len(list(shared.glob("histogram_*.db"))) == 2
