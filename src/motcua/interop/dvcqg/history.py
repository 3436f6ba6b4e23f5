"""The appointment history DongBoHoSoMC carries, so that the national portal judges a dossier on time or
late as the province does (docs/domain.md "Processing", "Time"; Circular 01/2018 Art. 13).

What the portal needs, and where it comes from here:
- NgayHenTra: the appointment the province judges against (`dossiers.selectors.judged_appointment`): after
  a lawful apology letter the new date, after an unlawful one the date it had before.
- NgayHenTraBanDau: the appointment without any apology (`Dossier.original_appointment_at`, the reference
  of "early"). The name is ours (*unverified*): no provincial code we found sends it.
- The apology letter (form 04), only when lawful: NgayXinLoi, LyDoXinLoi (*unverified* names), NgayHenTraCu,
  NgayHenTraMoi (the names of the apology event in TD DichVuCong: HuanVu201/DichVuCong_KhoaLuan_PASETO,
  DichVuCongApi/src/Core/Domain/Business/Events/DuThaoXuLyHoSo/DuThaoXinLoiEvent.cs; there the letter
  reaches DVCQG only as a progress step, HoSoServices.DuThaoXinLoi). An unlawful letter sends nothing here:
  its new date does not count.
- DanhSachHoSoBoSung: one entry per pause of the clock. Field names are DVCQG's, as listed in
  VietOpenCPS/opencps-v2 modules/backend-dossiermgt/backend-dossiermgt-service/src/main/java/org/opencps/
  dossiermgt/action/impl/DVCQGIntegrationActionImpl.java (createSyncDossierBodyRequest: HoSoBoSungId,
  NguoiYeuCauBoSung, NoiDungBoSung, NgayBoSung, NgayTiepNhanBoSung, TrangThaiBoSung, DanhSachGiayToBoSung,
  NgayHenTraTruoc, NgayHenTraMoi) and in HuanVu201/DichVuCong_KhoaLuan_PASETO DichVuCongApi/src/Core/
  Application/Common/KetNoi/DVC/SyncLocalDataToDVCQG/ISyncLocalDataToDVCQGService.cs (class HoSoBoSung).
  They are filled the way TD DichVuCong fills its HoSoBoSung rows (DichVuCongApi/src/Core/Domain/Business/
  HoSoBoSung.cs; DichVuCongApi/src/Core/Application/Business/HoSoApp/HoSoServices.cs): a supplement request
  keeps NgayBoSung (the request) and NgayHenTraTruoc (the appointment then), its completion adds
  NgayTiepNhanBoSung and NgayHenTraMoi (the clock restarted from zero); a financial obligation (status 6)
  is an entry too, whose NgayHenTraMoi is the appointment moved by the paused time. LoaiBoSung ("1"
  supplement, "2" financial obligation) is ours (*unverified*; TD writes the kind as text in
  TrangThaiBoSung), and TrangThaiBoSung is "1" once the applicant completed (TD: a boolean), else "0".
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from motcua.dossiers.models import ClockPause, Dossier, Reschedule
from motcua.dossiers.selectors import judged_appointment, reschedule_of
from motcua.dossiers.states import Act

SUPPLEMENT, FINANCIAL = "1", "2"  # LoaiBoSung
DateFormat = Callable[[datetime | None], str]
KINDS: dict[str, str] = {ClockPause.Kind.SUPPLEMENT: SUPPLEMENT, ClockPause.Kind.FINANCIAL: FINANCIAL}
RESUMING_ACTS = (Act.COMPLETE_SUPPLEMENT, Act.FULFIL_FINANCIAL_OBLIGATION)


def appointment_fields(dossier: Dossier, fmt: DateFormat) -> dict[str, Any]:
    """NgayHenTra, NgayHenTraBanDau and the lawful apology's fields; `fmt` writes a date as DVCQG does."""
    reschedule = reschedule_of(dossier)
    lawful = reschedule if reschedule is not None and reschedule.lawful else None
    return {
        "NgayHenTra": fmt(judged_appointment(dossier)),
        "NgayHenTraBanDau": fmt(dossier.original_appointment_at),
        "NgayXinLoi": fmt(lawful.issued_at) if lawful else "",
        "NgayHenTraCu": fmt(lawful.previous_appointment_at) if lawful else "",
        "NgayHenTraMoi": fmt(lawful.new_appointment_at) if lawful else "",
        "LyDoXinLoi": lawful.reason if lawful else "",
    }


def pause_entries(dossier: Dossier, fmt: DateFormat) -> list[dict[str, Any]]:
    """DanhSachHoSoBoSung: every supplement request and financial obligation, in order."""
    pauses = list(dossier.pauses.select_related("requested_by").order_by("started_at", "pk"))
    # A pause ends either when the applicant completes (the clock resumes) or when the dossier is closed
    # while paused (refused, withdrawn): only the first gives a new appointment.
    resumed = set(dossier.events.filter(act__in=RESUMING_ACTS).values_list("at", flat=True))
    reschedule = reschedule_of(dossier)
    entries = []
    for i, pause in enumerate(pauses):
        completed = pause.ended_at is not None and pause.ended_at in resumed
        after = _appointment_after(pause, pauses[i + 1 :], reschedule, dossier) if completed else None
        entries.append(
            {
                "HoSoBoSungId": str(pause.pk),
                "LoaiBoSung": KINDS.get(pause.kind, SUPPLEMENT),
                "NguoiYeuCauBoSung": pause.requested_by.display_name,
                "NoiDungBoSung": pause.reason,
                "NgayBoSung": fmt(pause.started_at),
                "NgayTiepNhanBoSung": fmt(pause.ended_at) if completed else "",
                "TrangThaiBoSung": "1" if completed else "0",
                "DanhSachGiayToBoSung": [str(item) for item in pause.missing_items],
                "NgayHenTraTruoc": fmt(pause.judged_before),
                "NgayHenTraMoi": fmt(after),
            }
        )
    return entries


def _appointment_after(
    pause: ClockPause, later: list[ClockPause], reschedule: Reschedule | None, dossier: Dossier
) -> datetime | None:
    """The appointment judged right after `pause` ended: what the next change found in force (the next
    pause's `judged_before`, or the apology letter's previous date), else the dossier's judged appointment.
    Nothing else moves an appointment between two of these acts."""
    assert pause.ended_at is not None
    if (
        reschedule is not None
        and reschedule.issued_at >= pause.ended_at
        and (not later or reschedule.issued_at < later[0].started_at)
    ):
        return reschedule.previous_appointment_at
    if later:
        return later[0].judged_before
    return judged_appointment(dossier)
