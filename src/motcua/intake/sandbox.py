"""A stand-in for the inbound side of the National Public Service Portal (`/lien-thong/dvcqg-sandbox/`), so
that the pull, the fetch and the acknowledgement of `interop.dvcqg.inbound` run over real HTTP in tests and
the demo. Its state is `SandboxPortalDossier` (the dossiers "submitted on the portal", listed in order) and
`SandboxPortalControl` (the test controls). It logs in with the outbound sandbox's sessions
(`interop.dvcqg.sandbox.login`).

Services (POST, JSON, `{"session": ..., ...}`, answered `{"error_code": 0, ...}` as the portal does):
- `LayDanhSachHoSo` `{"TuCursor": "<n>"}` → `data`: the codes of the dossiers after the cursor (50 at
  most, MOTCUA_DVCQG_SANDBOX_PAGE in tests, in submission order), `Cursor`: the last one listed;
- `LayChiTietHoSo` `{"MaHoSo": ...}` → `data`: the dossier with its files (base64); error_code 3 if unknown;
- `XacNhanHoSo` `{"data": [{"MaHoSo", "TrangThaiTiepNhan", "MaHoSoTinh", "LyDo", "ThoiDiem"}]}`: kept on
  the dossier (the last one wins).
Test controls (no session): `nop-ho-so` submits a dossier on the portal (`submit`); `dieu-khien` sets
`fail` (the next n calls answer HTTP 503), `slow` (the next n calls answer after
MOTCUA_DVCQG_SANDBOX_SLOW_SECONDS, past the client's deadline), `duplicate` (each dossier listed twice) and
`reverse` (lists in reverse order).

Enabled by MOTCUA_DVCQG_SANDBOX (default: DEBUG); otherwise every endpoint is 404.
"""

import base64
import time
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from reportlab.pdfgen.canvas import Canvas

from motcua.intake.models import SandboxPortalControl, SandboxPortalDossier
from motcua.interop.dvcqg import sandbox as outbound_sandbox
from motcua.interop.sandboxes import json_object

PAGE = 50
SLOW_SECONDS = 15.0


def _answer(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def controls() -> SandboxPortalControl:
    control, _created = SandboxPortalControl.objects.get_or_create(pk=1)
    return control


def set_controls(
    *, fail: int = 0, slow: int = 0, duplicate: bool = False, reverse: bool = False
) -> SandboxPortalControl:
    """Set the sandbox's test controls (see the module docstring)."""
    control = controls()
    control.fail_next, control.slow_next = max(fail, 0), max(slow, 0)
    control.duplicate, control.reverse = duplicate, reverse
    control.save()
    return control


def _take(field: str) -> bool:
    """Use up one of the next calls counted by `field`; whether there was one."""
    return bool(
        SandboxPortalControl.objects.filter(pk=1, **{f"{field}__gt": 0}).update(**{field: F(field) - 1})
    )


def _fault() -> JsonResponse | None:
    if _take("fail_next"):
        return _answer({"error_code": 503, "message": "Hệ thống đang bận (sandbox)."}, status=503)
    if _take("slow_next"):
        time.sleep(float(getattr(settings, "MOTCUA_DVCQG_SANDBOX_SLOW_SECONDS", SLOW_SECONDS)))
    return None


def _session_ok(body: dict[str, Any]) -> bool:
    try:
        signing.loads(
            str(body.get("session", "")),
            salt=outbound_sandbox.SALT,
            max_age=outbound_sandbox.SESSION_MAX_AGE,
        )
    except signing.BadSignature:
        return False
    return True


def _service(request: HttpRequest) -> tuple[dict[str, Any], JsonResponse | None]:
    outbound_sandbox.require_enabled()
    fault = _fault()
    if fault is not None:
        return {}, fault
    body = json_object(request)
    if not _session_ok(body):
        return body, _answer({"error_code": 401, "message": "Phiên làm việc không hợp lệ."}, status=401)
    return body, None


@csrf_exempt
@require_POST
def list_dossiers(request: HttpRequest) -> JsonResponse:
    body, refused = _service(request)
    if refused is not None:
        return refused
    cursor = str(body.get("TuCursor") or "0")
    after = int(cursor) if cursor.isdigit() else 0
    rows = list(
        SandboxPortalDossier.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", "portal_code")[: int(getattr(settings, "MOTCUA_DVCQG_SANDBOX_PAGE", PAGE))]
    )
    control = controls()
    codes = [code for _pk, code in rows]
    if control.duplicate:
        codes = [code for code in codes for _twice in (1, 2)]
    if control.reverse:
        codes.reverse()
    last = str(rows[-1][0]) if rows else str(after)
    return _answer({"error_code": 0, "message": "", "data": [{"MaHoSo": c} for c in codes], "Cursor": last})


@csrf_exempt
@require_POST
def dossier_detail(request: HttpRequest) -> JsonResponse:
    body, refused = _service(request)
    if refused is not None:
        return refused
    row = SandboxPortalDossier.objects.filter(portal_code=str(body.get("MaHoSo", ""))).first()
    if row is None:
        return _answer({"error_code": 3, "message": "Không tìm thấy hồ sơ."})
    return _answer({"error_code": 0, "message": "", "data": row.payload})


@csrf_exempt
@require_POST
def acknowledge(request: HttpRequest) -> JsonResponse:
    body, refused = _service(request)
    if refused is not None:
        return refused
    items = body.get("data")
    if not isinstance(items, list) or not items:
        return _answer({"error_code": 2, "message": "Thiếu dữ liệu (data)."})
    for item in items:
        if not isinstance(item, dict) or str(item.get("TrangThaiTiepNhan")) not in ("0", "1"):
            return _answer({"error_code": 2, "message": "TrangThaiTiepNhan phải là 0 hoặc 1."})
    with transaction.atomic():
        for item in items:
            SandboxPortalDossier.objects.filter(portal_code=str(item.get("MaHoSo", ""))).update(
                acknowledged_at=timezone.now(), acknowledgement=item
            )
    return _answer({"error_code": 0, "message": "Cập nhật thành công."})


@csrf_exempt
@require_POST
def control(request: HttpRequest) -> JsonResponse:
    outbound_sandbox.require_enabled()
    body = json_object(request)
    done = set_controls(
        fail=int(body.get("fail") or 0),
        slow=int(body.get("slow") or 0),
        duplicate=bool(body.get("duplicate")),
        reverse=bool(body.get("reverse")),
    )
    return _answer(
        {
            "error_code": 0,
            "fail": done.fail_next,
            "slow": done.slow_next,
            "duplicate": done.duplicate,
            "reverse": done.reverse,
        }
    )


@csrf_exempt
@require_POST
def submit_view(request: HttpRequest) -> JsonResponse:
    outbound_sandbox.require_enabled()
    row = submit(json_object(request))
    return _answer({"error_code": 0, "MaHoSo": row.portal_code})


# --- the portal's dossiers -------------------------------------------------------------------------------


def submit(payload: dict[str, Any]) -> SandboxPortalDossier:
    """A dossier submitted on the sandbox portal (its `MaHoSo` given, or the next one made up)."""
    code = str(payload.get("MaHoSo") or "").strip()
    if not code:
        code = f"G22.99-{timezone.localdate():%y%m%d}-{SandboxPortalDossier.objects.count() + 1:04d}"
    row, _created = SandboxPortalDossier.objects.update_or_create(
        portal_code=code, defaults={"payload": payload | {"MaHoSo": code}}
    )
    return row


def pdf(text: str) -> bytes:
    """A one-page PDF (the same bytes for the same text)."""
    buffer = BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def sample_payload(
    *,
    code: str,
    procedure_code: str,
    unit_code: str,
    components: list[str],
    name: str = "Nguyễn Thị Hoa",
    id_number: str = "040190004321",
    vneid: bool = False,
) -> dict[str, Any]:
    """A dossier as the portal sends it: the applicant, the procedure, the receiving unit and one PDF per
    component named (`components`: the procedure's component names)."""
    return {
        "MaHoSo": code,
        "MaTTHC": procedure_code,
        "MaDonViTiepNhan": unit_code,
        "ChuHoSo": name,
        "LoaiDoiTuong": "1",
        "MaDoiTuong": id_number,
        "SoDienThoai": "0912000111",
        "Email": "hoa@example.vn",
        "DiaChi": "Phường Thành Vinh, Nghệ An",
        "TrichYeuHoSo": f"Hồ sơ nộp trên Cổng DVCQG ({code})",
        "NgayNopHoSo": timezone.localtime().strftime("%Y%m%d%H%M%S"),
        "KenhThucHien": "2",
        "XacThucDinhDanh": "VNeID" if vneid else "",
        "MucDoXacThuc": "2" if vneid else "",
        "TaiLieuNop": [
            {
                "TenThanhPhan": component,
                "TenTepDinhKem": f"tep-{position}.pdf",
                "DuLieuTepDinhKem": base64.b64encode(pdf(f"{code} {position}")).decode(),
            }
            for position, component in enumerate(components, start=1)
        ],
    }
