"""The Ministry of Justice's judicial-record software (LLTP), procedure 3.000333.

Followed: the public source of a provincial one-stop system (C#, its LLTP service: `ConvertFromVNeID2LGSP`
building the `DataLGSP` request sent to the Ministry of Justice over the LGSP, and `DongBoTrangThaiParam`,
posted to `/v2/lyLichTuPhap/traKetQuaHoSoLLTP`, carrying a record's status and result). From it: the
request's `maTinh`, `tenTinh`, `maHoSoMCDT`, `nguonDangKy`, `ngayTiepNhan` and the declaration `toKhai`
(`loaiPhieu`, `soLuongCap`, `mucDich`, `nycHoTen`, `nycGioiTinh`, `nycNgaySinh`, `nycSoGiayTo`,
`nycLoaiGiayTo`, `nycDienThoai`, `nycEmail`, `nycThuongTru.dcChiTiet`, `ngayHenTra` dd/MM/yyyy, `fileHoSo`);
the result message's `maHoSoMCDT`, `trangThaiXuLy` (the DVCQG status codes 1–10), `tenTrangThaiXuLy`,
`lyDoTuChoi`, `ngayHenTraKetQua` and `ketQuaXuLy` (`soPhieuLLTP`, `ngayCapPhieu`, `loaiPhieu`, `nguoiKy`,
`chucVu`, `tinhTrangAnTich`, `tenTinhTrangAnTich`, `phieuLLTP`: the record's PDF in base64); answers
`statusCode` "00" when accepted. Invented here: `maHoSoLLTP`, the ministry's own reference in its answer.
"""

from typing import Any

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.eforms.selectors import declaration_of
from motcua.interop.ministries.connectors import (
    Ack,
    State,
    Unreadable,
    Update,
    local_text,
    pdf_from_base64,
    required_text,
)

PROVINCE_CODE, PROVINCE_NAME = "40", "Nghệ An"  # the province's code in the national list (Nghệ An: 40)
STATES = {
    Status.ACCEPTED: State.SENT,
    Status.PROCESSING: State.PROCESSING,
    Status.SUPPLEMENT_REQUESTED: State.SUPPLEMENT,
    Status.FINISHED: State.RESULT,
    Status.RETURNED: State.RESULT,
    Status.NOT_ACCEPTED: State.REFUSED,
    Status.STOPPED: State.REFUSED,
}


class JudicialRecords:
    system = "lltp"
    label = "Phần mềm cấp Phiếu lý lịch tư pháp (Bộ Tư pháp)"
    service = "lltp.tiep_nhan"
    procedures = frozenset({"3.000333"})

    def request(self, dossier: Dossier) -> dict[str, Any]:
        declaration = declaration_of(dossier)
        answers = declaration.answers if declaration is not None else {}
        asked = answers.get("request") or {}
        return {
            "maTinh": PROVINCE_CODE,
            "tenTinh": PROVINCE_NAME,
            "maHoSoMCDT": dossier.code,
            "nguonDangKy": "2" if dossier.channel == "online" else "1",
            "ngayTiepNhan": local_text(dossier.received_at, "%d/%m/%Y %H:%M:%S"),
            "toKhai": {
                "ngayHenTra": local_text(dossier.appointment_at, "%d/%m/%Y"),
                "loaiPhieu": str(asked.get("form_no") or "1"),
                "soLuongCap": str(asked.get("copies") or "1"),
                "mucDich": str(asked.get("purpose") or ""),
                "nycHoTen": dossier.applicant_name,
                "nycSoGiayTo": dossier.applicant_id_number,
                "nycLoaiGiayTo": "1",  # citizen identity card
                "nycDienThoai": dossier.applicant_phone,
                "nycEmail": dossier.applicant_email,
                "nycThuongTru": {"dcChiTiet": dossier.applicant_address},
                "fileHoSo": [],
            },
        }

    def acknowledged(self, data: dict[str, Any]) -> Ack:
        accepted = str(data.get("statusCode", "")) == "00"
        message = str(data.get("message") or data.get("errorDescription") or "")
        return Ack(accepted, str(data.get("maHoSoLLTP") or ""), message)

    def update(self, body: dict[str, Any]) -> Update:
        code = required_text(body, "maHoSoMCDT")
        raw = required_text(body, "trangThaiXuLy")
        try:
            mapped = Status(int(raw))
        except ValueError as exc:
            raise Unreadable(f"trangThaiXuLy không hợp lệ: {raw!r}") from exc
        if mapped not in STATES:
            raise Unreadable(f"trangThaiXuLy không dùng cho bộ/ngành: {raw!r}")
        result = body.get("ketQuaXuLy") or {}
        if not isinstance(result, dict):
            raise Unreadable("ketQuaXuLy không hợp lệ")
        state = STATES[mapped]
        pdf = pdf_from_base64(result.get("phieuLLTP"))
        if state == State.RESULT and pdf is None:
            raise Unreadable("thiếu Phiếu lý lịch tư pháp (phieuLLTP)")
        text = str(
            body.get("lyDoTuChoi") or result.get("tenTinhTrangAnTich") or body.get("tenTrangThaiXuLy") or ""
        )
        return Update(
            dossier_code=code,
            remote_status=raw,
            mapped=mapped,
            state=state,
            result_number=str(result.get("soPhieuLLTP") or ""),
            result_pdf=pdf,
            text=text,
        )
