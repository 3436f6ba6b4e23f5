"""The ministries' systems as the axis sandbox (`interop.axis.sandbox`) serves them: each checks the
fields its real counterpart needs, answers at once with its own reference, and queues the messages it will
send back through the axis (statuses, then the result): a judicial record (a PDF made here, in the layout
of the province's slips), an enterprise code, a licence number. Off with the sandbox (MOTCUA_AXIS_SANDBOX).
"""

import base64
import hashlib
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.platypus import Spacer

from motcua.documents.slips.layout import A5_PORTRAIT, field, para, text
from motcua.documents.slips.layout import render as render_pdf
from motcua.interop.axis.sandbox import Reply, serves


def _number(prefix: str, code: str) -> str:
    return f"{prefix}{int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) % 10**8:08d}"


def _callback_url(request: HttpRequest, system: str) -> str:
    return request.build_absolute_uri(reverse("axis:receive", args=[system]))


def _missing(payload: dict[str, Any], *names: str) -> list[str]:
    return [name for name in names if not str(payload.get(name) or "").strip()]


@serves("lltp.tiep_nhan")
def judicial_records(payload: dict[str, Any], request: HttpRequest) -> Reply:
    given = payload.get("toKhai")
    declaration: dict[str, Any] = given if isinstance(given, dict) else {}
    missing = _missing(payload, "maTinh", "maHoSoMCDT") + _missing(declaration, "nycHoTen", "nycSoGiayTo")
    if missing:
        return Reply(200, {"statusCode": "01", "errorDescription": f"Thiếu thông tin: {', '.join(missing)}"})
    code = str(payload["maHoSoMCDT"])
    number = _number("", code)
    url = _callback_url(request, "lltp")
    base = {"maTinh": payload["maTinh"], "tenTinh": payload.get("tenTinh", ""), "maHoSoMCDT": code}
    issued = timezone.localdate().strftime("%d/%m/%Y")
    record = judicial_record_pdf(
        number=number,
        name=str(declaration["nycHoTen"]),
        id_number=str(declaration["nycSoGiayTo"]),
        form_no=str(declaration.get("loaiPhieu") or "1"),
    )
    result = {
        "soPhieuLLTP": number,
        "ngayCapPhieu": issued,
        "loaiPhieu": str(declaration.get("loaiPhieu") or "1"),
        "nguoiKy": "Giám đốc Trung tâm LLTP quốc gia (hộp cát)",
        "chucVu": "Giám đốc",
        "tinhTrangAnTich": "0",
        "tenTinhTrangAnTich": "Không có án tích",
        "phieuLLTP": base64.b64encode(record).decode(),
    }
    return Reply(
        200,
        {"statusCode": "00", "message": "Gửi thông tin thành công", "maHoSoLLTP": f"LLTP-{number}"},
        [
            {"url": url, "body": base | {"trangThaiXuLy": "4", "tenTrangThaiXuLy": "Đang xử lý"}},
            {
                "url": url,
                "body": base
                | {"trangThaiXuLy": "9", "tenTrangThaiXuLy": "Đã có kết quả"}
                | {"ketQuaXuLy": result},
            },
        ],
    )


def judicial_record_pdf(*, number: str, name: str, id_number: str, form_no: str) -> bytes:
    """The sandbox's judicial record: what the Ministry's software would issue (Phiếu LLTP số 1/2)."""
    now = timezone.now()
    with translation.override("vi"):
        story = [
            para("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", "title"),
            text("Độc lập - Tự do - Hạnh phúc"),
            Spacer(1, 8),
            para(f"<b>PHIẾU LÝ LỊCH TƯ PHÁP SỐ {form_no}</b>", "title"),
            field("Số", number),
            field("Họ và tên", name),
            field("Số định danh cá nhân", id_number),
            field("Tình trạng án tích", "Không có án tích"),
            field("Cấp tại", "Hệ thống cấp Phiếu LLTP (hộp cát, không có giá trị pháp lý)"),
        ]
        return render_pdf(
            story,
            pagesize=A5_PORTRAIT,
            title=f"Phiếu lý lịch tư pháp số {form_no}",
            subject=number,
            author="Bộ Tư pháp (hộp cát)",
            printed_at=now,
        )


@serves("dkkd.tiep_nhan")
def business_registration(payload: dict[str, Any], request: HttpRequest) -> Reply:
    missing = _missing(payload, "MaHoSo", "MaTTHC", "NgayTiepNhan")
    if missing:
        return Reply(200, {"ErrorCode": 2, "Message": f"Thiếu thông tin: {', '.join(missing)}"})
    code = str(payload["MaHoSo"])
    reference = _number("DKKD-", code)
    url = _callback_url(request, "dkkd")
    base = {"MaHoSo": code, "MaHoSoDKKD": reference}
    return Reply(
        200,
        {"ErrorCode": 0, "Message": "Tiếp nhận thành công", "MaHoSoDKKD": reference},
        [
            {"url": url, "body": base | {"TrangThai": "DANG_XU_LY"}},
            {
                "url": url,
                "body": base
                | {
                    "TrangThai": "DA_CAP",
                    "MaSoDoanhNghiep": _number("29", code),
                    "NgayCap": timezone.localdate().strftime("%Y%m%d"),
                },
            },
        ],
    )


@serves("gplx.tiep_nhan")
def driving_licences(payload: dict[str, Any], request: HttpRequest) -> Reply:
    missing = _missing(payload, "maHoSo", "loaiYeuCau", "soDinhDanh")
    if missing:
        return Reply(200, {"code": "1", "message": f"Thiếu thông tin: {', '.join(missing)}"})
    code = str(payload["maHoSo"])
    url = _callback_url(request, "gplx")
    base = {"maHoSo": code}
    return Reply(
        200,
        {"code": "0", "message": "Đã tiếp nhận", "soBienNhan": _number("BN", code)},
        [
            {"url": url, "body": base | {"trangThai": "DANG_XU_LY"}},
            {
                "url": url,
                "body": base
                | {
                    "trangThai": "DA_IN",
                    "soGPLX": _number("4001", code)[:12],
                    "ngayCap": timezone.localdate().strftime("%d/%m/%Y"),
                },
            },
        ],
    )
