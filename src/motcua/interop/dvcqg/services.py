"""Sync of dossiers with the National Public Service Portal (DVCQG) through the transactional outbox.

Every act of the lifecycle (`dossier_changed`, sent inside the act's transaction with the act's event)
enqueues one `dvcqg.sync` message in that transaction. The outbox hands the handler a batch of them, and
per dossier it sends, in this order:
- DongBoHoSoMC once: the dossier as it is now (recorded on the dossier's latest message of the batch; an
  earlier DongBoHoSoMC that was never sent is then "superseded");
- CapNhatTienDoHoSoMC for each event, in event order.

Each call is a `SyncRecord`, saved as soon as the portal has answered (the handler runs outside any
transaction), so that a retry sends only what was not accepted yet. A dossier's calls keep their order: a
failing call stops its dossier's calls (the messages not done are retried), and a message waits while an
earlier message of its dossier is still undispatched.

When no portal is configured nothing is built: the calls are recorded "pending" (one DongBoHoSoMC per dossier
and batch, one CapNhatTienDoHoSoMC per event). Once it is configured, a dossier's pending calls go with its
next sync, or with `motcua dvcqg_catchup` (`catch_up()`), built then.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db.models import BigIntegerField, Exists, Min, OuterRef, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.dispatch import receiver
from django.utils import timezone

from motcua.dossiers.events import dossier_changed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.interop.dvcqg import payloads
from motcua.interop.dvcqg.transport import Transport, TransportError, configured, get_transport
from motcua.interop.models import SyncRecord
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Later, enqueue, handles_batch, periodic

SYNC = "dvcqg.sync"
CATCH_UP = "catch_up"  # the `act` of a message that only sends what a dossier has pending
DONG_BO, CAP_NHAT = SyncRecord.Service.DONG_BO_HO_SO, SyncRecord.Service.CAP_NHAT_TIEN_DO
SENT, FAILED = SyncRecord.Status.SENT, SyncRecord.Status.FAILED
UNSENT = (SyncRecord.Status.PENDING, SyncRecord.Status.FAILED)
IN_FLIGHT_WAIT = timedelta(seconds=10)
CATCH_UP_EVERY = timedelta(minutes=10)  # an earlier message of the dossier is being handled elsewhere


class SyncRefused(Exception):
    """The portal answered with error_code != 0 (or could not be reached): the outbox retries later."""


@receiver(dossier_changed, dispatch_uid="dvcqg.enqueue_sync")
def enqueue_sync(*, dossier: Dossier, act: str, event: DossierEvent | None = None, **kwargs: Any) -> None:
    enqueue(
        SYNC,
        {"dossier_id": dossier.pk, "code": dossier.code, "event_id": event and event.pk, "act": str(act)},
    )


@handles_batch(SYNC)
def sync(messages: list[OutboxMessage]) -> dict[int, Exception]:
    groups: dict[int, list[OutboxMessage]] = defaultdict(list)
    for message in messages:  # in claim order: oldest first
        groups[message.payload["dossier_id"]].append(message)
    if not configured():
        _record_pending(groups)
        return {}
    failures: dict[int, Exception] = _wait_for_earlier(groups, [m.pk for m in messages])
    transport = get_transport()
    dossiers = Dossier.objects.select_related("procedure", "receiving_unit", "current_step__unit").in_bulk(
        list(groups)
    )
    records = _records(groups)
    events = DossierEvent.objects.select_related("actor", "actor_unit", "step__unit").in_bulk(
        [m.payload["event_id"] for group in groups.values() for m in group if m.payload.get("event_id")]
    )
    unreachable: Exception | None = None
    for dossier_id, group in groups.items():
        if unreachable is not None:  # the portal is down: the rest of the batch waits for the back-off
            failures.update({m.pk: SyncRefused(f"not attempted: {unreachable}") for m in group})
            continue
        calls: _Calls | None = None
        try:
            calls = _calls(dossiers[dossier_id], group, records[dossier_id], events)
            _send(transport, calls)
        except Exception as exc:  # this dossier stops here; the others go on
            if isinstance(exc.__cause__, TransportError) and exc.__cause__.http_status is None:
                unreachable = exc
            failures.update({m.pk: exc for m in group if calls is None or not calls.done(m.pk)})
    return failures


def _record_pending(groups: dict[int, list[OutboxMessage]]) -> None:
    """Sync not configured: record what would be sent, without building it (one INSERT)."""
    rows = []
    for dossier_id, group in groups.items():
        last = group[-1]
        rows.append(_record(dossier_id, last, DONG_BO, event_id=last.payload.get("event_id")))
        rows += [
            _record(dossier_id, m, CAP_NHAT, event_id=m.payload["event_id"])
            for m in group
            if m.payload.get("event_id")
        ]
    SyncRecord.objects.bulk_create(rows, ignore_conflicts=True)  # a message run twice records once


def _record(dossier_id: int, message: OutboxMessage, service: str, *, event_id: int | None) -> SyncRecord:
    return SyncRecord(
        dossier_id=dossier_id,
        outbox_message=message,
        service=service,
        payload={"MaHoSo": message.payload.get("code", "")},  # built when it is sent
        event_id=event_id,
    )


def _wait_for_earlier(groups: dict[int, list[OutboxMessage]], batch: list[int]) -> dict[int, Exception]:
    """Hold back (and remove from `groups`) the dossiers with an earlier sync message not in this batch
    (backing off, or handled by another worker): their calls must not overtake it."""
    now = timezone.now()
    first = {dossier_id: group[0].pk for dossier_id, group in groups.items()}
    blocked: dict[int, tuple[datetime, int]] = {}  # dossier → (until when, the message it waits for)
    earlier = (
        OutboxMessage.objects.filter(topic=SYNC, dispatched_at__isnull=True, pk__lt=max(batch))
        .filter(payload__dossier_id__in=list(first))
        .exclude(pk__in=batch)
        .values_list("pk", "payload__dossier_id", "available_at", "claimed_until")
    )
    for pk, dossier_id, available_at, claimed_until in earlier:
        if pk > first[dossier_id]:
            continue
        at = now + IN_FLIGHT_WAIT if claimed_until and claimed_until > now else max(available_at, now)
        if dossier_id not in blocked or at > blocked[dossier_id][0]:
            blocked[dossier_id] = (at, pk)
    held: dict[int, Exception] = {}
    for dossier_id, (at, pk) in blocked.items():
        reason = f"waits for the earlier sync message {pk} of its dossier"
        held.update({m.pk: Later(at, reason) for m in groups.pop(dossier_id)})
    return held


def _records(groups: dict[int, list[OutboxMessage]]) -> dict[int, list[SyncRecord]]:
    """Per dossier: the records of this batch's messages (a retry), and the calls still unsent of messages
    already dispatched (recorded while sync was not configured, or failed in a catch-up)."""
    found: dict[int, list[SyncRecord]] = defaultdict(list)
    if not groups:
        return found
    batch = [m.pk for group in groups.values() for m in group]
    settled = Q(outbox_message__isnull=True) | Q(outbox_message__dispatched_at__isnull=False)
    for record in (
        SyncRecord.objects.filter(dossier_id__in=list(groups))
        .filter(Q(outbox_message__in=batch) | (Q(status__in=UNSENT) & settled))
        .select_related("event__actor", "event__actor_unit", "event__step__unit")
        .order_by("pk")
    ):
        found[record.dossier_id].append(record)
    return found


@dataclass
class _Calls:
    """A dossier's calls in the order they are made, and the unsent DongBoHoSoMC the first one replaces."""

    dossier: Dossier
    dong_bo: SyncRecord
    progress: list[SyncRecord]
    stale: list[SyncRecord]

    def done(self, message: int) -> bool:
        """Whether every call of `message` was accepted."""
        return all(r.status == SENT for r in [self.dong_bo, *self.progress] if r.outbox_message_id == message)


def _calls(
    dossier: Dossier, group: list[OutboxMessage], records: list[SyncRecord], events: dict[int, DossierEvent]
) -> _Calls:
    mine = {m.pk for m in group}
    own = {(r.outbox_message_id, r.service): r for r in records if r.outbox_message_id in mine}
    last = group[-1]
    dong_bo = own.get((last.pk, DONG_BO)) or SyncRecord(
        dossier=dossier, outbox_message=last, service=DONG_BO, event=events.get(last.payload.get("event_id"))
    )
    stale = [r for r in records if r.service == DONG_BO and r.status in UNSENT and r is not dong_bo]
    progress = [r for r in records if r.service == CAP_NHAT and (r.outbox_message_id, CAP_NHAT) not in own]
    for message in group:
        event = events.get(message.payload.get("event_id"))
        if event is not None:
            progress.append(
                own.get((message.pk, CAP_NHAT))
                or SyncRecord(dossier=dossier, outbox_message=message, service=CAP_NHAT, event=event)
            )
    progress = [r for r in progress if r.status != SENT and r.event is not None]
    progress.sort(key=lambda r: r.event_id or 0)  # each has its event by now
    return _Calls(dossier, dong_bo, progress, stale)


def _send(transport: Transport, calls: _Calls) -> None:
    """Make the calls in order; the first refusal raises `SyncRefused` (the later calls are not made)."""
    dossier = calls.dossier
    if calls.dong_bo.status != SENT:
        _call(transport, calls.dong_bo, lambda: payloads.dong_bo_ho_so(dossier))
    if calls.stale:
        SyncRecord.objects.filter(pk__in=[r.pk for r in calls.stale]).update(
            status=SyncRecord.Status.SUPERSEDED, updated_at=timezone.now()
        )
    for record in calls.progress:
        event = record.event
        assert event is not None  # `_calls` keeps only the progress records with their event
        _call(transport, record, partial(payloads.cap_nhat_tien_do, dossier, event))


def _call(transport: Transport, record: SyncRecord, build: Callable[[], dict[str, Any]]) -> None:
    record.payload = build()
    record.attempts += 1
    try:
        response = transport.send(record.service, record.payload)
    except TransportError as exc:
        record.status, record.response = FAILED, f"{exc}\n{exc.text}".strip()
        record.save()
        raise SyncRefused(f"{record.service}: {exc}") from exc
    record.response = response.text
    if not response.delivered:
        record.status = SyncRecord.Status.PENDING  # nothing left this system: kept, not claimed sent
    elif response.accepted:
        record.status, record.sent_at = SENT, timezone.now()
    else:
        record.status = FAILED
    record.save()
    if record.status == FAILED:
        raise SyncRefused(f"{record.service}: error_code {response.error_code}: {response.text[:500]}")


@periodic(every=CATCH_UP_EVERY)
def catch_up_when_configured() -> int:
    """The workers' own sweep: once a portal is configured, what was recorded while it was not goes."""
    return catch_up() if configured() else 0


def catch_up() -> int:
    """Queue a sync for every dossier with calls left unsent by dispatched messages (recorded while sync
    was not configured), oldest first, unless a sync of it is already waiting in the outbox; returns how
    many. The outbox sends each dossier's in order."""
    settled = Q(outbox_message__isnull=True) | Q(outbox_message__dispatched_at__isnull=False)
    queued = (
        OutboxMessage.objects.filter(topic=SYNC, dispatched_at__isnull=True)
        .annotate(for_dossier=Cast(KT("payload__dossier_id"), BigIntegerField()))
        .filter(for_dossier=OuterRef("dossier_id"))
    )
    waiting = (
        SyncRecord.objects.filter(status__in=UNSENT)
        .filter(settled)
        .exclude(Exists(queued))
        .values("dossier_id", "dossier__code")
        .annotate(first=Min("pk"))
        .order_by("first")
    )
    rows = [
        OutboxMessage(
            topic=SYNC,
            payload={
                "dossier_id": w["dossier_id"],
                "code": w["dossier__code"],
                "event_id": None,
                "act": CATCH_UP,
            },
            available_at=timezone.now(),
        )
        for w in waiting
    ]
    OutboxMessage.objects.bulk_create(rows)  # not `enqueue`: the caller drains the outbox itself
    return len(rows)
