"""Transactional outbox: `enqueue()` inside the writer's transaction, dispatch after commit.

Handlers are registered per topic and must be idempotent: a message is retried with back-off until a
handler succeeds, and a crash between the side effect and the bookkeeping can run it twice.
"""

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from motcua.interop.models import OutboxMessage

log = logging.getLogger(__name__)
Handler = Callable[[OutboxMessage], None]
_handlers: dict[str, Handler] = {}
MAX_ATTEMPTS = 8
BATCH = 100


def handles(topic: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _handlers[topic] = func
        return func

    return register


def enqueue(topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Record a side effect; must be called inside the transaction of the change that causes it."""
    message = OutboxMessage.objects.create(topic=topic, payload=payload, available_at=timezone.now())
    mode = settings.MOTCUA_OUTBOX_DISPATCH
    if mode == "sync":
        transaction.on_commit(dispatch_pending)
    elif mode == "thread":
        transaction.on_commit(_kick_worker)
    return message


def dispatch_pending(limit: int = BATCH) -> int:
    """Run the handlers of pending messages, each in its own short transaction; returns how many were
    dispatched. Several workers may run at once: a claimed message is skipped by the others."""
    done = 0
    for _ in range(limit):
        with transaction.atomic():
            pending = OutboxMessage.objects.filter(
                dispatched_at__isnull=True, available_at__lte=timezone.now()
            ).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            message = pending.first()
            if message is None:
                break
            done += _dispatch_one(message)
    return done


def _dispatch_one(message: OutboxMessage) -> int:
    handler = _handlers.get(message.topic)
    message.attempts += 1
    try:
        if handler is None:  # never mark a message done that nobody handled (e.g. an app not installed)
            raise LookupError(f"no outbox handler for topic {message.topic!r}")
        with transaction.atomic():
            handler(message)
    except Exception as exc:  # a failing handler must not lose the message: record and retry later
        log.exception("outbox handler failed for message %s (%s)", message.pk, message.topic)
        message.last_error = repr(exc)[:2000]
        # Back off exponentially; after MAX_ATTEMPTS park it for a day (visible in the admin with its error).
        delay = (
            timedelta(seconds=30 * 2**message.attempts)
            if message.attempts < MAX_ATTEMPTS
            else timedelta(days=1)
        )
        message.available_at = timezone.now() + delay
        message.save(update_fields=["attempts", "last_error", "available_at"])
        return 0
    message.dispatched_at = timezone.now()
    message.save(update_fields=["attempts", "dispatched_at"])
    return 1


_wakeup = threading.Event()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _kick_worker() -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_worker_loop, name="motcua-outbox", daemon=True)
            _worker.start()
    _wakeup.set()


def _worker_loop() -> None:
    while True:
        _wakeup.wait(timeout=30)
        _wakeup.clear()
        try:
            while dispatch_pending():
                pass
        except Exception:
            log.exception("outbox worker pass failed")
        finally:
            connection.close()
