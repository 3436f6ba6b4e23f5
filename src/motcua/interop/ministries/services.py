"""Handing a dossier to a ministry's system over the axis, and what comes back into the dossier.

1. `send_to_ministry`: the officer holding the dossier's appraisal step (THE guard: whoever may hand the
   step on, `Act.COMPLETE_STEP` in `available_acts`) sends it; in one transaction the case is recorded
   and the axis call queued (`axis.transport.call`, through the outbox). The ministry's answer gives its
   reference (`_acknowledged`).
2. The ministry sends its statuses and result back through the axis (`receive`, called by the inbound
   view once the axis's signature is checked): each message is logged and queued once (a message
   delivered twice is logged as a duplicate and dropped); `apply_update` applies them in order per dossier.
3. A result: the record (a PDF, judicial records) is signed with the issuing unit's certificate and stored
   by documents (`sign_supplied_result`); the result number is kept; the dossier goes on through its own
   acts (`dossiers.services.complete_step`, by the officer who sent it, when the guard still lets them), so
   the leader approves and issues the result as usual. When the result is issued (`ISSUE_RESULT`), documents
   issues the signed record as the dossier's e-result and files it in the applicant's e-data store
   (`issue_supplied_result`, called by `file_result`); this app writes none of documents' tables.
"""

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import audit
from motcua.core.errors import DomainError, PermissionDenied, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import User
from motcua.documents import services as documents
from motcua.dossiers import services as dossier_services
from motcua.dossiers.events import dossier_changed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import available_acts
from motcua.dossiers.states import Act
from motcua.interop.axis import transport
from motcua.interop.ministries.connectors import (
    Connector,
    Unreadable,
    Update,
    connector,
    connector_for,
    connectors,
)
from motcua.interop.models import Exchange, MinistryCase, MinistryUpdate
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import Later, enqueue, handles

APPLY_UPDATE = "ministries.update"
State = MinistryCase.State


def may_send(*, dossier: Dossier, acting_user: User) -> bool:
    """Whether `acting_user` may send `dossier` to its ministry now: a procedure with a connector, not
    sent yet, and the user holds the appraisal step (the one guard: they may hand it on)."""
    found = connector_for(dossier.procedure.code)
    return (
        found is not None
        and not MinistryCase.objects.filter(dossier=dossier, system=found.system).exists()
        and Act.COMPLETE_STEP in available_acts(acting_user, dossier)
    )


def send_to_ministry(*, dossier: Dossier, acting_user: User) -> MinistryCase:
    found = connector_for(dossier.procedure.code)
    if found is None:
        raise ValidationFailed(
            gettext_lazy("Thủ tục của hồ sơ không liên thông với hệ thống bộ/ngành nào."), code="no_ministry"
        )
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_unit", "current_step__unit")
            .get(pk=dossier.pk)
        )
        if Act.COMPLETE_STEP not in available_acts(acting_user, locked, now=now):
            audit.denied(acting_user, f"ministry:{found.system}", dossier_id=locked.pk)
            raise PermissionDenied(
                gettext_lazy("Chỉ cán bộ đang giữ bước thẩm định của hồ sơ mới được gửi hồ sơ sang bộ/ngành.")
            )
        if MinistryCase.objects.filter(dossier=locked, system=found.system).exists():
            raise ValidationFailed(
                interpolate(gettext_lazy("Hồ sơ đã được gửi sang %(system)s."), {"system": found.label}),
                code="already_sent",
            )
        case = MinistryCase.objects.create(
            dossier=locked, system=found.system, requested_by=acting_user, requested_at=now
        )
        transport.call(
            found.service,
            found.request(locked),
            dossier_id=locked.pk,
            key=f"{found.system}:{locked.code}:gui",
            correlation_id=f"{found.system}-{locked.code}",
        )
        transaction.on_commit(
            lambda: audit.record(
                "ministry_request", user=acting_user, dossier_id=locked.pk, system=found.system
            )
        )
    return case


def _acknowledged(found: Connector) -> transport.AnswerHook:
    @transport.on_answer(found.service)
    def hook(message: OutboxMessage, answer: transport.Answer) -> None:
        ack = found.acknowledged(answer.data)
        with transaction.atomic():
            case = (
                MinistryCase.objects.select_for_update()
                .filter(dossier_id=message.payload["dossier_id"], system=found.system)
                .first()
            )
            if case is None or case.state != State.QUEUED:
                return  # answered before (a repeat), or a later status came first
            if answer.delivered and ack.accepted:
                case.state, case.remote_reference = State.SENT, ack.reference[:80]
            else:
                case.state = State.REFUSED
                case.note = _("Bộ/ngành từ chối tiếp nhận: %(message)s") % {
                    "message": ack.message or answer.exchange.response_body[:500]
                }
            case.save(update_fields=["state", "remote_reference", "note", "updated_at"])

    return hook


for _found in connectors().values():
    _acknowledged(_found)


# --- what comes back ---------------------------------------------------------------------------------


def receive(*, system: str, body: bytes, axis_name: str, correlation_id: str = "") -> tuple[Exchange, str]:
    """A message the axis delivered from `system` (signature already checked): logged; queued to be applied
    once. Returns the exchange and "received", "duplicate" or why it was refused (nothing queued)."""
    text = body.decode("utf-8", "replace")
    message_id = hashlib.sha256(body).hexdigest()  # the same message delivered twice is the same bytes
    code = f"{system}.ket_qua"
    try:
        found = connector(system)
        data = json.loads(text)
        if not isinstance(data, dict):
            raise Unreadable("không phải đối tượng JSON")
        update = found.update(data)
        dossier_id = (
            MinistryCase.objects.filter(system=system, dossier__code=update.dossier_code)
            .values_list("dossier_id", flat=True)
            .first()
        )
        if dossier_id is None:
            raise Unreadable(f"không có hồ sơ {update.dossier_code} đã gửi sang {system}")
    except (LookupError, ValueError) as exc:
        exchange, _new = transport.record_inbound(
            service_code=code,
            axis_name=axis_name,
            body=text,
            message_id=message_id,
            dossier_id=None,
            correlation_id=correlation_id,
            refused=str(exc),
        )
        return exchange, str(exc)
    with transaction.atomic():
        exchange, new = transport.record_inbound(
            service_code=code,
            axis_name=axis_name,
            body=text,
            message_id=message_id,
            dossier_id=dossier_id,
            correlation_id=correlation_id,
        )
        if new:
            enqueue(APPLY_UPDATE, {"system": system, "exchange_id": exchange.pk, "dossier_id": dossier_id})
    return exchange, "received" if new else "duplicate"


@handles(APPLY_UPDATE, atomic=False)
def apply_update(message: OutboxMessage) -> None:
    """Apply one message of a ministry (idempotent: a message applied is not applied again)."""
    p = message.payload
    _wait_for_earlier(message)
    exchange = Exchange.objects.get(pk=p["exchange_id"])
    found = connector(p["system"])
    update = found.update(json.loads(exchange.request_body))
    case = MinistryCase.objects.select_related("dossier__procedure", "requested_by").get(
        dossier_id=p["dossier_id"], system=found.system
    )
    if MinistryUpdate.objects.filter(case=case, message_id=exchange.idempotency_key, applied=True).exists():
        return
    signed = None
    if update.result_pdf is not None and case.result_file_id is None:
        signed = documents.sign_supplied_result(
            dossier=case.dossier,
            pdf=update.result_pdf,
            acting_user=case.requested_by,
            number=update.result_number,
        )
    with transaction.atomic():
        case = MinistryCase.objects.select_for_update().select_related("requested_by").get(pk=case.pk)
        try:
            with transaction.atomic():
                row = MinistryUpdate.objects.create(
                    case=case,
                    message_id=exchange.idempotency_key,
                    remote_status=update.remote_status[:40],
                    mapped_status=update.mapped,
                    result_number=update.result_number[:80],
                    text=update.text,
                )
        except IntegrityError:
            row = MinistryUpdate.objects.get(case=case, message_id=exchange.idempotency_key)
            if row.applied:
                return
        _record(case, update, signed)
        _advance(case, update)
        row.applied = True
        row.save(update_fields=["applied"])


def _wait_for_earlier(message: OutboxMessage) -> None:
    earlier = (
        OutboxMessage.objects.filter(
            topic=APPLY_UPDATE,
            dispatched_at__isnull=True,
            pk__lt=message.pk,
            payload__dossier_id=message.payload["dossier_id"],
        )
        .values_list("pk", "available_at")
        .first()
    )
    if earlier is not None:
        raise Later(max(earlier[1], timezone.now()), f"waits for the earlier ministry message {earlier[0]}")


def _record(case: MinistryCase, update: Update, signed: documents.SignedResult | None) -> None:
    if case.state == State.RESULT and update.state != State.RESULT:
        return  # a progress message arriving after the result never takes it back (kept as an update)
    case.state = update.state
    case.remote_status = update.remote_status[:40]
    case.mapped_status = update.mapped
    if update.reference and not case.remote_reference:
        case.remote_reference = update.reference[:80]
    if update.result_number:
        case.result_number = update.result_number[:80]
    if signed is not None and case.result_file_id is None:
        case.result_file = signed.stored_file
        case.certificate_serial = signed.certificate_serial
        case.signed_at = signed.signed_at
    if update.state in (State.SUPPLEMENT, State.REFUSED) and update.text:
        case.note = update.text
    case.save()


def _advance(case: MinistryCase, update: Update) -> None:
    """A result moves the dossier on through its own act, by the officer who sent it (if the guard still
    lets them: else the case notes why, and the officer hands the step on by hand)."""
    if update.state != State.RESULT:
        return
    dossier = Dossier.objects.select_related("procedure").get(pk=case.dossier_id)
    officer = case.requested_by
    if Act.COMPLETE_STEP not in available_acts(officer, dossier):
        case.note = _("Đã nhận kết quả; bước xử lý chưa được chuyển tự động (cán bộ không còn giữ bước).")
        case.save(update_fields=["note", "updated_at"])
        return
    found = connector(case.system)
    opinion = _("Đã nhận kết quả từ %(system)s, số %(number)s.") % {
        "system": found.label,
        "number": update.result_number or "—",
    }
    try:
        dossier_services.complete_step(dossier=dossier, acting_user=officer, opinion=opinion)
    except DomainError as refused:
        case.note = str(refused)
        case.save(update_fields=["note", "updated_at"])


@receiver(dossier_changed, dispatch_uid="ministries.file_result")
def file_result(*, dossier: Dossier, act: Act, event: DossierEvent, **kwargs: Any) -> None:
    """The result is issued: documents issues the ministry's record, signed when it arrived, as the dossier's
    e-result and files it in the e-data store (in this act's transaction, so that documents finds it after
    commit instead of rendering a generic notice). A record documents refuses does not block the act: the
    case notes why, and the generic notice is issued."""
    if act != Act.ISSUE_RESULT or event.actor is None:
        return
    case = (
        MinistryCase.objects.filter(dossier=dossier, state=State.RESULT, result_file__isnull=False)
        .select_related("result_file")
        .first()
    )
    if case is None or case.result_file is None:
        return
    with case.result_file.file.open("rb") as handle:
        pdf = handle.read()
    try:
        documents.issue_supplied_result(
            dossier=dossier, pdf=pdf, acting_user=event.actor, number=case.result_number
        )
    except DomainError as refused:
        case.note = _("Phiếu không được phát hành làm kết quả điện tử: %(reason)s") % {"reason": str(refused)}
        case.save(update_fields=["note", "updated_at"])


def cases_of(dossier: Dossier) -> list[MinistryCase]:
    return list(MinistryCase.objects.filter(dossier=dossier).prefetch_related("updates").order_by("pk"))
