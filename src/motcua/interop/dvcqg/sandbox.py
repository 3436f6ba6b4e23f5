"""A stand-in for the National Public Service Portal inside the project (`/lien-thong/dvcqg-sandbox/`), so
that the real HTTP transport can be exercised (tests, demos) without the national portal.

It checks what the portal checks first — a session from `login`, the required fields, the codes and the
`yyyyMMddHHmmss` dates, and that the appointment history adds up (`verdict.history_errors`) — and answers
DVCQG-style JSON (`error_code` 0: accepted). `verdict.verdict` judges a synced dossier early, on time or
late from what was sent, as the portal would. Every call is kept as a `SandboxReceipt`. Like a remote
server, it answers before it files the receipt (in `close()`, after the answer is sent): the caller's
database work never waits on the sandbox's own writes (with SQLite, a caller holding the write lock during
the call would otherwise wait for itself).

Enabled by MOTCUA_DVCQG_SANDBOX (default: DEBUG); otherwise every endpoint is 404.
"""

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.interop.dvcqg.verdict import history_errors, parse
from motcua.interop.models import SandboxReceipt
from motcua.interop.sandboxes import json_object

SALT = "motcua.dvcqg.sandbox"
SESSION_MAX_AGE = 3600
LISTS = ("TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua")
RULES: dict[str, dict[str, Any]] = {
    "DongBoHoSoMC": {
        "required": ("MaHoSo", "MaTTHC", "TenTTHC", "ChuHoSo", "MaDoiTuong", "TrichYeuHoSo", "DonViXuLy"),
        "codes": {
            "LoaiDoiTuong": {"1", "2"},
            "KenhThucHien": {"1", "2", "3"},
            "TrangThaiHoSo": {str(code) for code in range(1, 11)},
            "DuocThanhToanTrucTuyen": {"0", "1"},
        },
        "dates": ("NgayTiepNhan",),
        "optional_dates": ("NgayHenTra", "NgayHenTraBanDau", "NgayTra", "NgayKetThucXuLy"),
    },
    "CapNhatTienDoHoSoMC": {
        "required": ("MaHoSo", "NguoiXuLy", "PhongBanXuLy", "NoiDungXuLy"),
        "codes": {"TrangThai": {str(code) for code in range(1, 11)}},
        "dates": ("ThoiDiemXuLy",),
        "optional_dates": ("NgayBatDau", "NgayKetThucTheoQuyDinh"),
    },
}


class _Answer(JsonResponse):
    """The JSON answer; the receipt is saved once the answer has been sent."""

    def __init__(self, data: dict[str, Any], *, receipt: SandboxReceipt, status: int = 200) -> None:
        super().__init__(data, status=status, json_dumps_params={"ensure_ascii": False})
        self.receipt = receipt

    def close(self) -> None:
        super().close()
        self.receipt.save()


def require_enabled() -> None:
    """404 unless MOTCUA_DVCQG_SANDBOX (default DEBUG): the portal's stand-in, both its sides."""
    if not getattr(settings, "MOTCUA_DVCQG_SANDBOX", settings.DEBUG):
        raise Http404


def _answer(service: str, body: dict[str, Any], error_code: int, message: str, **extra: object) -> _Answer:
    receipt = SandboxReceipt(service=service, body=body, error_code=error_code, message=message)
    status = 401 if error_code == 401 else 200
    return _Answer({"error_code": error_code, "message": message, **extra}, receipt=receipt, status=status)


@csrf_exempt
@require_POST
def login(request: HttpRequest) -> JsonResponse:
    require_enabled()
    body = json_object(request)
    username, password = str(body.get("username", "")), str(body.get("password", ""))
    logged = {"username": username}  # the password is never stored
    if not username or not password:
        return _answer("login", logged, 1, "Sai tên đăng nhập hoặc mật khẩu.")
    session = signing.dumps({"u": username}, salt=SALT)
    return _answer("login", logged, 0, "Đăng nhập thành công.", session=session)


@csrf_exempt
@require_POST
def service(request: HttpRequest, service: str) -> JsonResponse:
    require_enabled()
    if service not in RULES:
        raise Http404
    body = json_object(request)
    try:
        signing.loads(str(body.get("session", "")), salt=SALT, max_age=SESSION_MAX_AGE)
    except signing.BadSignature:
        return _answer(service, body, 401, "Phiên làm việc không hợp lệ hoặc đã hết hạn.")
    items = body.get("data")
    if not isinstance(items, list) or not items:
        return _answer(service, body, 2, "Thiếu dữ liệu (data).")
    errors = [f"[{i}] {error}" for i, item in enumerate(items) for error in validate(service, item)]
    if errors:
        return _answer(service, body, 2, "; ".join(errors))
    done = [{"MaHoSo": item["MaHoSo"], "error_code": 0} for item in items]
    return _answer(service, body, 0, "Đồng bộ thành công.", data=done)


def validate(service: str, item: Any) -> list[str]:
    """What the portal would refuse in one item of `data`."""
    if not isinstance(item, dict):
        return ["không phải đối tượng JSON"]
    rules = RULES[service]
    errors = [f"thiếu trường {name}" for name in rules["required"] if not str(item.get(name) or "").strip()]
    for name, allowed in rules["codes"].items():
        if str(item.get(name, "")) not in allowed:
            errors.append(f"{name} không hợp lệ: {item.get(name)!r}")
    for name in rules["dates"]:
        if not _is_date(item.get(name)):
            errors.append(f"{name} phải có dạng yyyyMMddHHmmss")
    for name in rules["optional_dates"]:
        if item.get(name, "") != "" and not _is_date(item.get(name)):
            errors.append(f"{name} phải có dạng yyyyMMddHHmmss hoặc rỗng")
    if service == "DongBoHoSoMC":
        errors += [f"{name} phải là danh sách" for name in LISTS if not isinstance(item.get(name), list)]
        errors += history_errors(item)
    return errors


def _is_date(value: Any) -> bool:
    return parse(value) is not None
