"""Dossiers submitted on the National Public Service Portal (DVCQG), received into the province's system.

They arrive two ways, both through the outbox (the adapter is `interop.dvcqg.inbound`):
- pull: a `@periodic` task queues a pull every MOTCUA_DVCQG_PULL_MINUTES when a portal is configured
  (`motcua dvcqg_pull` pulls at once); the pull lists the dossiers since the last cursor, records each one
  and only then moves the cursor, so a failed pull loses nothing and is retried;
- webhook (`intake.views.webhook`): the portal POSTs a dossier or a notice naming one; it is recorded and
  answered at once.

`record_delivery` records a delivery once per portal code (`InboundDossier`, unique code: a dossier
delivered twice, or by the webhook and the pull at the same moment, is one row) and queues its reception.
`receive` fetches the dossier with its files if the delivery did not carry it, then, under a lock of the
row, creates the dossier through THE intake path (`intake.services.submit_online`: files stored and
checked, components checked, code assigned, outbox events) — or records why not, in Vietnamese, creating
nothing. Either way the portal is told (`XacNhanHoSo`: received, with the province's code, or refused, with
the reason), and the dossier's later statuses go to the portal under the portal's own code
(`interop.dvcqg.payloads.portal_code`, registered in `IntakeConfig.ready`). A dossier lands in its
receiving unit's "to receive" list (status 1), as an online submission does.

The applicant's identity counts as verified only when the portal says it checked it through VNeID at
level 2 or more (`XacThucDinhDanh` "VNeID", `MucDoXacThuc`): then the dossier is linked to the verified
account of that number (if there is one) and what the e-data store holds is attached; otherwise nothing of
the store is used (docs/domain.md "Once-only and the e-data store").
"""

import base64
import binascii
import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from motcua.catalog.selectors import procedure_by_code, receiving_units
from motcua.core import audit
from motcua.core.errors import ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.identity import MIN_VNEID_LEVEL, verified_holder
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.core.text import fold
from motcua.documents import selectors as documents_selectors
from motcua.documents import services as documents
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.intake import services as intake
from motcua.intake.models import InboundCursor, InboundDossier
from motcua.interop.dvcqg.inbound import PortalRefused, get_portal
from motcua.interop.dvcqg.payloads import dvcqg_date
from motcua.interop.dvcqg.transport import TransportError, configured
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles, periodic

log = logging.getLogger("motcua.dvcqg.inbound")

PULL, RECEIVE, ACKNOWLEDGE = "dvcqg.inbound.pull", "dvcqg.inbound.receive", "dvcqg.inbound.acknowledge"
CURSOR = "dvcqg"
MAX_PAGES = 20  # lists one pull may go through before leaving the rest to the next one
ACCOUNT = "cong-dvcqg"  # the system account the portal's dossiers are submitted by
APPLICANT_KINDS = {"1": ApplicantKind.CITIZEN, "2": ApplicantKind.BUSINESS}
Status = InboundDossier.Status


def portal_account() -> User:
    """The system account inbound dossiers are submitted by, in their history."""
    user, created = User.objects.get_or_create(
        username=ACCOUNT,
        defaults={"role": Role.SYSTEM, "last_name": "Cổng Dịch vụ công quốc gia", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def portal_code_of(dossier: Dossier) -> str | None:
    """The portal's own code of a dossier it delivered; None for every other dossier."""
    return InboundDossier.objects.filter(dossier_id=dossier.pk).values_list("portal_code", flat=True).first()


def pull_minutes() -> float:
    return float(getattr(settings, "MOTCUA_DVCQG_PULL_MINUTES", 5))


# --- deliveries ------------------------------------------------------------------------------------------


def record_delivery(*, code: str, via: str, payload: dict[str, Any] | None = None) -> InboundDossier:
    """Record that the portal delivered the dossier `code` (with its `payload`, if the delivery carried it),
    once per code: a new code queues its reception; a code seen before counts one more delivery and, if it
    was settled already, tells the portal again (it would not deliver it again had it heard)."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        raise ValidationFailed(_("Thiếu mã hồ sơ (MaHoSo) hợp lệ."), code="bad_portal_code")
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundDossier.objects.create(portal_code=code, via=via, payload=payload)
        except IntegrityError:  # delivered before, or by the other way at this moment: one row
            InboundDossier.objects.filter(portal_code=code).update(deliveries=F("deliveries") + 1)
            inbound = InboundDossier.objects.get(portal_code=code)
            if inbound.status != Status.WAITING:
                enqueue(ACKNOWLEDGE, {"inbound_id": inbound.pk, "code": code})
            return inbound
        enqueue(RECEIVE, {"inbound_id": inbound.pk, "code": code})
    audit.record("dvcqg_inbound_delivered", user=portal_account(), inbound_id=inbound.pk, via=via)
    return inbound


def pull(*, max_pages: int = MAX_PAGES) -> int:
    """Pull until the portal lists nothing new (at most `max_pages` lists): each list's dossiers recorded,
    then the cursor moved, in one transaction (a failure moves nothing: the next pull lists them again).
    Returns how many new dossiers were recorded."""
    new = 0
    for _page in range(max_pages):
        state, _created = InboundCursor.objects.get_or_create(name=CURSOR)
        listing = get_portal().list_new(state.cursor)
        with transaction.atomic():
            state = InboundCursor.objects.select_for_update().get(pk=state.pk)
            for code in dict.fromkeys(listing.codes):  # each once, in the order listed
                before = InboundDossier.objects.filter(portal_code=code).exists()
                record_delivery(code=code, via=InboundDossier.Via.PULL)
                new += not before
            moved = listing.cursor != state.cursor
            state.cursor, state.pulled_at = listing.cursor, timezone.now()
            state.save(update_fields=["cursor", "pulled_at"])
        if not listing.codes or not moved:
            break
    return new


@handles(PULL, atomic=False)
def _pull_message(message: OutboxMessage) -> None:
    pull()


@periodic(every=timedelta(minutes=1))
def schedule_pull() -> bool:
    """Queue a pull when a portal is configured and the last one is MOTCUA_DVCQG_PULL_MINUTES old, unless
    one waits already; whether one was queued."""
    minutes = pull_minutes()
    if not configured() or minutes <= 0:
        return False
    pulled_at = InboundCursor.objects.filter(name=CURSOR).values_list("pulled_at", flat=True).first()
    if pulled_at is not None and timezone.now() - pulled_at < timedelta(minutes=minutes):
        return False
    with transaction.atomic():
        _catch_up_acknowledgements()
        if OutboxMessage.objects.filter(topic=PULL, dispatched_at__isnull=True).exists():
            return False
        enqueue(PULL, {})
    return True


def _catch_up_acknowledgements() -> None:
    """Queue the acknowledgements of the dossiers settled while no portal was configured (the demo's)."""
    waiting = set(
        OutboxMessage.objects.filter(topic=ACKNOWLEDGE, dispatched_at__isnull=True).values_list(
            "payload__inbound_id", flat=True
        )
    )
    unheard = InboundDossier.objects.exclude(status=Status.WAITING).filter(acknowledged_at__isnull=True)
    for pk, code in unheard.values_list("pk", "portal_code"):
        if pk not in waiting:
            enqueue(ACKNOWLEDGE, {"inbound_id": pk, "code": code})


# --- reception -------------------------------------------------------------------------------------------


@handles(RECEIVE, atomic=False)
def _receive_message(message: OutboxMessage) -> None:
    receive(message.payload["inbound_id"])


def receive(inbound_id: int) -> InboundDossier:
    """Take the delivered dossier in (or record why not) and queue the portal's acknowledgement. Raises
    `TransportError` when the portal could not give the dossier (the outbox retries)."""
    inbound = InboundDossier.objects.get(pk=inbound_id)
    if inbound.status != Status.WAITING:
        return inbound
    payload = inbound.payload
    refused = ""
    if payload is None:
        try:
            payload = get_portal().fetch(inbound.portal_code)
        except PortalRefused as exc:  # the portal answered that it cannot give it: nothing to retry
            payload = {}
            with translation.override("vi"):
                refused = str(
                    interpolate(_("Cổng DVCQG không trả được hồ sơ: %(error)s"), {"error": str(exc)})
                )
        except TransportError as exc:
            InboundDossier.objects.filter(pk=inbound_id).update(last_error=str(exc)[:2000])
            raise
    account = portal_account()
    with transaction.atomic():
        inbound = InboundDossier.objects.select_for_update().get(pk=inbound_id)
        if inbound.status != Status.WAITING:  # taken in by a concurrent delivery meanwhile
            return inbound
        try:
            if refused:
                raise ValidationFailed(refused)
            with transaction.atomic():  # a refused intake leaves nothing behind
                inbound.dossier = _take_in(payload, inbound.portal_code, account)
            inbound.status = Status.RECEIVED
        except ValidationFailed as error:
            with translation.override("vi"):  # the portal and the record read Vietnamese
                inbound.status, inbound.reason = Status.REJECTED, _reason(error)
        inbound.payload, inbound.settled_at, inbound.last_error = _recorded(payload), timezone.now(), ""
        inbound.save()
        enqueue(ACKNOWLEDGE, {"inbound_id": inbound.pk, "code": inbound.portal_code})
    audit.record(
        f"dvcqg_inbound_{inbound.status}", user=account, inbound_id=inbound.pk, dossier_id=inbound.dossier_id
    )
    return inbound


def _reason(error: ValidationFailed) -> str:
    fields = error.field_messages()
    return "; ".join(dict.fromkeys(fields.values())) if fields else str(error.message)


def _recorded(payload: Any) -> Any:
    """The payload as kept: each file's content replaced by its SHA-256 and size (the file is stored)."""
    if not isinstance(payload, dict):
        return {"raw": payload}
    kept = dict(payload)
    files = payload.get("TaiLieuNop")
    if isinstance(files, list):
        kept["TaiLieuNop"] = [_without_content(item) for item in files]
    return kept


def _without_content(item: Any) -> Any:
    if not isinstance(item, dict) or not isinstance(item.get("DuLieuTepDinhKem"), str):
        return item
    data = _decoded(item["DuLieuTepDinhKem"]) or b""
    rest = {key: value for key, value in item.items() if key != "DuLieuTepDinhKem"}
    return rest | {"SHA256": hashlib.sha256(data).hexdigest(), "KichThuoc": len(data)}


def _decoded(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _text(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name)
    return "" if value is None else str(value).strip()


def _bad(message: Any, **params: Any) -> ValidationFailed:
    return ValidationFailed(interpolate(message, params) if params else message, code="bad_inbound")


def _take_in(payload: Any, portal_code: str, account: User) -> Dossier:
    """The dossier of the portal's `payload`, through the one intake path; ValidationFailed (with the
    reason) when it cannot be taken in."""
    if not isinstance(payload, dict):
        raise _bad(_("Dữ liệu hồ sơ từ Cổng DVCQG không đúng định dạng."))
    if _text(payload, "MaHoSo") and _text(payload, "MaHoSo") != portal_code:
        raise _bad(_("Mã hồ sơ trong dữ liệu khác mã hồ sơ được gửi (%(code)s)."), code=portal_code)
    code = _text(payload, "MaTTHC")
    if not code:
        raise _bad(_("Thiếu mã thủ tục hành chính (MaTTHC)."))
    procedure = procedure_by_code(code)
    if procedure is None:
        raise _bad(_("Thủ tục %(code)s không có trong danh mục đang có hiệu lực của tỉnh."), code=code)
    unit = _receiving_unit(payload, procedure)
    kind = APPLICANT_KINDS.get(_text(payload, "LoaiDoiTuong"))
    if kind is None:
        raise _bad(_("Loại đối tượng (LoaiDoiTuong) phải là 1 (công dân) hoặc 2 (tổ chức)."))
    id_number = _text(payload, "MaDoiTuong")
    verified = (
        kind == ApplicantKind.CITIZEN
        and _text(payload, "XacThucDinhDanh").upper() == "VNEID"
        and _text(payload, "MucDoXacThuc").isdigit()
        and int(_text(payload, "MucDoXacThuc")) >= MIN_VNEID_LEVEL
    )
    # Once-only: for a verified applicant, what the e-data store or the population database gives is not
    # asked for (it is attached by the intake); for anyone else every mandatory component needs its file.
    providable = (
        documents_selectors.reusable_component_ids(
            procedure=procedure, applicant_kind=kind, id_number=id_number, acting_user=account
        )
        if verified
        else set()
    )
    files = _files(payload, procedure, providable)
    uploads: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for component_id, name, data in files:
        try:
            stored = documents.store_upload(uploaded=SimpleUploadedFile(name, data), acting_user=account)
        except ValidationFailed as error:
            raise _bad(
                _("Tệp “%(file)s” không được nhận: %(error)s"), file=name, error=error.message
            ) from error
        uploads.setdefault(component_id, []).append(stored.pk)
        names[stored.pk] = name
    applicant = dossiers.Applicant(
        kind=kind,
        name=_text(payload, "ChuHoSo"),
        id_number=id_number,
        phone=_text(payload, "SoDienThoai"),
        email=_text(payload, "Email"),
        address=_text(payload, "DiaChi"),
        user=verified_holder(id_number) if verified else None,
    )
    return intake.submit_online(
        intake=dossiers.Intake(
            procedure=procedure,
            applicant=applicant,
            receiving_unit=unit,
            components=[dossiers.ProvidedComponent(component_id) for component_id in uploads],
            summary=_text(payload, "TrichYeuHoSo")[:500],
        ),
        acting_user=account,
        uploads=uploads,
        names=names,
        reuse=verified,
    )


def _receiving_unit(payload: dict[str, Any], procedure: Any) -> OrgUnit:
    code = _text(payload, "MaDonViTiepNhan")
    if code:
        unit = OrgUnit.objects.filter(code=code, is_active=True).first()
        if unit is None:
            raise _bad(_("Không có đơn vị tiếp nhận mã %(code)s."), code=code)
        return unit
    units = list(receiving_units(procedure)[:2])
    if len(units) != 1:
        raise _bad(_("Thiếu mã đơn vị tiếp nhận (MaDonViTiepNhan)."))
    return units[0]


def _files(payload: dict[str, Any], procedure: Any, providable: set[int]) -> list[tuple[int, str, bytes]]:
    """(procedure component id, file name, bytes) of each file the portal sent, matched to the procedure's
    components by name; every mandatory component needs one, unless the system can provide it."""
    items = payload.get("TaiLieuNop", [])
    if not isinstance(items, list):
        raise _bad(_("TaiLieuNop phải là danh sách."))
    components = {fold(c.name): c for c in procedure.components.all()}
    found: list[tuple[int, str, bytes]] = []
    for item in items:
        if not isinstance(item, dict):
            raise _bad(_("TaiLieuNop phải là danh sách."))
        component = components.get(fold(_text(item, "TenThanhPhan")))
        if component is None:
            raise _bad(
                _("Thành phần “%(name)s” không có trong thủ tục %(code)s."),
                name=_text(item, "TenThanhPhan"),
                code=procedure.code,
            )
        name = _text(item, "TenTepDinhKem") or f"{component.position}.pdf"
        data = _decoded(_text(item, "DuLieuTepDinhKem"))
        if not data:
            raise _bad(_("Thiếu nội dung tệp “%(file)s” của “%(name)s”."), file=name, name=component.name)
        found.append((component.pk, name[:255], data))
    given = {component_id for component_id, _name, _data in found}
    missing = [c.name for c in components.values() if c.is_mandatory and c.pk not in given | providable]
    if missing:
        raise _bad(_("Thiếu tệp của thành phần bắt buộc: %(items)s"), items="; ".join(missing))
    return found


# --- acknowledgement -------------------------------------------------------------------------------------


@handles(ACKNOWLEDGE, atomic=False)
def _acknowledge_message(message: OutboxMessage) -> None:
    acknowledge(message.payload["inbound_id"])


def acknowledge(inbound_id: int) -> None:
    """Tell the portal the dossier was received (with the province's code) or refused (with the reason)."""
    inbound = InboundDossier.objects.select_related("dossier").get(pk=inbound_id)
    if inbound.status == Status.WAITING or not configured():  # told once a portal is (`schedule_pull`)
        return
    dossier = inbound.dossier
    get_portal().acknowledge(
        code=inbound.portal_code,
        received=inbound.status == Status.RECEIVED,
        local_code=dossier.code if dossier else "",
        reason=inbound.reason,
        at=dvcqg_date(inbound.settled_at),
    )
    InboundDossier.objects.filter(pk=inbound_id).update(acknowledged_at=timezone.now())
