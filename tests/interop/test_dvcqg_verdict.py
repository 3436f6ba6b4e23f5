"""The national portal reaches the province's verdict from DongBoHoSoMC alone: the appointment judged
against, the one without apology, a lawful apology, and every pause of the clock (`dvcqg.history`).

Birth registration (3 working days), received Monday 02/03/2026 09:00 at the counter: due Thursday 05/03
09:00. Expected payload values are written by hand from the dates below.
"""

from datetime import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_timeliness
from motcua.interop.dvcqg import payloads
from motcua.interop.dvcqg.sandbox import validate
from motcua.interop.dvcqg.verdict import verdict
from tests.factories import Province, local

APOLOGY_REASON = "Cần xác minh thêm thông tin với cơ quan công an"
NO_APOLOGY = {"NgayXinLoi": "", "NgayHenTraCu": "", "NgayHenTraMoi": "", "LyDoXinLoi": ""}


def settle(p: Province, d: Dossier, at: datetime) -> Dossier:
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at)
    d = services.approve(dossier=d, acting_user=p.leader, now=at)
    return services.issue_result(dossier=d, acting_user=p.leader, now=at)


def synced(d: Dossier, expected_verdict: str) -> dict:
    """The payload, accepted by the sandbox, judged by it as the province judges the dossier."""
    d.refresh_from_db()
    data = payloads.dong_bo_ho_so(d)
    assert validate("DongBoHoSoMC", data) == []
    assert dossier_timeliness(d) == expected_verdict
    assert verdict(data, as_of=timezone.now()) == expected_verdict
    return data


def apology(p: Province, d: Dossier, at: datetime) -> Dossier:
    return services.reschedule(
        dossier=d,
        acting_user=p.specialist,
        new_appointment_at=local(2026, 3, 10, 16),
        reason=APOLOGY_REASON,
        now=at,
    )


def test_a_lawful_apology_moves_the_appointment(province):
    # The day before the due date, once the appraisal step (due 04/03 09:00) is late: at risk, and lawful.
    d = apology(province, province.processing(now=local(2026, 3, 2, 9)), local(2026, 3, 4, 9, 30))
    d = settle(province, d, local(2026, 3, 6, 10))  # after the old date, before the new one
    data = synced(d, "on_time")
    assert data["NgayHenTra"] == "20260310160000" and data["NgayHenTraBanDau"] == "20260305090000"
    assert {name: data[name] for name in NO_APOLOGY} == {
        "NgayXinLoi": "20260304093000",
        "NgayHenTraCu": "20260305090000",
        "NgayHenTraMoi": "20260310160000",
        "LyDoXinLoi": APOLOGY_REASON,
    }
    assert data["NgayKetThucXuLy"] == "20260306100000" and data["DanhSachHoSoBoSung"] == []


def test_an_apology_on_the_due_date_does_not_count(province):
    d = apology(province, province.processing(now=local(2026, 3, 2, 9)), local(2026, 3, 5, 8))
    assert d.reschedule.lawful is False  # issued on the day it is due, not the day before
    d = settle(province, d, local(2026, 3, 6, 10))
    data = synced(d, "late")
    assert data["NgayHenTra"] == "20260305090000" and data["NgayHenTraBanDau"] == "20260305090000"
    assert {name: data[name] for name in NO_APOLOGY} == NO_APOLOGY
    # What the portal used to receive (the current appointment) made it count the dossier on time.
    assert d.appointment_at == local(2026, 3, 10, 16)
    assert verdict({**data, "NgayHenTra": "20260310160000"}, as_of=timezone.now()) == "on_time"
    progress = payloads.cap_nhat_tien_do(d, d.events.get(act="reschedule"))
    assert progress["NoiDungXuLy"].endswith(f"({payloads.UNLAWFUL_APOLOGY})")


def test_the_sandbox_refuses_a_late_apology_sent_as_a_rescheduling(province):
    d = apology(province, province.processing(now=local(2026, 3, 2, 9)), local(2026, 3, 5, 8))
    current = payloads.dong_bo_ho_so(d) | {"NgayHenTra": "20260310160000"}  # what used to be sent
    assert validate("DongBoHoSoMC", current) == [
        "NgayHenTra không khớp lịch sử hẹn trả (theo lịch sử: 20260305090000)"
    ]
    forged = payloads.dong_bo_ho_so(d) | {
        "NgayHenTra": "20260310160000",
        "NgayXinLoi": "20260305080000",
        "NgayHenTraCu": "20260305090000",
        "NgayHenTraMoi": "20260310160000",
        "LyDoXinLoi": APOLOGY_REASON,
    }
    errors = validate("DongBoHoSoMC", forged)
    assert errors == ["phiếu xin lỗi phải ban hành chậm nhất 01 ngày trước ngày hẹn trả (NgayHenTraCu)"]
    assert validate("DongBoHoSoMC", forged | {"NgayXinLoi": ""}) == [
        "thông tin xin lỗi, hẹn lại phải có đủ NgayXinLoi, NgayHenTraCu, NgayHenTraMoi, LyDoXinLoi"
    ]


def _request_supplement(p: Province, d: Dossier, at: datetime) -> Dossier:
    return services.request_supplement(
        dossier=d,
        acting_user=p.specialist,
        missing=["Giấy chứng sinh"],
        reason="Thiếu giấy chứng sinh",
        now=at,
    )


def test_a_completed_supplement_restarts_the_clock(province):
    d = _request_supplement(province, province.processing(now=local(2026, 3, 2, 9)), local(2026, 3, 2, 10))
    waiting = payloads.dong_bo_ho_so(d)
    assert validate("DongBoHoSoMC", waiting) == []
    assert verdict(waiting, as_of=local(2026, 3, 20)) == "paused"  # never overdue while waiting
    d = services.complete_supplement(dossier=d, acting_user=province.counter, now=local(2026, 3, 4, 9))
    d = settle(province, d, local(2026, 3, 6, 10))  # after the first date, before the restarted one
    data = synced(d, "early")
    assert data["NgayHenTra"] == "20260309090000" and data["NgayHenTraBanDau"] == "20260309090000"
    assert data["DanhSachHoSoBoSung"] == [
        {
            "HoSoBoSungId": str(d.pauses.get().pk),
            "LoaiBoSung": "1",
            "NguoiYeuCauBoSung": province.specialist.display_name,
            "NoiDungBoSung": "Thiếu giấy chứng sinh",
            "NgayBoSung": "20260302100000",
            "NgayTiepNhanBoSung": "20260304090000",
            "TrangThaiBoSung": "1",
            "DanhSachGiayToBoSung": ["Giấy chứng sinh"],
            "NgayHenTraTruoc": "20260305090000",
            "NgayHenTraMoi": "20260309090000",  # 04/03 09:00 + 3 working days
        }
    ]


def test_a_second_supplement_request_is_late_for_the_portal_too(province):
    d = _request_supplement(province, province.processing(now=local(2026, 3, 2, 9)), local(2026, 3, 2, 10))
    d = services.complete_supplement(dossier=d, acting_user=province.counter, now=local(2026, 3, 3, 9))
    d = _request_supplement(province, d, local(2026, 3, 3, 10))
    d = services.complete_supplement(dossier=d, acting_user=province.counter, now=local(2026, 3, 3, 14))
    d = settle(province, d, local(2026, 3, 4, 10))  # well before its appointment, but asked twice
    data = synced(d, "late")
    entries = data["DanhSachHoSoBoSung"]
    assert [(e["NgayBoSung"], e["NgayTiepNhanBoSung"]) for e in entries] == [
        ("20260302100000", "20260303090000"),
        ("20260303100000", "20260303140000"),
    ]
    assert [(e["NgayHenTraTruoc"], e["NgayHenTraMoi"]) for e in entries] == [
        ("20260305090000", "20260306090000"),
        ("20260306090000", "20260306140000"),
    ]
    assert data["NgayHenTra"] == "20260306140000"


def _financial(p: Province, d: Dossier, start: datetime, end: datetime) -> Dossier:
    d = services.request_financial_obligation(
        dossier=d, acting_user=p.specialist, reason="Nộp lệ phí đăng ký khai sinh", now=start
    )
    return services.fulfil_financial_obligation(dossier=d, acting_user=p.counter, now=end)


def _financial_entry(d: Dossier, p: Province, before: str, after: str) -> dict:
    return {
        "HoSoBoSungId": str(d.pauses.get().pk),
        "LoaiBoSung": "2",
        "NguoiYeuCauBoSung": p.specialist.display_name,
        "NoiDungBoSung": "Nộp lệ phí đăng ký khai sinh",
        "NgayBoSung": "20260302100000",
        "NgayTiepNhanBoSung": "20260303100000",
        "TrangThaiBoSung": "1",
        "DanhSachGiayToBoSung": [],
        "NgayHenTraTruoc": before,
        "NgayHenTraMoi": after,
    }


def test_a_financial_obligation_moves_the_appointment_by_the_paused_time(province):
    d = province.processing(now=local(2026, 3, 2, 9))
    d = _financial(province, d, local(2026, 3, 2, 10), local(2026, 3, 3, 10))  # one working day
    d = settle(province, d, local(2026, 3, 6, 8, 30))  # after the first date, before the moved one
    data = synced(d, "on_time")
    assert data["NgayHenTra"] == "20260306090000" and data["NgayHenTraBanDau"] == "20260306090000"
    assert data["DanhSachHoSoBoSung"] == [
        _financial_entry(d, province, before="20260305090000", after="20260306090000")
    ]


@pytest.mark.parametrize("late", [False, True])
def test_a_lawful_apology_after_a_financial_obligation(province, late):
    d = province.processing(now=local(2026, 3, 2, 9))
    d = _financial(province, d, local(2026, 3, 2, 10), local(2026, 3, 3, 10))
    d = apology(province, d, local(2026, 3, 5, 9, 30))  # due 06/03 09:00: the day before
    d = settle(province, d, local(2026, 3, 11 if late else 10, 10))
    data = synced(d, "late" if late else "on_time")
    assert data["NgayHenTra"] == "20260310160000" and data["NgayHenTraBanDau"] == "20260306090000"
    assert (data["NgayXinLoi"], data["NgayHenTraCu"]) == ("20260305093000", "20260306090000")
    assert data["DanhSachHoSoBoSung"] == [
        _financial_entry(d, province, before="20260305090000", after="20260306090000")
    ]
