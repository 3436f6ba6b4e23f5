"""The national business registration portal (Cổng thông tin quốc gia về đăng ký doanh nghiệp, DKKD),
procedures 2.001610 and 2.001583.

No public integration code of the portal's interface was found: the field names below are invented, in
the DVCQG style the province already speaks (PascalCase, `yyyyMMddHHmmss` dates; docs/domain.md "Sync with
DVCQG"): the request `MaHoSo`, `MaTTHC`, `TenTTHC`, `NguoiNop` (`HoTen`, `SoGiayTo`, `DienThoai`, `Email`,
`DiaChi`), `NgayTiepNhan`, `NgayHenTra`; the answer `ErrorCode` (0: accepted) and `MaHoSoDKKD`; each
message back `MaHoSo`, `MaHoSoDKKD`, `TrangThai` (below), `MaSoDoanhNghiep` (the enterprise code, the
result number), `NgayCap`, `GhiChu`.
"""

from typing import Any

from motcua.dossiers.models import Dossier
from motcua.interop.ministries.connectors import (
    Ack,
    NumberedFields,
    State,
    Update,
    local_text,
    numbered_update,
)

STATES = {
    "DA_TIEP_NHAN": State.SENT,
    "DANG_XU_LY": State.PROCESSING,
    "YEU_CAU_BO_SUNG": State.SUPPLEMENT,
    "DA_CAP": State.RESULT,
    "TU_CHOI": State.REFUSED,
}
FIELDS = NumberedFields(
    code="MaHoSo", status="TrangThai", number="MaSoDoanhNghiep", text="GhiChu", reference="MaHoSoDKKD"
)


class BusinessRegistration:
    system = "dkkd"
    label = "Cổng thông tin quốc gia về đăng ký doanh nghiệp"
    service = "dkkd.tiep_nhan"
    procedures = frozenset({"2.001610", "2.001583"})

    def request(self, dossier: Dossier) -> dict[str, Any]:
        return {
            "MaHoSo": dossier.code,
            "MaTTHC": dossier.procedure.code,
            "TenTTHC": dossier.procedure.name,
            "NguoiNop": {
                "HoTen": dossier.applicant_name,
                "SoGiayTo": dossier.applicant_id_number,
                "DienThoai": dossier.applicant_phone,
                "Email": dossier.applicant_email,
                "DiaChi": dossier.applicant_address,
            },
            "NgayTiepNhan": local_text(dossier.received_at, "%Y%m%d%H%M%S"),
            "NgayHenTra": local_text(dossier.appointment_at, "%Y%m%d%H%M%S"),
        }

    def acknowledged(self, data: dict[str, Any]) -> Ack:
        return Ack(
            data.get("ErrorCode") == 0, str(data.get("MaHoSoDKKD") or ""), str(data.get("Message") or "")
        )

    def update(self, body: dict[str, Any]) -> Update:
        return numbered_update(body, FIELDS, STATES)
