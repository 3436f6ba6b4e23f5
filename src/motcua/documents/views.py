"""Public verification of electronic results: a page for people and a JSON endpoint for systems; the signed
e-result itself for the back office (signed in, within the dossier's scope; citizens: on the portal).

Thin: read the upload or the code, call `services.verify_document` / `verify_dossier_code`, render.
Verification costs CPU (signature validation), so each client gets a limited number of checks per window.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.core.models import User
from motcua.core.ratelimit import count_hit
from motcua.documents import selectors, services, storage
from motcua.dossiers.selectors import visible_dossiers

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

CHECKS_PER_WINDOW = 30
WINDOW_SECONDS = 600


def _too_many(request: HttpRequest) -> bool:
    key = f"documents:verify:{request.META.get('REMOTE_ADDR', '')}"
    return count_hit(key, window_seconds=WINDOW_SECONDS) > CHECKS_PER_WINDOW


def _read(uploaded: "UploadedFile[bytes] | None") -> bytes | None:
    """The upload's bytes, or None when missing or over the upload limit."""
    if uploaded is None or (uploaded.size or 0) > storage.max_upload_bytes():
        return None
    data = b"".join(uploaded.chunks())
    return data if 0 < len(data) <= storage.max_upload_bytes() else None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("ma") or request.GET.get("ma") or "").strip()[:40]
    context: dict[str, object] = {"code": code}
    status = 200
    if request.method == "POST" or code:
        if _too_many(request):
            context["error"] = _("Bạn đã xác thực quá nhiều lần. Vui lòng thử lại sau ít phút.")
            return render(request, "documents/verify.html", context, status=429)
        if request.method == "POST" and "tep" in request.FILES:
            data = _read(request.FILES.get("tep"))
            if data is None:
                context["error"] = _("Tệp rỗng hoặc vượt quá dung lượng cho phép.")
                status = 400
            else:
                check = services.verify_document(data=data)
                context["check"] = check
                status = 400 if check.refused else 200
        elif code:
            issued = services.verify_dossier_code(code=code)
            context["check"] = issued
            if issued is None:
                context["error"] = _("Không có kết quả điện tử nào được phát hành cho mã hồ sơ này.")
                status = 404
        else:
            context["error"] = _("Vui lòng chọn tệp PDF hoặc nhập mã hồ sơ.")
            status = 400
    return render(request, "documents/verify.html", context, status=status)


@csrf_exempt  # a public, stateless check for other systems: no session, nothing changes
@require_http_methods(["POST"])
def verify_json(request: HttpRequest) -> JsonResponse:
    if _too_many(request):
        return JsonResponse({"error": "rate_limited"}, status=429)
    code = request.POST.get("ma", "").strip()[:40]
    if "tep" in request.FILES or "file" in request.FILES:
        data = _read(request.FILES.get("tep") or request.FILES.get("file"))
        if data is None:
            return JsonResponse({"error": "bad_file"}, status=400)
        check = services.verify_document(data=data)
        return JsonResponse(check.as_json(), status=400 if check.refused else 200)
    if code:
        issued = services.verify_dossier_code(code=code)
        if issued is None:
            return JsonResponse({"error": "not_found"}, status=404)
        return JsonResponse(issued.as_json())
    return JsonResponse({"error": "file_or_code_required"}, status=400)


@login_required
@require_http_methods(["GET"])
def electronic_result(request: HttpRequest, code: str) -> FileResponse:
    """The dossier's signed e-result, opened in the browser, for whoever may see the dossier
    (`selectors.electronic_result_of`: an officer within scope, the applicant's verified account)."""
    user = request.user
    assert isinstance(user, User)  # signed in: login_required let the request through
    dossier = visible_dossiers(user).filter(code=code).first()
    issued = selectors.electronic_result_of(dossier=dossier, acting_user=user) if dossier else None
    if dossier is None or issued is None:
        raise Http404(_("Không tìm thấy kết quả điện tử."))
    return storage.file_response(
        issued.stored_file, as_attachment=False, filename=services.result_file_name(dossier)
    )
