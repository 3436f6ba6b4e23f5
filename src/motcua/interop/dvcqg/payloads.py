"""Payloads of the National Public Service Portal (DVCQG) services, built from what the lifecycle recorded.

Pure functions of a dossier (and one of its events): they read, never write. Field names and codes follow
docs/domain.md "Sync with DVCQG" (QCVN 120:2019/BTTTT practice): dates are `yyyyMMddHHmmss` in local time
(Asia/Ho_Chi_Minh), codes are strings ("1", "2"...), a missing date is "". Optional sources (documents,
payments) are read only when their app is installed, so the payload is valid whatever is present.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation

from motcua.catalog.selectors import fees_for
from motcua.core.models import OrgUnit
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierEvent
from motcua.dossiers.selectors import judged_appointment, reschedule_of
from motcua.dossiers.states import ACT_LABELS, Act
from motcua.interop.dvcqg import history

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss

APPLICANT_KINDS: dict[str, str] = {ApplicantKind.CITIZEN: "1", ApplicantKind.BUSINESS: "2"}
CHANNELS: dict[str, str] = {Channel.COUNTER: "1", Channel.ONLINE: "2", Channel.POST: "3"}

Payload = dict[str, Any]
# An apology letter issued on or after the due date does not move the appointment (Art. 19(9)).
UNLAWFUL_APOLOGY = "phiếu xin lỗi không ban hành trước ngày hết hạn: giữ ngày hẹn trả cũ"


# A dossier the portal itself delivered (motcua.intake.inbound) is known there by the portal's own code:
# intake, above this app, registers the look-up in its AppConfig.ready() (the seam of docs/architecture.md).
_portal_code_lookups: list[Callable[[Dossier], str | None]] = []


def register_portal_code(lookup: Callable[[Dossier], str | None]) -> None:
    """Register a look-up of the portal's own code for a dossier that came from the portal (None if not)."""
    if lookup not in _portal_code_lookups:
        _portal_code_lookups.append(lookup)


def portal_code(dossier: Dossier) -> str:
    """The code the portal knows the dossier by: its own for a dossier it delivered, else the province's."""
    for lookup in _portal_code_lookups:
        code = lookup(dossier)
        if code:
            return code
    return dossier.code


def dvcqg_date(moment: datetime | None) -> str:
    """An aware datetime as `yyyyMMddHHmmss` in Vietnam time; "" when there is none."""
    return moment.astimezone(TZ).strftime(DATE_FORMAT) if moment else ""


def _flag(value: bool) -> str:
    return "1" if value else "0"


def dong_bo_ho_so(dossier: Dossier) -> Payload:
    """DongBoHoSoMC: create or update the whole dossier on the portal (its current state)."""
    procedure = dossier.procedure
    return {
        "MaHoSo": portal_code(dossier),
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        # The catalogue holds the field as text (no national field code yet).
        "MaLinhVuc": procedure.field,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": APPLICANT_KINDS.get(dossier.applicant_kind, "1"),
        "MaDoiTuong": dossier.applicant_id_number,
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "TrichYeuHoSo": dossier.summary or procedure.name,
        # An online dossier not yet received (status 1) is dated by its submission.
        "NgayTiepNhan": dvcqg_date(dossier.received_at or dossier.submitted_at),
        # The appointment judged against, the one without apology, and a lawful apology (see `history`).
        **history.appointment_fields(dossier, dvcqg_date),
        "TrangThaiHoSo": str(dossier.status),
        "NgayTra": dvcqg_date(dossier.returned_at),
        "NgayKetThucXuLy": dvcqg_date(dossier.ended_at),
        "DonViXuLy": _processing_unit(dossier).name,
        "MaDonViXuLy": _processing_unit(dossier).code,
        "KenhThucHien": CHANNELS.get(dossier.channel, "1"),
        "TaiLieuNop": _documents(dossier),
        "DanhSachLePhi": [
            {"TenPhiLePhi": fee.name, "MucPhi": fee.amount_vnd or 0, "GhiChu": fee.note}
            for fee in fees_for(procedure, dossier.channel)
        ],
        "DanhSachHoSoBoSung": history.pause_entries(dossier, dvcqg_date),
        "DanhSachGiayToKetQua": _results(dossier),
        "DuocThanhToanTrucTuyen": _flag(_paid_online(dossier)),
    }


def cap_nhat_tien_do(dossier: Dossier, event: DossierEvent) -> Payload:
    """CapNhatTienDoHoSoMC: one step of the dossier's progress (who did what, when, in which unit)."""
    actor = event.actor
    step = event.step
    with translation.override("vi"):
        try:
            label = str(ACT_LABELS[Act(event.act)])
        except (KeyError, ValueError):
            label = event.act
    content = label[:1].upper() + label[1:]
    if event.reason:
        content = f"{content}: {event.reason}"
    reschedule = reschedule_of(dossier) if event.act == Act.RESCHEDULE else None
    if reschedule is not None and not reschedule.lawful:
        content = f"{content} ({UNLAWFUL_APOLOGY})"
    unit = event.actor_unit or (step.unit if step else None) or dossier.receiving_unit
    return {
        "MaHoSo": portal_code(dossier),
        "NguoiXuLy": actor.display_name if actor else "",
        "ChucDanh": (actor.job_title if actor else "") or "",
        "ThoiDiemXuLy": dvcqg_date(event.at),
        "PhongBanXuLy": unit.name,
        "NoiDungXuLy": content,
        "TrangThai": str(event.to_status),
        "NgayBatDau": dvcqg_date((step.started_at if step else None) or dossier.received_at or event.at),
        "NgayKetThucTheoQuyDinh": dvcqg_date((step.due_at if step else None) or judged_appointment(dossier)),
    }


def _processing_unit(dossier: Dossier) -> OrgUnit:
    step = dossier.current_step
    if step is not None:
        return step.unit
    return dossier.receiving_unit


def _documents(dossier: Dossier) -> list[Payload]:
    """TaiLieuNop: the components handed in; digitised (a scan or upload on file) and taken from the
    e-data store / national databases (once-only reuse), when the documents app records them."""
    digitised: set[int] = set()
    reused: set[int] = set()
    if apps.is_installed("motcua.documents"):
        component_file = apps.get_model("documents", "ComponentFile")
        files = component_file.objects.filter(dossier_component__dossier=dossier)
        digitised = set(
            files.filter(kind__in=component_file.DIGITISED).values_list("dossier_component_id", flat=True)
        )
        reused = set(files.filter(kind="reused").values_list("dossier_component_id", flat=True))
        reused |= set(dossier.reuses.values_list("dossier_component_id", flat=True))
    return [
        {
            "TenTepDinhKem": component.name,
            "HinhThuc": component.form,
            "SoLuong": component.count,
            "DuocSoHoa": _flag(component.pk in digitised),
            "DuocLayTuKhoDMQG": _flag(component.pk in reused),
        }
        for component in dossier.components.filter(provided=True).order_by("pk")
    ]


def _results(dossier: Dossier) -> list[Payload]:
    if not apps.is_installed("motcua.documents"):
        return []
    try:
        result = dossier.electronic_result
    except ObjectDoesNotExist:
        return []
    return [
        {
            "TenGiayTo": dossier.procedure.result_name or dossier.procedure.name,
            "MaGiayTo": result.stored_file.sha256,
            "NgayKy": dvcqg_date(result.signed_at),
            "DonViKy": result.signed_by_unit.name,
            "SoSeriChungThu": result.certificate_serial,
        }
    ]


def _paid_online(dossier: Dossier) -> bool:
    if not apps.is_installed("motcua.payments"):
        return False
    from motcua.payments.selectors import payments_of

    return payments_of(dossier).filter(status="paid").exists()
