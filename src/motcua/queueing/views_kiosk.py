"""The kiosk of the reception hall and its printed ticket (public pages on the hall's screens).

The kiosk asks for the service area, then who the ticket is for: the chip ID card's QR code (the kiosk's
camera where the browser reads barcodes, or a hardware scanner typing the code into the focused field;
both post the QR text, parsed here), or the ID number and name typed. A photo where the center enables it.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError, InvalidTransition, ValidationFailed
from motcua.core.models import OrgUnit
from motcua.core.ratelimit import count_client_hit
from motcua.queueing import identity, selectors, services
from motcua.queueing.forms import KioskForm
from motcua.queueing.models import ServiceArea, Ticket

# Tickets one client (a kiosk, a browser, a script) may take at one unit per window: a kiosk in a busy hall
# prints one every few seconds at most; a script taking hundreds would empty the day's queue.
TICKETS_PER_WINDOW = 20
TICKET_WINDOW_SECONDS = 60


def _unit_or_404(unit_code: str) -> OrgUnit:
    return get_object_or_404(OrgUnit, code=unit_code, is_active=True)


def _too_many_tickets(request: HttpRequest, unit: OrgUnit) -> bool:
    taken = count_client_hit(request, f"queueing:kiosk:{unit.pk}", window_seconds=TICKET_WINDOW_SECONDS)
    return taken > TICKETS_PER_WINDOW


def declared_priorities() -> list[tuple[str, str]]:
    """What a person may declare at the kiosk under the center's policy."""
    policy = set(settings.MOTCUA_QUEUE_PRIORITIES)
    return [
        (str(value), str(label))
        for value, label in Ticket.Priority.choices
        if value in services.DECLARED_PRIORITIES and value in policy
    ]


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _unit_or_404(unit_code)
    areas = list(selectors.kiosk_areas(unit))
    is_open = selectors.has_open_counter(unit)
    chosen_code = request.POST.get("area") if request.method == "POST" else request.GET.get("khu-vuc")
    area = next((a for a in areas if a.code == chosen_code), None)
    form = KioskForm(request.POST or None, request.FILES or None)
    error, status = None, 200
    if request.method == "POST":
        if _too_many_tickets(request, unit):
            error = _("Đã lấy quá nhiều số trong thời gian ngắn. Vui lòng chờ một phút rồi lấy số.")
            response = _page(request, unit, areas, area, form, error, is_open, status=429)
            response["Retry-After"] = str(TICKET_WINDOW_SECONDS)
            return response
        try:
            ticket = _take(unit, area, form, is_open)
        except DomainError as refused:
            error, status = str(refused.message), refused.http_status
        else:
            return redirect("queueing:ticket", unit_code=unit.code, ticket_id=ticket.pk)
    elif chosen_code and area is None and is_open:
        error, status = _("Hãy chọn một khu vực trong danh sách."), 400
    return _page(request, unit, areas, area, form, error, is_open, status=status)


def _take(unit: OrgUnit, area: ServiceArea | None, form: KioskForm, is_open: bool) -> Ticket:
    if not is_open:  # the service's refusal says why, not "choose an area"
        raise InvalidTransition(services.NO_OPEN_COUNTER, code="no_open_counter")
    if area is None:
        raise ValidationFailed(_("Hãy chọn một khu vực trong danh sách."), code="area")
    if not form.is_valid():
        raise ValidationFailed(str(next(iter(form.errors.values()))[0]), code="form")
    data = form.cleaned_data
    today = selectors.queue_day(timezone.now())
    if data["qr"]:
        holder = identity.parse_card_qr(data["qr"], today=today)
    else:
        holder = identity.typed_holder(
            id_number=data["id_number"], name=data["name"], birth_date=data["birth_date"]
        )
    return services.take_ticket(
        unit=unit, area=area, holder=holder, priority=data["priority"], photo=data["photo"]
    )


def _page(
    request: HttpRequest,
    unit: OrgUnit,
    areas: list[ServiceArea],
    area: ServiceArea | None,
    form: KioskForm,
    error: str | None,
    is_open: bool,
    *,
    status: int,
) -> HttpResponse:
    context = {
        "unit": unit,
        "areas": areas,
        "area": area,
        "form": form,
        "error": error,
        "open": is_open,
        "priorities": declared_priorities(),
        "photos": settings.MOTCUA_QUEUE_PHOTOS,
        "kiosk_text": {"taken": _("Đã chụp ảnh.")},
    }
    return render(request, "queueing/kiosk.html", context, status=status)


@require_GET
def ticket(request: HttpRequest, unit_code: str, ticket_id: int) -> HttpResponse:
    unit = _unit_or_404(unit_code)
    taken = get_object_or_404(
        Ticket.objects.select_related("area", "counter"),
        pk=ticket_id,
        unit=unit,
        day=selectors.queue_day(timezone.now()),
    )
    waiting = taken.status == Ticket.Status.WAITING
    context = {
        "unit": unit,
        "ticket": taken,
        "waiting": waiting,
        "ahead": selectors.waiting_before(taken) if waiting else None,
    }
    return render(request, "queueing/ticket.html", context)
