"""The outbox in production (#12): no handler waits on the network inside a transaction, and no call
waits past its deadline; workers sweep on start, wake on commit (PostgreSQL LISTEN/NOTIFY), catch up the
national portal by themselves, carry the request id, and stop cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from motcua.core.logs import bound_request_id, current_request_id
from motcua.interop.dvcqg.transport import HttpTransport, TransportError
from motcua.interop.models import SyncRecord
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage
from motcua.queueing.models import Ticket
from tests.api.conftest import client_for, create, create_body, ok
from tests.dossiers.helpers import at
from tests.interop.stand_in import CAP_NHAT, DONG_BO, connect

TOPIC = "test.workers"


def queue(count: int = 1, **fields) -> list[int]:
    rows = [
        OutboxMessage(topic=TOPIC, payload={"n": n}, available_at=timezone.now(), **fields)
        for n in range(count)
    ]
    return [m.pk for m in OutboxMessage.objects.bulk_create(rows)]


@pytest.fixture
def handled(monkeypatch) -> list[tuple[int, str | None]]:
    """(message id, request id bound while it was handled) of each `test.workers` message handled."""
    seen: list[tuple[int, str | None]] = []
    monkeypatch.setitem(
        outbox._handlers, TOPIC, lambda message: seen.append((message.pk, current_request_id()))
    )
    return seen


class _Portal(BaseHTTPRequestHandler):
    behaviour = "answer"
    arrived = threading.Event()
    release = threading.Event()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).arrived.set()
        if self.behaviour == "trickle":  # one byte of the status line every 50 ms, for up to 20 s
            try:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 400:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
            return
        type(self).release.wait(timeout=30)
        body = b'{"error_code": 0, "session": "s1"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def portal_server() -> Iterator[tuple[str, type[_Portal]]]:
    handler = type("Portal", (_Portal,), {"arrived": threading.Event(), "release": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/", handler
    finally:
        handler.release.set()
        server.shutdown()
        server.server_close()


def test_a_portal_trickling_its_answer_is_cut_off_at_the_deadline(portal_server):
    url, portal = portal_server
    portal.behaviour = "trickle"
    transport = HttpTransport(url=url, username="u", password="p", timeout=0.5)
    started = time.monotonic()
    with pytest.raises(TransportError, match=r"no complete answer within 0\.5 s"):
        transport.login()
    # Each byte came well within a socket timeout; only the overall deadline ends the call (~20 s before).
    assert time.monotonic() - started < 5


@pytest.mark.django_db(transaction=True)
def test_no_write_of_a_user_waits_while_a_handler_waits_on_the_portal(
    province, settings, portal_server, monkeypatch
):
    url, portal = portal_server
    settings.MOTCUA_OUTBOX_DISPATCH = "off"
    settings.MOTCUA_DVCQG_URL = url
    province.receive(now=at(0))  # its sync message waits in the outbox
    outcome: list[object] = []

    def worker() -> None:
        try:
            outcome.append(outbox.dispatch_pending())
        except Exception as exc:
            outcome.append(exc)
        finally:
            connection.close()

    dispatching = threading.Thread(target=worker)
    dispatching.start()
    try:
        assert portal.arrived.wait(timeout=30)  # the handler is now waiting for the portal's answer
        if connection.vendor == "sqlite":  # a user's write gives up after 0.5 s, as under load
            monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.5)
            connection.close()
        ticket = Ticket.objects.create(
            unit=province.commune, day=timezone.localdate(), number=1, issued_at=timezone.now()
        )
        assert ticket.pk is not None
    finally:
        portal.release.set()
        dispatching.join(timeout=30)
    assert outcome and isinstance(outcome[0], int), outcome  # the act's messages, the sync's included
    assert SyncRecord.objects.filter(status="sent").exists()


@pytest.mark.django_db(transaction=True)
def test_the_first_request_starts_the_embedded_worker_which_sweeps_what_was_left(settings, handled):
    settings.MOTCUA_OUTBOX_DISPATCH = "thread"
    outbox.stop_embedded_worker()
    (pk,) = queue()  # left pending by a process that died: no commit will kick a worker for it
    try:
        assert Client().get("/healthz").status_code == 200
        deadline = time.monotonic() + 20
        while not OutboxMessage.objects.filter(pk=pk, dispatched_at__isnull=False).exists():
            assert time.monotonic() < deadline, "the embedded worker did not sweep the pending message"
            time.sleep(0.05)
    finally:
        outbox.stop_embedded_worker()
    assert [seen for seen, _ in handled] == [pk]


def test_the_workers_catch_up_with_the_portal_once_it_is_configured(province, settings, monkeypatch):
    settings.MOTCUA_DVCQG_URL = ""
    dossier = province.receive(now=at(0))
    outbox.dispatch_pending()
    assert SyncRecord.objects.filter(status="pending").count() == 2
    portal = connect(settings, monkeypatch)
    for task in outbox._periodic:
        monkeypatch.setattr(task, "last", None)  # a worker starting now
    outbox.work_pass()
    assert portal.of(dossier.code) == [(DONG_BO, "2"), (CAP_NHAT, "2")]
    assert not SyncRecord.objects.filter(status__in=["pending", "failed"]).exists()

    portal.calls.clear()
    for task in outbox._periodic:
        monkeypatch.setattr(task, "last", None)
    outbox.work_pass()
    assert portal.calls == []  # nothing left, nothing sent twice


def test_a_catch_up_is_not_queued_twice_for_a_dossier(province, settings):
    from motcua.interop.dvcqg.services import catch_up

    settings.MOTCUA_DVCQG_URL = ""
    province.receive(now=at(0))
    province.receive(now=at(1), id_number="040090009999")
    outbox.dispatch_pending()
    assert catch_up() == 2
    assert catch_up() == 0  # both still waiting in the outbox: several workers sweeping queue them once


def test_an_outbox_message_carries_the_request_id_into_its_handler(province, settings, handled):
    settings.MOTCUA_OUTBOX_DISPATCH = "off"
    client = client_for(province.counter)
    ok(create(client, create_body(province), HTTP_X_REQUEST_ID="req-7f3a"), 201)
    ids = set(OutboxMessage.objects.values_list("request_id", flat=True))
    assert ids == {"req-7f3a"}

    with bound_request_id("req-0001"):
        pk = outbox.enqueue(TOPIC, {"n": 1}).pk
    OutboxMessage.objects.exclude(pk=pk).update(dispatched_at=timezone.now())
    assert outbox.dispatch_pending() == 1
    assert handled == [(pk, "req-0001")]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_commit_with_new_messages_wakes_the_listening_workers(settings):
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only")
    settings.MOTCUA_OUTBOX_DISPATCH = "off"
    listener = outbox.Listener()
    try:
        assert listener.wait(0.05) is False  # connected and listening, nothing yet
        with transaction.atomic():
            outbox.enqueue(TOPIC, {"n": 1})
            assert listener.wait(0.3) is False  # not before the writer commits
        assert listener.wait(10) is True
        assert listener.wait(0.3) is False
    finally:
        listener.close()


def _database_url() -> str:
    """The test database, as DATABASE_URL for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    socket_dir = db["OPTIONS"].get("host") or db["HOST"]
    return f"postgres://{db['USER']}@/{db['NAME']}?host={socket_dir}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_finishes_its_pass_and_exits_on_sigterm(tmp_path):
    (pk,) = queue()  # a topic the worker has no handler for: it records the failure, which shows it runs
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "MOTCUA_VAR_DIR": str(tmp_path),
        "MOTCUA_OUTBOX_DISPATCH": "off",
    }
    command = [sys.executable, "-m", "motcua.cli", "outbox", "--forever", "--interval", "0.2"]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not OutboxMessage.objects.filter(pk=pk, attempts__gte=1).exists():
            assert worker.poll() is None, worker.communicate()[1][-2000:]
            if time.monotonic() > deadline:
                worker.kill()
                pytest.fail(f"the worker did not take the message: {worker.communicate()[1][-3000:]!r}")
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    message = OutboxMessage.objects.get(pk=pk)
    assert message.dispatched_at is None and "no outbox handler" in message.last_error
