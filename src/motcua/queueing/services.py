"""The queue's acts: take a ticket, call the next one to a counter, recall it, close it (served / no show).

Each act is one transaction that re-reads the rows it changes under a lock (PostgreSQL row locks; on
SQLite the IMMEDIATE transactions of the settings serialise writers), so two counters pressing "next"
at once never get the same ticket and a ticket is never closed twice.
"""

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import (
    FieldError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from motcua.core.models import OrgUnit, User
from motcua.queueing.counters import save_counter
from motcua.queueing.identity import Holder, age_on, check_holder
from motcua.queueing.models import (
    Booking,
    ServiceArea,
    ServiceCounter,
    Ticket,
    TicketSequence,
)
from motcua.queueing.selectors import (
    OPEN_STATUSES,
    area_is_served,
    can_operate,
    has_open_counter,
    next_for,
    queue_day,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from motcua.dossiers.models import Dossier

__all__ = [
    "Holder",
    "call_next",
    "finish",
    "link_dossier",
    "recall",
    "save_counter",
    "take_ticket",
    "transfer",
]

ELDERLY_AGE = 60
# Declared at the kiosk; "elderly" is read from the birth date, "booked" from an appointment.
DECLARED_PRIORITIES = {Ticket.Priority.DISABLED, Ticket.Priority.PREGNANT}
PHOTO_TYPES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}  # by their first bytes
PHOTO_MAX_BYTES = 2 * 1024 * 1024

NO_OPEN_COUNTER = _(
    "Hiện chưa có quầy nào mở nên chưa thể lấy số. Vui lòng quay lại sau hoặc hỏi cán bộ hướng dẫn."
)


def take_ticket(
    *,
    unit: OrgUnit,
    area: ServiceArea,
    holder: Holder,
    priority: str = "",
    booking: Booking | None = None,
    photo: "UploadedFile[bytes] | None" = None,
    now: datetime | None = None,
) -> Ticket:
    """The next number of `unit` for the local day (from 1 each day), bound to `holder`, for `area`.

    Refused while none of the unit's counters is open (nobody would call the number), for an area no open
    counter serves, for a person who already holds an open ticket of the area today, and for a priority the
    center's policy (MOTCUA_QUEUE_PRIORITIES) does not grant: "elderly" comes from the birth date (60 or
    older on the day), "booked" from an appointment, "disabled" and "pregnant" are declared at the kiosk.
    """
    now = now or timezone.now()
    if not unit.is_active:
        raise ValidationFailed(_("Đơn vị này không còn hoạt động."), code="unit_inactive")
    holder = check_holder(holder)
    day = queue_day(now)
    priority = _priority(priority, holder, booking, day)
    if booking is not None and (booking.area_id != area.pk or booking.holder_id_number != holder.id_number):
        raise ValidationFailed(_("Lịch hẹn này không phải của người này hoặc khu vực này."), code="booking")
    photo_suffix = _check_photo(photo)
    with transaction.atomic():
        if not has_open_counter(unit):
            raise InvalidTransition(NO_OPEN_COUNTER, code="no_open_counter")
        if area.unit_id != unit.pk or not area.is_active or not area_is_served(area):
            raise InvalidTransition(
                _("Khu vực này hiện không có quầy nào phục vụ. Hãy chọn khu vực khác hoặc hỏi cán bộ."),
                code="area_closed",
            )
        if held := _open_ticket_of(holder.id_number, area, day):
            raise _already_held(held)
        ticket = Ticket(
            unit=unit,
            day=day,
            number=_next_number(unit, day),
            area=area,
            holder_id_number=holder.id_number,
            holder_name=holder.name,
            holder_birth_date=holder.birth_date,
            identified_by=holder.identified_by,
            priority=priority,
            issued_at=now,
        )
        if photo is not None:
            ticket.photo.save(f"{uuid.uuid4().hex}{photo_suffix}", photo, save=False)
        try:
            with transaction.atomic():  # a savepoint: the constraint is the last guard (two kiosks at once)
                ticket.save(force_insert=True)
        except IntegrityError:
            if ticket.photo:
                ticket.photo.delete(save=False)
            held = _open_ticket_of(holder.id_number, area, day)
            raise _already_held(held) from None
    return ticket


def _priority(declared: str, holder: Holder, booking: Booking | None, day: date) -> str:
    policy = set(settings.MOTCUA_QUEUE_PRIORITIES)
    if declared and (declared not in DECLARED_PRIORITIES or declared not in policy):
        if declared == Ticket.Priority.BOOKED and booking is not None:
            pass
        else:
            raise ValidationFailed(
                _("Trung tâm không áp dụng ưu tiên này."), fields={"priority": FieldError("invalid")}
            )
    if booking is not None and Ticket.Priority.BOOKED in policy:
        return Ticket.Priority.BOOKED
    if declared and declared != Ticket.Priority.BOOKED:
        return declared
    if (
        Ticket.Priority.ELDERLY in policy
        and holder.birth_date is not None
        and age_on(holder.birth_date, day) >= ELDERLY_AGE
    ):
        return Ticket.Priority.ELDERLY
    return Ticket.Priority.NONE


def _check_photo(photo: "UploadedFile[bytes] | None") -> str:
    """The photo's file suffix (its first bytes say JPEG or PNG); "" without one."""
    if photo is None:
        return ""
    if not settings.MOTCUA_QUEUE_PHOTOS:
        raise ValidationFailed(_("Trung tâm không chụp ảnh người lấy số."), code="photos_off")
    head = photo.read(8)
    photo.seek(0)
    suffix = next((s for magic, s in PHOTO_TYPES.items() if head.startswith(magic)), "")
    if not suffix or (photo.size or 0) > PHOTO_MAX_BYTES:
        raise ValidationFailed(
            _("Ảnh chụp không hợp lệ (JPEG hoặc PNG, tối đa 2 MB)."), fields={"photo": FieldError("invalid")}
        )
    return suffix


def _open_ticket_of(id_number: str, area: ServiceArea, day: date) -> Ticket | None:
    return Ticket.objects.filter(
        area=area, day=day, holder_id_number=id_number, status__in=OPEN_STATUSES
    ).first()


def _already_held(held: Ticket | None) -> ValidationFailed:
    if held is None:  # closed meanwhile: the kiosk may simply try again
        return ValidationFailed(_("Không lấy được số; vui lòng thử lại."), code="ticket_held")
    message = _(
        "Bạn đang giữ số %(ticket)s của khu vực %(area)s hôm nay; mỗi người chỉ giữ một số cho mỗi khu vực."
    ) % {"ticket": held.label, "area": held.area.name if held.area else ""}
    return ValidationFailed(message, code="ticket_held", ticket=held.label)


def call_next(*, counter: ServiceCounter, acting_user: User, now: datetime | None = None) -> Ticket | None:
    """Call the next waiting ticket of today to `counter`; None when nobody waits for it.

    The order: a ticket transferred to this counter first, then priority tickets, then the areas the
    counter serves first (CounterArea.priority), then by number. Only the counter's areas; a ticket
    transferred to another counter waits for that one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Locking the counter makes a double press at one counter wait for the first one.
        counter = _locked_counter(counter.pk)
        _check_operator(acting_user, counter)
        if not counter.is_open:
            raise InvalidTransition(_("Quầy đang đóng; hãy mở quầy trước khi gọi số."), code="counter_closed")
        if Ticket.objects.filter(counter=counter, status=Ticket.Status.CALLED).exists():
            raise InvalidTransition(
                _("Quầy đang phục vụ một số; hãy kết thúc số đó trước khi gọi số tiếp theo."),
                code="counter_busy",
            )
        # SKIP LOCKED: a ticket another counter is calling right now is passed over, not waited for
        # (waiting would re-check it after the other commit and find nothing). No-op on SQLite.
        ticket = next_for(counter, queue_day(now)).select_for_update(skip_locked=True, of=("self",)).first()
        if ticket is None:
            return None
        ticket.status = Ticket.Status.CALLED
        ticket.counter = counter
        ticket.called_at = now
        ticket.recalled_at = None
        ticket.called_by = acting_user
        ticket.save(update_fields=["status", "counter", "called_at", "recalled_at", "called_by"])
        return ticket


def transfer(
    *,
    ticket: Ticket,
    acting_user: User,
    to_counter: ServiceCounter | None = None,
    to_area: ServiceArea | None = None,
    now: datetime | None = None,
) -> Ticket:
    """The called ticket waits again, keeping its number: for `to_counter` only, or in `to_area`."""
    now = now or timezone.now()
    if (to_counter is None) == (to_area is None):
        raise ValidationFailed(_("Hãy chọn một quầy hoặc một khu vực để chuyển số."), code="transfer_target")
    with transaction.atomic():
        ticket = _locked_ticket(ticket.pk)
        _check_called(ticket, acting_user)
        assert ticket.counter is not None  # checked: a called ticket is at a counter
        if to_counter is not None:
            if to_counter.unit_id != ticket.unit_id or to_counter.pk == ticket.counter.pk:
                raise ValidationFailed(_("Hãy chọn một quầy khác của đơn vị."), code="transfer_target")
            if not to_counter.is_open:
                raise InvalidTransition(_("Quầy được chọn đang đóng."), code="counter_closed")
            ticket.reserved_counter = to_counter
        else:
            assert to_area is not None
            if to_area.unit_id != ticket.unit_id or not to_area.is_active or not area_is_served(to_area):
                raise InvalidTransition(
                    _("Khu vực được chọn hiện không có quầy nào phục vụ."), code="area_closed"
                )
            ticket.area, ticket.reserved_counter = to_area, None
        ticket.status = Ticket.Status.WAITING
        ticket.counter, ticket.recalled_at, ticket.transferred_at = None, None, now
        try:
            with transaction.atomic():
                ticket.save(
                    update_fields=[
                        "area",
                        "reserved_counter",
                        "status",
                        "counter",
                        "recalled_at",
                        "transferred_at",
                    ]
                )
        except IntegrityError:  # the person already holds a ticket of the target area
            assert to_area is not None
            raise _already_held(_open_ticket_of(ticket.holder_id_number, to_area, ticket.day)) from None
        audit.record(
            "queue_ticket_transferred",
            user=acting_user,
            ticket_id=ticket.pk,
            to_counter_id=to_counter.pk if to_counter else None,
            to_area_id=to_area.pk if to_area else None,
        )
        return ticket


def link_dossier(*, dossier: "Dossier", acting_user: User, now: datetime | None = None) -> Ticket | None:
    """The dossier an officer receives at the counter came from the ticket they are serving (if any):
    called by them, today. Call inside the reception's transaction."""
    now = now or timezone.now()
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .filter(called_by=acting_user, status=Ticket.Status.CALLED, day=queue_day(now))
        .order_by("-called_at")
        .first()
    )
    if ticket is None:
        return None
    ticket.dossier = dossier
    ticket.save(update_fields=["dossier"])
    return ticket


def recall(*, ticket: Ticket, acting_user: User, now: datetime | None = None) -> Ticket:
    """Announce the counter's current ticket again (the person did not come yet)."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_ticket(ticket.pk)
        _check_called(ticket, acting_user)
        ticket.recalled_at = now
        ticket.save(update_fields=["recalled_at"])
        return ticket


def finish(*, ticket: Ticket, acting_user: User, served: bool, now: datetime | None = None) -> Ticket:
    """Close a called ticket: served, or the person did not come (no show)."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked_ticket(ticket.pk)
        _check_called(ticket, acting_user)
        ticket.status = Ticket.Status.SERVED if served else Ticket.Status.NO_SHOW
        ticket.finished_at = now
        ticket.finished_by = acting_user
        ticket.save(update_fields=["status", "finished_at", "finished_by"])
        return ticket


def purge_ticket_photos(*, now: datetime | None = None) -> int:
    """Delete the photos of tickets of the days before today (the local day): the files, then the field."""
    today = queue_day(now or timezone.now())
    purged = 0
    for ticket in Ticket.objects.filter(day__lt=today).exclude(photo="").only("pk", "photo").iterator():
        ticket.photo.delete(save=False)  # a file already gone is no error
        Ticket.objects.filter(pk=ticket.pk).update(photo="")
        purged += 1
    return purged


def _next_number(unit: OrgUnit, day: date) -> int:
    sequence = _sequence_row(unit, day)
    TicketSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return TicketSequence.objects.values_list("last", flat=True).get(pk=sequence.pk)


def _sequence_row(unit: OrgUnit, day: date) -> TicketSequence:
    try:
        with transaction.atomic():
            return TicketSequence.objects.select_for_update().get_or_create(unit=unit, day=day)[0]
    except IntegrityError:  # another transaction created it between our read and insert
        return TicketSequence.objects.get(unit=unit, day=day)


def _locked_counter(pk: int) -> ServiceCounter:
    # of=self: lock the counter (or ticket) row only, never the unit row it is read with.
    try:
        return ServiceCounter.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)
    except ServiceCounter.DoesNotExist:
        raise NotFound(_("Không tìm thấy quầy.")) from None


def _locked_ticket(pk: int) -> Ticket:
    try:
        return Ticket.objects.select_for_update(of=("self",)).select_related("counter__unit").get(pk=pk)
    except Ticket.DoesNotExist:
        raise NotFound(_("Không tìm thấy số thứ tự.")) from None


def _check_operator(user: User, counter: ServiceCounter) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Bạn cần đăng nhập để thực hiện thao tác này."), code="not_authenticated")
    if not can_operate(user, counter):
        raise PermissionDenied(_("Bạn không có quyền gọi số tại quầy này."))


def _check_called(ticket: Ticket, user: User) -> None:
    if ticket.counter is None or ticket.status != Ticket.Status.CALLED:
        raise InvalidTransition(
            _("Số này không còn đang được phục vụ tại quầy."), code="not_called", status=ticket.status
        )
    _check_operator(user, ticket.counter)
