"""DongBoHoSoMC / CapNhatTienDoHoSoMC payloads, and what happens while sync is not configured."""

from motcua.dossiers import services
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.states import Act, Status
from motcua.interop.dvcqg import payloads
from motcua.interop.dvcqg.sandbox import validate
from motcua.interop.models import SyncRecord
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage
from motcua.quality import indicators
from motcua.quality.periods import month
from motcua.quality.selectors import Scope
from tests.dossiers.helpers import at, dossier_in


def test_reception_payload_has_the_portal_fields(province):
    dossier = province.receive(now=at(0))
    data = payloads.dong_bo_ho_so(dossier)
    assert data["MaHoSo"] == dossier.code and data["MaTTHC"] == "1.001193"
    assert data["TenTTHC"] == "Thủ tục 1.001193" and data["MaLinhVuc"] == "Hộ tịch"
    assert (data["ChuHoSo"], data["MaDoiTuong"]) == ("Nguyễn Văn An", "040090001234")
    assert (data["LoaiDoiTuong"], data["KenhThucHien"], data["TrangThaiHoSo"]) == ("1", "1", "2")
    assert data["NgayTiepNhan"] == "20260302090000"  # local time, yyyyMMddHHmmss
    assert len(data["NgayHenTra"]) == 14 and data["NgayTra"] == "" and data["NgayKetThucXuLy"] == ""
    assert data["DanhSachLePhi"] == [{"TenPhiLePhi": "Lệ phí", "MucPhi": 10000, "GhiChu": ""}]
    assert [d["TenTepDinhKem"] for d in data["TaiLieuNop"]] == ["Tờ khai"]
    assert data["TaiLieuNop"][0]["DuocSoHoa"] == "0" and data["TaiLieuNop"][0]["DuocLayTuKhoDMQG"] == "0"
    assert data["DanhSachHoSoBoSung"] == [] and data["DanhSachGiayToKetQua"] == []
    assert data["DuocThanhToanTrucTuyen"] == "0" and data["DonViXuLy"] == province.commune.name
    assert validate("DongBoHoSoMC", data) == []


def test_online_business_dossier_codes(province):
    dossier = services.submit_online(
        intake=province.intake(kind=ApplicantKind.BUSINESS, id_number="2901234567"),
        acting_user=province.citizen,
        now=at(0),
    )
    data = payloads.dong_bo_ho_so(dossier)
    assert dossier.channel == Channel.ONLINE
    assert (data["LoaiDoiTuong"], data["KenhThucHien"], data["TrangThaiHoSo"]) == ("2", "2", "1")
    assert data["NgayTiepNhan"] == "20260302090000"  # not received yet: the submission moment


def test_supplement_and_return_are_in_the_payloads(province):
    dossier = dossier_in(province, Status.SUPPLEMENT_REQUESTED)
    supplements = payloads.dong_bo_ho_so(dossier)["DanhSachHoSoBoSung"]
    assert supplements == [
        {
            "HoSoBoSungId": str(dossier.pauses.get().pk),
            "LoaiBoSung": "1",
            "NguoiYeuCauBoSung": province.specialist.display_name,
            "NoiDungBoSung": "Thiếu giấy",
            "NgayBoSung": "20260302100000",
            "NgayTiepNhanBoSung": "",  # still waiting for the applicant
            "TrangThaiBoSung": "0",
            "DanhSachGiayToBoSung": ["Giấy chứng sinh"],
            "NgayHenTraTruoc": "20260305090000",
            "NgayHenTraMoi": "",
        }
    ]
    returned = dossier_in(province, Status.RETURNED)
    data = payloads.dong_bo_ho_so(returned)
    assert data["TrangThaiHoSo"] == "10"
    assert data["NgayTra"] == "20260302130000" and data["NgayKetThucXuLy"] == "20260302120000"
    event = returned.events.get(act=Act.RETURN_RESULT)
    progress = payloads.cap_nhat_tien_do(returned, event)
    assert progress["MaHoSo"] == returned.code and progress["TrangThai"] == "10"
    assert progress["NguoiXuLy"] == province.counter.display_name
    assert progress["ThoiDiemXuLy"] == "20260302130000"
    assert progress["PhongBanXuLy"] == province.commune.name
    assert progress["NoiDungXuLy"].startswith("Trả kết quả")
    assert validate("CapNhatTienDoHoSoMC", progress) == []


def test_digitised_component_is_flagged(province):
    from motcua.documents.models import ComponentFile, StoredFile

    dossier = province.receive(now=at(0))
    stored = StoredFile.objects.create(
        sha256="a" * 64, file="files/aa/aa/x.pdf", content_type="application/pdf", size=10
    )
    ComponentFile.objects.create(
        dossier_component=dossier.components.get(provided=True),
        stored_file=stored,
        kind=ComponentFile.Kind.SCAN,
        digitised_by=province.counter,
        digitised_at=at(0),
    )
    assert payloads.dong_bo_ho_so(dossier)["TaiLieuNop"][0]["DuocSoHoa"] == "1"


def test_sync_disabled_records_pending_and_claims_nothing(province, settings):
    settings.MOTCUA_DVCQG_URL = ""
    dossier = province.receive(now=at(0))
    message = OutboxMessage.objects.get(topic="dvcqg.sync")
    assert message.payload["dossier_id"] == dossier.pk and message.payload["act"] == "receive"
    assert message.payload["event_id"] == dossier.events.get().pk
    outbox.dispatch_pending()
    message.refresh_from_db()
    assert message.dispatched_at is not None  # nothing to retry: nothing can be sent
    records = SyncRecord.objects.filter(dossier=dossier)
    assert {r.service for r in records} == {"DongBoHoSoMC", "CapNhatTienDoHoSoMC"}
    assert {r.status for r in records} == {"pending"} and all(r.sent_at is None for r in records)
    assert records.get(service="DongBoHoSoMC").payload["MaHoSo"] == dossier.code
    results = {
        r.indicator.id: r
        for r in indicators.compute(scope=Scope.of(province.province), period=month(2026, 3))
    }
    assert results["1.4"].numerator is None and results["1.4"].score is None  # "chưa có dữ liệu"
    assert not results["1.4"].has_data


def test_sandbox_refuses_bad_dates_and_missing_fields(province):
    data = payloads.dong_bo_ho_so(province.receive(now=at(0)))
    data["NgayTiepNhan"] = "02/03/2026"
    del data["MaTTHC"]
    errors = validate("DongBoHoSoMC", data)
    assert "thiếu trường MaTTHC" in errors and any("NgayTiepNhan" in e for e in errors)
