"""Queue pages: the counter page, the display board and its events (the kiosk: views_kiosk).

The board is public: it runs on screens in the reception hall.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.decorators import counter_required
from motcua.core.errors import DomainError, InvalidTransition
from motcua.core.forms import add_domain_error
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.queueing import selectors, services
from motcua.queueing.forms import CounterForm
from motcua.queueing.models import ServiceArea, ServiceCounter, Ticket

# Server-sent events: each stream polls for ~STREAM_SECONDS, then ends; the browser's EventSource
# reconnects after RETRY_MS. Under ASGI (production: uvicorn workers) the stream is asynchronous and holds
# no worker between polls, so any number of board screens stay open while the pages stay fast; under WSGI
# (the development server, threaded) it is a plain generator holding its thread for the stream's time.
STREAM_SECONDS = 30.0
POLL_SECONDS = 1.0
RETRY_MS = 2000
# Without JavaScript the board reloads itself this often.
BOARD_REFRESH_SECONDS = 10


def _officer(request: HttpRequest) -> User:
    """The signed-in officer of a page behind `counter_required` (which lets only officers through)."""
    user = request.user
    assert isinstance(user, User)
    return user


def _unit_or_404(unit_code: str) -> OrgUnit:
    return get_object_or_404(OrgUnit, code=unit_code, is_active=True)


@require_GET
def board(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _unit_or_404(unit_code)
    context = {
        "unit": unit,
        "state": selectors.board_state(unit, now=timezone.now()),
        "refresh_seconds": BOARD_REFRESH_SECONDS,
        "board_config": {
            "events": reverse("queueing:events", args=[unit.code]),
            "invite": _("Mời số %(ticket)s đến quầy số %(counter)s"),
            "none": _("Chưa có quầy nào mở."),
        },
    }
    return render(request, "queueing/board.html", context)


@require_GET
def events(request: HttpRequest, unit_code: str) -> StreamingHttpResponse:
    unit = _unit_or_404(unit_code)
    stream = _board_events_async(unit) if isinstance(request, ASGIRequest) else _board_events(unit)
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


class _BoardFrames:
    """The stream's frames: the board's state when it changed since the last one, then the end."""

    def __init__(self, unit: OrgUnit) -> None:
        self.unit = unit
        self.deadline = time.monotonic() + STREAM_SECONDS
        self.last: str | None = None

    def poll(self) -> str | None:
        payload = json.dumps(
            selectors.board_state(self.unit, now=timezone.now()), ensure_ascii=False, separators=(",", ":")
        )
        if payload == self.last:
            return None
        retry = f"retry: {RETRY_MS}\n" if self.last is None else ""
        self.last = payload
        return f"{retry}data: {payload}\n\n"

    @property
    def over(self) -> bool:
        return time.monotonic() >= self.deadline

    @staticmethod
    def end() -> str:
        return f"retry: {RETRY_MS}\n: end of stream, reconnect\n\n"


def _board_events(unit: OrgUnit) -> Iterator[str]:
    frames = _BoardFrames(unit)
    while True:
        if frame := frames.poll():
            yield frame
        if frames.over:
            break
        time.sleep(POLL_SECONDS)
    yield frames.end()


async def _board_events_async(unit: OrgUnit) -> AsyncIterator[str]:
    frames = _BoardFrames(unit)
    poll = sync_to_async(frames.poll)  # the database is read in Django's thread, a moment per poll
    while True:
        if frame := await poll():
            yield frame
        if frames.over:
            break
        await asyncio.sleep(POLL_SECONDS)
    yield frames.end()


@counter_required
@require_GET
def counters(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    context = {
        "counters": selectors.counters_for(user),
        "can_manage": user.role == Role.CENTER_ADMIN,
    }
    return render(request, "queueing/counters.html", context)


@counter_required
@require_http_methods(["GET", "POST"])
def counter_form(request: HttpRequest, counter_id: int | None = None) -> HttpResponse:
    """The center administrator adds a counter or changes one (name, service area, open, officer)."""
    user = _officer(request)
    desk = None
    if counter_id is not None:
        desk = get_object_or_404(ServiceCounter.objects.select_related("unit"), pk=counter_id)
    if user.role != Role.CENTER_ADMIN or (desk and not selectors.can_manage(user, desk.unit)):
        return render(request, "backoffice/403.html", status=403)
    initial = CounterForm.initial_of(desk) if desk else {"unit": user.org_unit_id}
    form = CounterForm(request.POST or None, initial=initial, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = services.save_counter(acting_user=user, counter=desk, **form.cleaned_data)
            except DomainError as refused:
                add_domain_error(form, refused)
                status = refused.http_status
            else:
                messages.success(request, _("Đã lưu %(counter)s.") % {"counter": saved.name})
                return redirect("queueing:counters")
    return render(request, "queueing/counter_form.html", {"form": form, "counter": desk}, status=status)


ACTIONS = {"next", "recall", "served", "no_show", "transfer"}


@counter_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest, counter_id: int) -> HttpResponse:
    desk = get_object_or_404(ServiceCounter.objects.select_related("unit", "officer"), pk=counter_id)
    if not selectors.can_operate(_officer(request), desk):
        return render(request, "backoffice/403.html", status=403)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            return HttpResponseBadRequest()
        try:
            _act(request, desk, action)
        except DomainError as refused:
            messages.error(request, str(refused.message))
        return redirect("queueing:counter", counter_id=desk.pk)
    day = selectors.queue_day(timezone.now())
    to_counters, to_areas = selectors.transfer_targets(desk)
    context = {
        "counter": desk,
        "current": selectors.current_ticket(desk),
        "waiting": selectors.waiting_count(desk.unit, day),
        "waiting_here": selectors.next_for(desk, day).count(),
        "to_counters": to_counters,
        "to_areas": to_areas,
    }
    return render(request, "queueing/counter.html", context)


@counter_required
@require_GET
def ticket_photo(request: HttpRequest, counter_id: int, ticket_id: int) -> HttpResponseBase:
    """The kiosk photo of the ticket a counter is serving, for its officer only (never a public file)."""
    desk = get_object_or_404(ServiceCounter.objects.select_related("unit"), pk=counter_id)
    if not selectors.can_operate(_officer(request), desk):
        return render(request, "backoffice/403.html", status=403)
    shown = get_object_or_404(Ticket, pk=ticket_id, counter=desk, status=Ticket.Status.CALLED)
    if not shown.photo:
        raise Http404
    response = FileResponse(shown.photo.open("rb"), content_type=_photo_type(shown.photo.name or ""))
    response["Cache-Control"] = "private, no-store"
    return response


def _photo_type(name: str) -> str:
    return "image/png" if name.endswith(".png") else "image/jpeg"


def _act(request: HttpRequest, desk: ServiceCounter, action: str) -> None:
    user = _officer(request)
    if action == "next":
        called = services.call_next(counter=desk, acting_user=user)
        if called is None:
            messages.info(request, _("Không còn ai đang chờ."))
        else:
            messages.success(request, _("Đã gọi số %(ticket)s.") % {"ticket": called.label})
        return
    # The ticket the page showed: a second click on a stale page must not close the next person's ticket.
    shown_id = _int(request.POST.get("ticket"))
    shown = Ticket.objects.filter(pk=shown_id, counter=desk).first() if shown_id is not None else None
    if shown is None:
        raise InvalidTransition(_("Số này không còn ở quầy của bạn; trang đã được tải lại."))
    if action == "recall":
        services.recall(ticket=shown, acting_user=user)
        messages.success(request, _("Đã gọi lại số %(ticket)s.") % {"ticket": shown.label})
    elif action == "transfer":
        kind, _sep, target = request.POST.get("to", "").partition("-")
        to_counter = (
            ServiceCounter.objects.filter(pk=_int(target) or 0).first() if kind == "counter" else None
        )
        to_area = ServiceArea.objects.filter(pk=_int(target) or 0).first() if kind == "area" else None
        services.transfer(ticket=shown, acting_user=user, to_counter=to_counter, to_area=to_area)
        messages.success(request, _("Đã chuyển số %(ticket)s.") % {"ticket": shown.label})
    else:
        services.finish(ticket=shown, acting_user=user, served=action == "served")
        messages.success(request, _("Đã kết thúc số %(ticket)s.") % {"ticket": shown.label})


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
