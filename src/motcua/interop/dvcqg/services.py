"""Sync of dossiers with the National Public Service Portal (DVCQG) through the transactional outbox.

Every act of the lifecycle (`dossier_changed`, sent inside the act's transaction) enqueues one `dvcqg.sync`
message in that transaction. After commit the outbox handler builds DongBoHoSoMC (the dossier as it is now)
and CapNhatTienDoHoSoMC (the act's event) and sends them through the configured transport.

Each call is a `SyncRecord` (one per message and service). The outbox runs a handler inside a savepoint
that is rolled back when it raises, so the records of an attempt are written with the outbox's own
bookkeeping of that attempt (`post_save` of the message): a refused call stays "failed" with the portal's
answer while the message waits for its retry, and a retry sends only what was not accepted yet.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from motcua.dossiers.events import dossier_changed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.interop.dvcqg import payloads
from motcua.interop.dvcqg.transport import TransportError, get_transport
from motcua.interop.models import OutboxMessage, SyncRecord
from motcua.interop.outbox import enqueue, handles

SYNC = "dvcqg.sync"
_ATTEMPT = "_dvcqg_records"  # the records of the running attempt, kept on the message being handled


class SyncRefused(Exception):
    """The portal answered with error_code != 0 (or could not be reached): the outbox retries later."""


@receiver(dossier_changed, dispatch_uid="dvcqg.enqueue_sync")
def enqueue_sync(*, dossier: Dossier, act: str, **kwargs) -> None:
    event = dossier.events.order_by("-pk").only("pk").first()  # the act's event, written just before
    enqueue(SYNC, {"dossier_id": dossier.pk, "event_id": event.pk if event else None, "act": str(act)})


@handles(SYNC)
def sync(message: OutboxMessage) -> None:
    dossier = Dossier.objects.select_related("procedure", "receiving_unit", "current_step__unit").get(
        pk=message.payload["dossier_id"]
    )
    event_id = message.payload.get("event_id")
    event = (
        DossierEvent.objects.select_related("actor", "actor_unit", "step__unit").filter(pk=event_id).first()
        if event_id
        else None
    )
    earlier = {record.service: record for record in SyncRecord.objects.filter(outbox_message=message)}
    calls = [(SyncRecord.Service.DONG_BO_HO_SO, payloads.dong_bo_ho_so(dossier))]
    if event is not None:
        calls.append((SyncRecord.Service.CAP_NHAT_TIEN_DO, payloads.cap_nhat_tien_do(dossier, event)))
    attempt: list[SyncRecord] = []
    setattr(message, _ATTEMPT, attempt)
    transport = get_transport()
    for service, payload in calls:
        record = earlier.get(service) or SyncRecord(
            dossier=dossier, event=event, outbox_message=message, service=service
        )
        if record.status == SyncRecord.Status.SENT:
            continue  # accepted by an earlier attempt
        record.payload = payload
        record.attempts += 1
        attempt.append(record)
        try:
            response = transport.send(service, payload)
        except TransportError as exc:
            record.status, record.response = SyncRecord.Status.FAILED, f"{exc}\n{exc.text}".strip()
            raise SyncRefused(f"{service}: {exc}") from exc
        record.response = response.text
        if not response.delivered:
            record.status = SyncRecord.Status.PENDING  # sync disabled: kept, not claimed sent
        elif response.accepted:
            record.status, record.sent_at = SyncRecord.Status.SENT, timezone.now()
        else:
            record.status = SyncRecord.Status.FAILED
            raise SyncRefused(f"{service}: error_code {response.error_code}: {response.text[:500]}")


@receiver(post_save, sender=OutboxMessage, dispatch_uid="dvcqg.keep_attempt")
def _keep_attempt(*, instance: OutboxMessage, created: bool, update_fields=None, **kwargs) -> None:
    """Write the records of the attempt with the outbox's bookkeeping (success or failure alike)."""
    records = instance.__dict__.pop(_ATTEMPT, None)
    if created or not records:
        return
    for record in records:
        record.save()
