"""Calls over the data axes (LGSP, NGSP), through the outbox, each exchange logged.

`call(service, payload, *, dossier, key)` is called inside the caller's transaction: it writes one outbox
message, so the call goes only if the caller's change commits, and goes again until the axis has it.
The handler (`deliver`), after commit, outside any transaction:
1. is idempotent by `key`: a call already delivered (or refused for good) is not made again, and the key
   goes as `Idempotency-Key`, so that the receiver answers a repeat (a retry after a lost answer) as it
   answered the first;
2. keeps each dossier's order: while an earlier call of the same dossier is still in the outbox, this one
   waits (`Later`), so a later message never overtakes an earlier one;
3. sends nothing when the axis is not configured (no URL): the exchange is logged "not configured" and
   the message waits (offered again every `NOT_CONFIGURED_WAIT`), never claimed sent;
4. authenticates as configured: an OAuth2 bearer token (cached, fetched again on a 401) and/or mutual
   TLS; signs the request (`signing.sign`); ends the call at the service's hard deadline (`interop.http`);
5. logs the attempt as an `Exchange` (what went, what came back, HTTP status, duration, attempt, outcome,
   key, correlation id); a 5xx, a timeout or no connection raises, and the outbox retries with back-off;
   a 4xx is a refusal: logged, not retried;
6. hands a delivered answer (or a refusal) to the service's hook (`on_answer`), e.g. a connector that
   records the ministry's reference.
"""

import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import models
from django.utils import timezone

from motcua.interop import http
from motcua.interop.axis import auth, signing
from motcua.interop.axis.registry import Axis, Service, axis, deadline, service
from motcua.interop.models import Exchange
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Later, enqueue, handles

log = logging.getLogger("motcua.axis")
AXIS_CALL = "axis.call"
NOT_CONFIGURED_WAIT = timedelta(minutes=10)
IN_FLIGHT_WAIT = timedelta(seconds=10)
MAX_LOGGED = 200_000  # characters of a body kept in the log
Outcome = Exchange.Outcome
SETTLED = (Outcome.DELIVERED, Outcome.REFUSED)


class AxisFailed(Exception):
    """The call did not get through (5xx, timeout, no connection, no token): the outbox retries it."""


@dataclass(frozen=True)
class Answer:
    exchange: Exchange
    data: dict[str, Any]  # the answer's JSON object ({} when it is not one)

    @property
    def delivered(self) -> bool:
        return self.exchange.outcome == Outcome.DELIVERED


AnswerHook = Callable[[OutboxMessage, Answer], None]
_hooks: dict[str, AnswerHook] = {}


def on_answer(service_code: str) -> Callable[[AnswerHook], AnswerHook]:
    """Register what to do with the answer of a service's call (delivered or refused); it must be
    idempotent: it runs again if the process stops between the answer and the message's bookkeeping."""

    def register(func: AnswerHook) -> AnswerHook:
        _hooks[service_code] = func
        return func

    return register


def call(
    service_code: str,
    payload: dict[str, Any],
    *,
    dossier_id: int | None = None,
    key: str,
    correlation_id: str = "",
) -> OutboxMessage:
    """Queue a call of `service_code` with `payload` (inside the caller's transaction); `key` names the
    call once and for all (a second call with the same key is not made again)."""
    service(service_code)  # an unknown service fails here, in the caller's transaction
    return enqueue(
        AXIS_CALL,
        {
            "service": service_code,
            "payload": payload,
            "dossier_id": dossier_id,
            "key": key,
            "correlation_id": correlation_id or uuid.uuid4().hex,
        },
    )


@handles(AXIS_CALL, atomic=False)
def deliver(message: OutboxMessage) -> None:
    p = message.payload
    svc = service(p["service"])
    key = p["key"]
    settled = (
        Exchange.objects.filter(direction=Exchange.Direction.OUT, idempotency_key=key, outcome__in=SETTLED)
        .order_by("pk")
        .first()
    )
    if settled is not None:  # delivered before the bookkeeping was written: only the hook again
        _hook(svc, message, settled)
        return
    _wait_for_earlier(message)
    ax = axis(svc.axis)
    if not ax.configured:
        Exchange.objects.get_or_create(
            direction=Exchange.Direction.OUT,
            idempotency_key=key,
            outcome=Outcome.NOT_CONFIGURED,
            defaults=_base(svc, message) | {"request_body": _dump(p["payload"])[:MAX_LOGGED]},
        )
        raise Later(timezone.now() + NOT_CONFIGURED_WAIT, f"axis {svc.axis} not configured")
    exchange = _send(ax, svc, message)
    _hook(svc, message, exchange)
    if exchange.outcome not in SETTLED:
        raise AxisFailed(f"{svc.code}: {exchange.get_outcome_display()} {exchange.error}".strip())


def _wait_for_earlier(message: OutboxMessage) -> None:
    """Wait while an earlier call of the same dossier is not through (one delivered in this very batch,
    whose bookkeeping is written after the batch, does not hold this one back)."""
    dossier_id = message.payload.get("dossier_id")
    if dossier_id is None:
        return
    earlier = list(
        OutboxMessage.objects.filter(
            topic=AXIS_CALL, dispatched_at__isnull=True, pk__lt=message.pk, payload__dossier_id=dossier_id
        )
        .order_by("pk")
        .values_list("pk", "payload__key", "available_at", "claimed_until")
    )
    if not earlier:
        return
    through = set(
        Exchange.objects.filter(
            direction=Exchange.Direction.OUT,
            idempotency_key__in=[key for _pk, key, _a, _c in earlier],
            outcome__in=SETTLED,
        ).values_list("idempotency_key", flat=True)
    )
    waiting = [row for row in earlier if row[1] not in through]
    if not waiting:
        return
    pk, _key, available_at, claimed_until = waiting[0]
    now = timezone.now()
    at = now + IN_FLIGHT_WAIT if claimed_until and claimed_until > now else max(available_at, now)
    raise Later(at, f"waits for the earlier axis call {pk} of its dossier")


def _base(svc: Service, message: OutboxMessage) -> dict[str, Any]:
    p = message.payload
    return {
        "service": svc.code,
        "axis": svc.axis,
        "dossier_id": p.get("dossier_id"),
        "outbox_message": message,
        "correlation_id": p.get("correlation_id", ""),
    }


def _send(ax: Axis, svc: Service, message: OutboxMessage) -> Exchange:
    p = message.payload
    body = b"" if svc.method == "GET" else _dump(p["payload"]).encode()
    url = f"{ax.url}{svc.path}"
    if svc.method == "GET":
        url += "?" + "&".join(f"{k}={v}" for k, v in sorted(p["payload"].items()))
    attempt = (
        Exchange.objects.filter(direction=Exchange.Direction.OUT, idempotency_key=p["key"])
        .exclude(outcome=Outcome.NOT_CONFIGURED)
        .count()
        + 1
    )
    exchange = _attempt(ax, svc, message, url, body, attempt, fresh_token=False)
    if exchange.http_status == 401 and ax.uses_oauth2:  # the token expired or was revoked: once more
        exchange = _attempt(ax, svc, message, url, body, attempt + 1, fresh_token=True)
    return exchange


def _attempt(
    ax: Axis, svc: Service, message: OutboxMessage, url: str, body: bytes, attempt: int, *, fresh_token: bool
) -> Exchange:
    p = message.payload
    exchange = Exchange(
        **_base(svc, message),
        direction=Exchange.Direction.OUT,
        url=url[:500],
        request_body=body.decode()[:MAX_LOGGED] if body else url,
        attempt=attempt,
        idempotency_key=p["key"],
    )
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "Idempotency-Key": p["key"],
        "X-Correlation-ID": exchange.correlation_id,
    }
    started = time.monotonic()
    try:
        if ax.uses_oauth2:
            headers["Authorization"] = f"Bearer {auth.token(ax, fresh=fresh_token)}"
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers |= signing.sign(svc.method, target, body, secret=ax.signing_secret, client=ax.client_id)
        answer = http.request(
            svc.method,
            url,
            body if svc.method != "GET" else None,
            headers=headers,
            deadline=deadline(svc),
            context=auth.tls_context(ax),
        )
    except auth.AuthFailed as exc:
        exchange.outcome, exchange.error = Outcome.UNREACHABLE, f"token: {exc}"
        exchange.http_status = exc.status
        exchange.response_body = exc.text[:MAX_LOGGED]
    except http.CallFailed as exc:
        timed_out = time.monotonic() - started >= deadline(svc)
        exchange.outcome = Outcome.TIMEOUT if timed_out else Outcome.UNREACHABLE
        exchange.error = str(exc)
    else:
        exchange.http_status = answer.status
        exchange.response_body = answer.text[:MAX_LOGGED]
        exchange.outcome = _outcome(answer.status)
        if exchange.outcome != Outcome.DELIVERED:
            exchange.error = f"HTTP {answer.status}"
    exchange.duration_ms = int((time.monotonic() - started) * 1000)
    exchange.save()
    log.info(
        "axis call",
        extra={
            "service": svc.code,
            "outcome": exchange.outcome,
            "http_status": exchange.http_status,
            "duration_ms": exchange.duration_ms,
            "attempt": attempt,
            "correlation_id": exchange.correlation_id,
        },
    )
    return exchange


def _outcome(status: int) -> str:
    if 200 <= status < 300:
        return Outcome.DELIVERED
    if status in (401, 408, 409, 425, 429) or status >= 500:
        return Outcome.FAILED
    return Outcome.REFUSED


def _hook(svc: Service, message: OutboxMessage, exchange: Exchange) -> None:
    hook = _hooks.get(svc.code)
    if hook is None or exchange.outcome not in SETTLED:
        return
    hook(message, Answer(exchange, _json_object(exchange.response_body)))


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _json_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def record_inbound(
    *,
    service_code: str,
    axis_name: str,
    body: str,
    message_id: str,
    dossier_id: int | None,
    correlation_id: str = "",
    refused: str = "",
) -> tuple[Exchange, bool]:
    """Log a message the axis delivered to the province; returns it and whether it is new (a message
    with the same id received before is logged as a duplicate, and is not new)."""
    seen = Exchange.objects.filter(
        direction=Exchange.Direction.IN,
        service=service_code,
        idempotency_key=message_id,
        outcome=Outcome.RECEIVED,
    ).exists()
    outcome = Outcome.REJECTED if refused else Outcome.DUPLICATE if seen else Outcome.RECEIVED
    exchange = Exchange.objects.create(
        service=service_code,
        axis=axis_name,
        direction=Exchange.Direction.IN,
        dossier_id=dossier_id,
        request_body=body[:MAX_LOGGED],
        outcome=outcome,
        error=refused,
        idempotency_key=message_id[:120],
        correlation_id=correlation_id[:64] or uuid.uuid4().hex,
        http_status=400 if refused else 200,
    )
    return exchange, outcome == Outcome.RECEIVED


def exchanges_of(dossier_id: int) -> models.QuerySet[Exchange]:
    return Exchange.objects.filter(dossier_id=dossier_id).order_by("at", "pk")
