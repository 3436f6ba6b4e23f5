"""The kiosk's "I have an appointment" page: the booking's QR code scanned (the camera, or a hardware
scanner typing into the focused field) or its code typed; in the booking's window it becomes a priority
ticket, printed by the ticket page. Public, like the kiosk: it runs on the reception hall's screens."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError
from motcua.core.models import OrgUnit
from motcua.core.ratelimit import count_client_hit
from motcua.queueing import bookings

# Codes one client may try per window: a kiosk checks in a few people a minute; a script guessing codes is
# stopped long before it could find one (8 characters of 31).
CHECK_INS_PER_WINDOW = 20
CHECK_IN_WINDOW_SECONDS = 60


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, code=unit_code, is_active=True)
    error, status, code = "", 200, ""
    window = {
        "early": settings.MOTCUA_BOOKING_CHECK_IN_EARLY_MINUTES,
        "late": settings.MOTCUA_BOOKING_CHECK_IN_LATE_MINUTES,
    }
    if request.method == "POST":
        code = request.POST.get("code", "")[:200]
        hits = count_client_hit(
            request, f"queueing:check_in:{unit.pk}", window_seconds=CHECK_IN_WINDOW_SECONDS
        )
        if hits > CHECK_INS_PER_WINDOW:
            error = _("Đã thử quá nhiều lần trong thời gian ngắn. Vui lòng chờ một phút rồi thử lại.")
            response = render(
                request, "queueing/check_in.html", {"unit": unit, "error": error} | window, status=429
            )
            response["Retry-After"] = str(CHECK_IN_WINDOW_SECONDS)
            return response
        try:
            ticket = bookings.check_in(text=code, unit=unit)
        except DomainError as refused:
            error, status = str(refused.message), refused.http_status
        else:
            return redirect("queueing:ticket", unit_code=unit.code, ticket_id=ticket.pk)
    context = {"unit": unit, "error": error, "code": code if error else ""} | window
    return render(request, "queueing/check_in.html", context, status=status)
