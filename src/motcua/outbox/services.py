"""Transactional outbox: `enqueue()` inside the writer's transaction, dispatch after commit.

Writing: `enqueue()` inserts its row at once, except inside a `collected()` block (an act's
`dossiers.events.record`, its signal receivers included), whose rows are written in one INSERT at the end
of the block. Each side effect keeps its own row, so it is retried on its own.

Dispatching: `dispatch_pending()` claims a batch of due messages, oldest first, in one short transaction
(FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has a single writer) that marks them with a lease
(`claimed_until`): several workers may run at once, and none takes a message another one holds. The
handlers then run outside that transaction, so no network call holds a lock a writer waits for; the
outcomes are recorded afterwards: done, or retried with back-off (parked for a day after MAX_ATTEMPTS).

Handlers are registered per topic and must be idempotent: a crash between the side effect and the
bookkeeping, or a lease that ran out, runs a message again.
- `@handles(topic)`: one message at a time, inside its own transaction (`atomic=False`: the handler
  commits its own writes, e.g. one row per channel delivered, so that a retry skips what was done).
- `@handles_batch(topic)`: the batch's messages of the topic at once, in claim order (to coalesce what
  only needs a dossier's latest state); it returns the failures by message id (None or {}: all done), and
  raising fails them all.
A handler may raise or return `Later(at, reason)`: the message was not attempted and waits until `at`.

Workers: `motcua outbox --forever` (any number at once; on PostgreSQL woken by LISTEN/NOTIFY, each act's
transaction notifying `CHANNEL`, and polling every few seconds for retries that fell due), or, embedded,
an in-process thread started with the first request and kicked after each commit. Both sweep on start and
then every 30 s at the latest, and run the `@periodic` tasks (the DVCQG catch-up) when they fall due.
Each message keeps the id of the request that caused it: its handler's log lines carry it.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.core.logs import bound_request_id, current_request_id
from motcua.outbox.models import OutboxMessage

log = logging.getLogger(__name__)
Handler = Callable[[OutboxMessage], None]
BatchHandler = Callable[[list[OutboxMessage]], Mapping[int, Exception] | None]
_handlers: dict[str, Handler] = {}
_batch_handlers: dict[str, BatchHandler] = {}
MAX_ATTEMPTS = 8
BATCH = 100
LEASE = timedelta(minutes=5)  # a claimed message is offered again when its worker has not answered by then
DEADLINE = LEASE / 2  # no handler of a batch starts later than this after the claim
CHANNEL = "motcua_outbox"  # PostgreSQL NOTIFY channel: a commit with new messages wakes the workers
SWEEP_SECONDS = 30.0  # a worker looks for due messages at least this often, woken or not


class Later(Exception):
    """Not attempted (e.g. an earlier message of the same dossier must go first): offered again at `at`,
    without counting an attempt."""

    def __init__(self, at: datetime, reason: str) -> None:
        super().__init__(reason)
        self.at = at
        self.reason = reason


def handles(topic: str, *, atomic: bool = True) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _handlers[topic] = transaction.atomic(func) if atomic else func
        return func

    return register


def handles_batch(topic: str) -> Callable[[BatchHandler], BatchHandler]:
    def register(func: BatchHandler) -> BatchHandler:
        _batch_handlers[topic] = func
        return func

    return register


# --- writing ---------------------------------------------------------------------------------------------

_collecting: ContextVar[list[OutboxMessage] | None] = ContextVar("motcua_outbox_collecting", default=None)


@contextmanager
def collected() -> Iterator[None]:
    """Write the messages enqueued inside the block in one INSERT when it ends (inside the transaction of
    the change); nothing when it raises. A nested block joins the outer one."""
    if _collecting.get() is not None:
        yield
        return
    rows: list[OutboxMessage] = []
    token = _collecting.set(rows)
    try:
        yield
    finally:
        _collecting.reset(token)
    _write(rows)


def enqueue(topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Record a side effect; must be called inside the transaction of the change that causes it. Inside
    `collected()` the row is written (and gets its id) at the end of the block."""
    message = OutboxMessage(
        topic=topic, payload=payload, available_at=timezone.now(), request_id=current_request_id() or ""
    )
    rows = _collecting.get()
    if rows is None:
        _write([message])
    else:
        rows.append(message)
    return message


def _write(rows: list[OutboxMessage]) -> None:
    if not rows:
        return
    OutboxMessage.objects.bulk_create(rows)
    mode = settings.MOTCUA_OUTBOX_DISPATCH
    if mode == "sync":
        transaction.on_commit(dispatch_pending)
    elif mode == "thread":
        transaction.on_commit(_kick_worker)
    elif connection.vendor == "postgresql":  # separate workers: delivered when (if) the writer commits
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")


# --- dispatching -----------------------------------------------------------------------------------------


def dispatch_pending(limit: int = BATCH) -> int:
    """Claim up to `limit` due messages, run their handlers, record the outcomes; returns how many were
    dispatched. Several workers may run at once: each message is handled by the worker that claimed it."""
    messages, lease = _claim(limit)
    if not messages:
        return 0
    return _record(messages, _run(messages), lease)


def _claim(limit: int) -> tuple[list[OutboxMessage], datetime]:
    with transaction.atomic():
        now = timezone.now()
        due = (
            OutboxMessage.objects.filter(dispatched_at__isnull=True, available_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .order_by("pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        messages = list(due[:limit])
        lease = now + LEASE
        if messages:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
                claimed_until=lease, attempts=F("attempts") + 1
            )
    for message in messages:
        message.claimed_until = lease
        message.attempts += 1
    return messages, lease


def _run(messages: list[OutboxMessage]) -> dict[int, Exception | None]:
    """Each message's outcome: None when done, else why not. Outside any transaction of the outbox."""
    outcomes: dict[int, Exception | None] = {}
    stop_at = time.monotonic() + DEADLINE.total_seconds()
    for message in messages:
        if message.pk in outcomes:
            continue
        if time.monotonic() > stop_at:  # the lease must outlast the batch: leave the rest to the next one
            outcomes[message.pk] = Later(timezone.now(), "not started within the batch's deadline")
        elif message.topic in _handlers:
            outcomes[message.pk] = _run_one(_handlers[message.topic], message)
        elif message.topic in _batch_handlers:
            group = [m for m in messages if m.topic == message.topic and m.pk not in outcomes]
            outcomes.update(_run_batch(_batch_handlers[message.topic], group))
        else:  # never mark a message done that nobody handled (e.g. an app not installed)
            outcomes[message.pk] = LookupError(f"no outbox handler for topic {message.topic!r}")
    return outcomes


def _run_one(handler: Handler, message: OutboxMessage) -> Exception | None:
    try:
        with bound_request_id(message.request_id or None):
            handler(message)
    except Later as later:
        return later
    except Exception as exc:  # a failing handler must not lose the message: record and retry later
        log.exception("outbox handler failed for message %s (%s)", message.pk, message.topic)
        return exc
    return None


def _run_batch(handler: BatchHandler, group: list[OutboxMessage]) -> dict[int, Exception | None]:
    try:
        failures = handler(group) or {}
    except Later as later:
        return {m.pk: later for m in group}
    except Exception as exc:
        log.exception(
            "outbox handler failed for %d messages (%s)",
            len(group),
            group[0].topic,
            extra={"request_ids": sorted({m.request_id for m in group if m.request_id})},
        )
        return {m.pk: exc for m in group}
    request_ids = {m.pk: m.request_id or None for m in group}
    for pk, error in failures.items():
        if not isinstance(error, Later):
            with bound_request_id(request_ids.get(pk)):
                log.error("outbox handler failed for message %s (%s): %r", pk, group[0].topic, error)
    return {m.pk: failures.get(m.pk) for m in group}


def _record(messages: list[OutboxMessage], outcomes: dict[int, Exception | None], lease: datetime) -> int:
    """Write the outcomes of the messages still held under `lease` (one whose lease ran out may have been
    claimed again: its new holder records it)."""
    now = timezone.now()
    held = OutboxMessage.objects.filter(claimed_until=lease)
    done = [m.pk for m in messages if outcomes.get(m.pk) is None]
    dispatched = held.filter(pk__in=done).update(dispatched_at=now, claimed_until=None) if done else 0
    for message in messages:
        exc = outcomes.get(message.pk)
        if exc is None:
            continue
        if isinstance(exc, Later):
            held.filter(pk=message.pk).update(
                available_at=exc.at, attempts=F("attempts") - 1, last_error=exc.reason, claimed_until=None
            )
            continue
        # Back off exponentially; after MAX_ATTEMPTS park it for a day (visible in the admin with its error).
        delay = (
            timedelta(seconds=30 * 2**message.attempts)
            if message.attempts < MAX_ATTEMPTS
            else timedelta(days=1)
        )
        held.filter(pk=message.pk).update(
            last_error=repr(exc)[:2000], available_at=now + delay, claimed_until=None
        )
    return dispatched


# --- periodic tasks ----------------------------------------------------------------------------------------


@dataclass
class _Periodic:
    func: Callable[[], object]
    every: float  # seconds
    last: float | None = None  # time.monotonic() of the last run in this process


_periodic: list[_Periodic] = []


def periodic(every: timedelta) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register a task every worker runs when it starts and then about every `every` (e.g. a catch-up
    that queues messages): it must be idempotent, several workers may run it."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        _periodic.append(_Periodic(func, every.total_seconds()))
        return func

    return register


def run_periodic() -> None:
    now = time.monotonic()
    for task in _periodic:
        if task.last is None or now - task.last >= task.every:
            task.last = now
            try:
                task.func()
            except Exception:  # one failing task must not stop the worker nor the others
                log.exception("outbox periodic task %s failed", task.func.__qualname__)


def work_pass() -> int:
    """One pass of a worker: the periodic tasks that are due, then every due message; how many went."""
    run_periodic()
    total = 0
    while sent := dispatch_pending():
        total += sent
    return total


# --- workers -----------------------------------------------------------------------------------------------


class Listener:
    """LISTEN on `CHANNEL` (PostgreSQL) on a connection of its own: `wait()` returns True as soon as a
    writer's transaction with new messages commits, False after `timeout`. A lost connection is opened
    again at the next wait."""

    def __init__(self) -> None:
        self._connection: psycopg.Connection | None = None

    def wait(self, timeout: float) -> bool:
        try:
            if self._connection is None or self._connection.closed:
                self._connection = self._connect()
            woken = False
            for _notify in self._connection.notifies(timeout=timeout, stop_after=1):
                woken = True
            return woken
        except psycopg.Error:
            log.warning("outbox listener lost its connection; polling until it is back", exc_info=True)
            self.close()
            time.sleep(min(timeout, 5.0))
            return False

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @staticmethod
    def _connect() -> psycopg.Connection:
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        listening = psycopg.connect(**params, autocommit=True)
        listening.execute(f"LISTEN {CHANNEL}")
        return listening


_wakeup = threading.Event()
_stopping = threading.Event()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _kick_worker() -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_worker_loop, name="motcua-outbox", daemon=True)
            _worker.start()
    _wakeup.set()


def start_embedded_worker(**kwargs: object) -> None:
    """request_started receiver (embedded, MOTCUA_OUTBOX_DISPATCH=thread): the first request of a process
    starts the worker, which sweeps what was left pending before a crash or a restart."""
    if settings.MOTCUA_OUTBOX_DISPATCH == "thread" and (_worker is None or not _worker.is_alive()):
        _kick_worker()


def stop_embedded_worker(timeout: float = 30.0) -> None:
    """End the in-process worker after its pass in hand (tests; a process shutting down)."""
    global _worker
    with _worker_lock:
        worker, _worker = _worker, None
    if worker is None:
        return
    _stopping.set()
    _wakeup.set()
    worker.join(timeout)
    _stopping.clear()


def _worker_loop() -> None:
    while not _stopping.is_set():
        _wakeup.clear()  # a kick from now on is seen by the wait below
        try:
            work_pass()
        except Exception:
            log.exception("outbox worker pass failed")
        finally:
            connection.close()
        _wakeup.wait(timeout=SWEEP_SECONDS)
