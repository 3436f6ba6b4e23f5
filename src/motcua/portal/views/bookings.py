"""“Đặt lịch hẹn” and “Lịch hẹn của tôi”: a citizen books a half-hour slot of a service area at a center or a
commune's one-stop section, receives its QR code (shown and printed), and may cancel it before its time.

The booking is made for the signed-in account's own identity (queueing.bookings.book): the page asks for no
name or ID number, only a phone number to be reached at."""

from datetime import date, datetime

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.portal.views.common import citizen, citizen_required
from motcua.queueing import bookings
from motcua.queueing.models import Booking


def _chosen_day(text: str, days: list[date]) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day in days else None


def _chosen_slot(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


@citizen_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """Choose a unit, then an area and a day, then a free slot (plain GET forms: works without JavaScript)."""
    user = citizen(request)
    now = timezone.now()
    data = request.POST if request.method == "POST" else request.GET
    units = list(bookings.bookable_units())
    unit = next((u for u in units if u.code == data.get("unit", "")), None)
    areas = list(bookings.bookable_areas(unit)) if unit else []
    area = next((a for a in areas if str(a.pk) == data.get("area", "")), None)
    days = bookings.bookable_days(now)
    day = _chosen_day(data.get("day", ""), days)
    error, status = "", 200
    if request.method == "POST":
        slot_start = _chosen_slot(data.get("slot", ""))
        if area is None or slot_start is None:
            error, status = _("Hãy chọn khu vực, ngày và một giờ hẹn còn chỗ."), 400
        else:
            try:
                booking = bookings.book(
                    area=area, slot_start=slot_start, user=user, phone=data.get("phone", "")[:20]
                )
            except DomainError as refused:
                error, status = str(refused.message), refused.http_status
            else:
                messages.success(request, _("Đã đặt lịch hẹn. Hãy mang mã QR này khi đến nhận số."))
                return redirect("portal:booking", code=booking.code)
    context = {
        "units": units,
        "unit": unit,
        "areas": areas,
        "area": area,
        "days": days,
        "day": day,
        "slots": bookings.free_slots(area, day, now) if area and day else None,
        "error": error,
        "phone": data.get("phone", user.phone)[:20],
        "no_id_number": not user.citizen_id,
    }
    return render(request, "portal/booking_new.html", context, status=status)


def _mine(request: HttpRequest, code: str) -> Booking:
    booking = bookings.my_booking(citizen(request), code)
    if booking is None:
        raise Http404(_("Không tìm thấy lịch hẹn."))
    return booking


@citizen_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = [(b, bookings.can_cancel(b, now)) for b in bookings.my_bookings(citizen(request))[:100]]
    return render(request, "portal/my_bookings.html", {"rows": rows})


@citizen_required
def booking(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation: the booking's QR code (its code), printable, to scan at the kiosk."""
    shown = _mine(request, code)
    qr = segno.make(shown.code, error="m").svg_inline(scale=6, title=_("Mã QR lịch hẹn"))
    context = {
        "booking": shown,
        "qr": mark_safe(qr),  # segno's SVG of our own code
        "can_cancel": bookings.can_cancel(shown),
        "opens": bookings.check_in_opens(shown.slot_start),
        "closes": bookings.check_in_closes(shown.slot_start),
    }
    return render(request, "portal/booking.html", context)


@citizen_required
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    shown = _mine(request, code)
    try:
        bookings.cancel(booking=shown, user=citizen(request))
    except DomainError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("Đã hủy lịch hẹn %(code)s.") % {"code": shown.code})
    return redirect("portal:my_bookings")
