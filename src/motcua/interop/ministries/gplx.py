"""The driving-licence management system (GPLX), procedures 3.000347 (renewal, đổi) and 3.000348 (re-issue,
cấp lại).

No public integration code of the system's interface was found: the field names below are invented, in
the camelCase the ministries' services commonly use (as the LLTP one, `interop.ministries.lltp`): the
request `maHoSo`, `maTTHC`, `loaiYeuCau` ("DOI" renewal, "CAP_LAI" re-issue), `hoTen`, `soDinhDanh`,
`dienThoai`, `diaChi`, `ngayTiepNhan` dd/MM/yyyy; the answer `code` "0" and `soBienNhan`; each message back
`maHoSo`, `trangThai` (below), `soGPLX` (the licence number, the result number), `ngayCap`, `lyDo`.
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

KINDS = {"3.000347": "DOI", "3.000348": "CAP_LAI"}
STATES = {
    "TIEP_NHAN": State.SENT,
    "DANG_XU_LY": State.PROCESSING,
    "DA_IN": State.RESULT,
    "TRA_LAI": State.REFUSED,
}
FIELDS = NumberedFields(code="maHoSo", status="trangThai", number="soGPLX", text="lyDo")


class DrivingLicences:
    system = "gplx"
    label = "Hệ thống quản lý giấy phép lái xe"
    service = "gplx.tiep_nhan"
    procedures = frozenset(KINDS)

    def request(self, dossier: Dossier) -> dict[str, Any]:
        return {
            "maHoSo": dossier.code,
            "maTTHC": dossier.procedure.code,
            "loaiYeuCau": KINDS.get(dossier.procedure.code, "DOI"),
            "hoTen": dossier.applicant_name,
            "soDinhDanh": dossier.applicant_id_number,
            "dienThoai": dossier.applicant_phone,
            "diaChi": dossier.applicant_address,
            "ngayTiepNhan": local_text(dossier.received_at, "%d/%m/%Y"),
        }

    def acknowledged(self, data: dict[str, Any]) -> Ack:
        return Ack(
            str(data.get("code")) == "0", str(data.get("soBienNhan") or ""), str(data.get("message") or "")
        )

    def update(self, body: dict[str, Any]) -> Update:
        return numbered_update(body, FIELDS, STATES)
