"""Public tracking of a dossier by code and second factor (the QR code on every slip opens this page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.ratelimit import count_hit
from motcua.dossiers.selectors import dossier_for_tracking
from motcua.dossiers.states import ACT_LABELS, Act
from motcua.portal import display
from motcua.portal.forms import TrackingForm
from motcua.portal.selectors import can_be_rated

ATTEMPTS_PER_WINDOW = 20
WINDOW_SECONDS = 600
SESSION_KEY = "portal_tracked_dossiers"
REMEMBERED = 10


def tracked_codes(request: HttpRequest) -> list[str]:
    """Dossiers this browser has tracked with the code and the right second factor (may rate them)."""
    return list(request.session.get(SESSION_KEY, []))


def _remember(request: HttpRequest, code: str) -> None:
    codes = [c for c in tracked_codes(request) if c != code][-(REMEMBERED - 1) :]
    request.session[SESSION_KEY] = [*codes, code]


def _too_many_attempts(request: HttpRequest) -> bool:
    key = f"tracking:{request.META.get('REMOTE_ADDR', '')}"
    return count_hit(key, window_seconds=WINDOW_SECONDS) > ATTEMPTS_PER_WINDOW


def tracking(request: HttpRequest) -> HttpResponse:
    form = TrackingForm(request.GET)
    valid = form.is_valid()
    code, factor = (form.cleaned_data["ma"], form.cleaned_data["xac_thuc"]) if valid else ("", "")
    context: dict[str, object] = {"code": code, "factor": factor}
    status = 200
    if not valid:
        context["error"] = _("Mã hồ sơ hoặc thông tin xác thực không hợp lệ.")
        status = 400
    elif code and factor:
        if _too_many_attempts(request):
            context["error"] = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")
            status = 429
        elif (dossier := dossier_for_tracking(code=code, second_factor=factor)) is None:
            context["error"] = _("Không tìm thấy hồ sơ với mã và thông tin xác thực đã nhập.")
            status = 404
        else:
            _remember(request, dossier.code)
            context["dossier"] = dossier
            context["can_rate"] = can_be_rated(dossier)
            context["pause_text"] = display.pause_text(dossier)
            context["timeliness_label"] = display.timeliness_label(dossier)
            context["timeline"] = [
                (event.at, ACT_LABELS.get(Act(event.act), event.act))
                for event in dossier.events.order_by("at", "pk")
            ]
    elif code or factor:
        context["error"] = _("Vui lòng nhập cả mã hồ sơ và số định danh (hoặc số điện thoại) của người nộp.")
        status = 400
    return render(request, "portal/tracking.html", context, status=status)
