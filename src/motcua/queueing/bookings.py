"""Appointments (lịch hẹn): a citizen books a half-hour slot of a service area online; at the kiosk, in the
slot's window, the booking becomes a priority ticket; a booking nobody checked in releases its slot.

Slots are the half hours of the office sessions (`core.workcalendar`) of working days. A slot's capacity is
the sum of `bookings_per_slot` of the counters serving the area that are staffed for the whole half hour (the
roster, `CounterShift`; a counter without shifts is staffed in office hours every working day). A slot's
places are taken by the bookings booked or checked in for it; a cancelled or released booking frees its place.

Booking locks the area's row (PostgreSQL; on SQLite the IMMEDIATE transactions serialise writers) and counts
again, so two people booking the last place at once get one place and one refusal.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import FieldError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from motcua.core.identity import verified_citizen_id
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.core.workcalendar import current_calendar
from motcua.queueing import services
from motcua.queueing.identity import Holder, check_holder
from motcua.queueing.models import Booking, CounterShift, ServiceArea, ServiceCounter, Ticket

SLOT = timedelta(minutes=30)
LIVE = (Booking.Status.BOOKED, Booking.Status.CHECKED_IN)
# Booking codes: no 0/O, 1/I/L, so that a code read aloud or typed is not mistaken.
CODE_PREFIX = "LH"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_CODE_RE = re.compile(rf"{CODE_PREFIX}[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, Asia/Ho_Chi_Minh
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def end(self) -> datetime:
        return self.start + SLOT


def check_in_opens(slot_start: datetime) -> datetime:
    return slot_start - timedelta(minutes=settings.MOTCUA_BOOKING_CHECK_IN_EARLY_MINUTES)


def check_in_closes(slot_start: datetime) -> datetime:
    """After this moment a booking not checked in is a no-show and its slot is free again."""
    return slot_start + timedelta(minutes=settings.MOTCUA_BOOKING_CHECK_IN_LATE_MINUTES)


# --- reading ---------------------------------------------------------------------------------------------


def bookable_units() -> QuerySet[OrgUnit]:
    """Units with an active service area served by at least one counter."""
    return (
        OrgUnit.objects.filter(
            is_active=True, service_areas__is_active=True, service_areas__counter_links__isnull=False
        )
        .distinct()
        .order_by("path")
    )


def bookable_areas(unit: OrgUnit) -> QuerySet[ServiceArea]:
    return (
        ServiceArea.objects.filter(unit=unit, is_active=True, counter_links__isnull=False)
        .distinct()
        .order_by("position", "name")
    )


def bookable_days(now: datetime | None = None) -> list[date]:
    """Today (if a working day) and the following working days: MOTCUA_BOOKING_DAYS_AHEAD of them."""
    cal = current_calendar()
    day = timezone.localtime(now or timezone.now(), cal.tz).date()
    if not cal.is_working_day(day):
        day = cal.next_working_day(day)
    days = [day]
    while len(days) < settings.MOTCUA_BOOKING_DAYS_AHEAD:
        days.append(cal.next_working_day(days[-1]))
    return days


def _half_hours(day: date) -> list[datetime]:
    cal = current_calendar()
    if not cal.is_working_day(day):
        return []
    starts = []
    for begin, end in cal.office_hours.sessions:
        moment = datetime.combine(day, begin, tzinfo=cal.tz)
        closing = datetime.combine(day, end, tzinfo=cal.tz)
        while moment + SLOT <= closing:
            starts.append(moment)
            moment += SLOT
    return starts


def _staffed(shifts: list[CounterShift], start: datetime) -> bool:
    """Whether a counter with these shifts is at work for the whole half hour from `start` (local)."""
    if not shifts:
        return True  # no roster: office hours every working day
    begin: time = start.time()
    end: time = (start + SLOT).time()
    return any(s.weekday == start.weekday() and s.starts <= begin and end <= s.ends for s in shifts)


def slots(area: ServiceArea, day: date) -> list[Slot]:
    """The area's half-hour slots of `day` with places (capacity > 0), past ones included."""
    counters = list(
        ServiceCounter.objects.filter(area_links__area=area).prefetch_related("shifts").distinct()
    )
    rosters = [(c.bookings_per_slot, list(c.shifts.all())) for c in counters]
    taken = dict(
        Booking.objects.filter(area=area, day=day, status__in=LIVE)
        .order_by()
        .values("slot_start")
        .annotate(n=Count("pk"))
        .values_list("slot_start", "n")
    )
    result = []
    for start in _half_hours(day):
        capacity = sum(per_slot for per_slot, shifts in rosters if _staffed(shifts, start))
        if capacity:
            result.append(Slot(start=start, capacity=capacity, taken=taken.get(start, 0)))
    return result


def free_slots(area: ServiceArea, day: date, now: datetime | None = None) -> list[Slot]:
    """The slots a citizen may still book: in the future, with a free place."""
    now = now or timezone.now()
    return [s for s in slots(area, day) if s.start > now and s.free]


def my_bookings(user: User) -> QuerySet[Booking]:
    return Booking.objects.filter(user=user).select_related("area", "unit", "ticket").order_by("-slot_start")


def my_booking(user: User, code: str) -> Booking | None:
    return my_bookings(user).filter(code=code).first()


def can_cancel(booking: Booking, now: datetime | None = None) -> bool:
    return booking.status == Booking.Status.BOOKED and booking.slot_start > (now or timezone.now())


def parse_code(text: str) -> str:
    """The booking code in what was typed or scanned (the QR holds the code; dashes and spaces ignored)."""
    cleaned = re.sub(r"[\s\-]", "", (text or "").upper())
    found = _CODE_RE.search(cleaned)
    if found is None:
        raise ValidationFailed(
            _("Mã lịch hẹn không hợp lệ. Hãy quét mã QR trên phiếu hẹn hoặc nhập mã bắt đầu bằng LH."),
            code="bad_booking_code",
            fields={"code": FieldError("invalid")},
        )
    return found.group()


# --- acts ------------------------------------------------------------------------------------------------


_ALREADY_BOOKED = _("Bạn đã có một lịch hẹn cho khu vực này trong ngày; hãy hủy lịch đó nếu muốn đổi giờ.")


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def book(
    *, area: ServiceArea, slot_start: datetime, user: User, phone: str = "", now: datetime | None = None
) -> Booking:
    """Book a place in a slot for the signed-in citizen: their account's ID number and name, nothing typed."""
    now = now or timezone.now()
    if not (user.is_authenticated and user.is_active and user.role == Role.CITIZEN):
        raise PermissionDenied(_("Chỉ công dân đăng nhập mới đặt được lịch hẹn."), code="not_citizen")
    # A number only typed at registration is declared, not proven: a booking binds a verified identity.
    id_number, name = verified_citizen_id(user).strip(), user.get_full_name().strip()
    if not id_number:
        raise ValidationFailed(
            _(
                "Tài khoản của bạn chưa được xác thực danh tính (số định danh cá nhân) nên chưa đặt được "
                "lịch hẹn. Vui lòng xác thực qua VNeID hoặc tại Bộ phận Một cửa."
            ),
            code="no_id_number",
        )
    try:  # the kiosk checks the holder so at check-in: a booking it would refuse is not taken
        name = check_holder(Holder(id_number, name, None, Ticket.Identified.BOOKING)).name
    except ValidationFailed as bad:
        raise ValidationFailed(
            _("Họ tên hoặc số định danh của tài khoản chưa hợp lệ nên chưa đặt được lịch hẹn."),
            code="bad_account_identity",
        ) from bad
    phone = (phone or user.phone).strip()
    if phone and not re.fullmatch(r"\+?\d{9,14}", phone):
        raise ValidationFailed(
            _("Số điện thoại không hợp lệ."), fields={"phone": FieldError("invalid")}, code="bad_phone"
        )
    cal = current_calendar()
    slot_start = slot_start.astimezone(cal.tz)
    day = slot_start.date()
    if not area.is_active or not area.unit.is_active:
        raise InvalidTransition(_("Khu vực này hiện không nhận lịch hẹn."), code="area_inactive")
    if slot_start <= now:
        raise InvalidTransition(_("Giờ hẹn đã qua; hãy chọn một giờ khác."), code="slot_past")
    if day not in bookable_days(now):
        raise InvalidTransition(
            _("Chỉ đặt được lịch hẹn trong %(days)s ngày làm việc tới.")
            % {"days": settings.MOTCUA_BOOKING_DAYS_AHEAD},
            code="day_out_of_range",
        )
    with transaction.atomic():
        # One booking at a time per area: the place counted below is still free when it is taken.
        area = ServiceArea.objects.select_for_update().get(pk=area.pk)
        slot = next((s for s in slots(area, day) if s.start == slot_start), None)
        if slot is None:
            raise InvalidTransition(_("Không có giờ hẹn này; hãy chọn trong danh sách."), code="no_such_slot")
        if Booking.objects.filter(area=area, day=day, holder_id_number=id_number, status__in=LIVE).exists():
            raise InvalidTransition(_ALREADY_BOOKED, code="already_booked")
        if not slot.free:
            raise InvalidTransition(_("Giờ hẹn này đã kín chỗ; hãy chọn một giờ khác."), code="slot_full")
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    unit=area.unit,
                    area=area,
                    day=day,
                    slot_start=slot_start,
                    code=new_code(),
                    holder_id_number=id_number,
                    holder_name=name,
                    holder_phone=phone,
                    user=user,
                )
        except IntegrityError as exc:  # the constraint: one live booking per person, area and day
            raise InvalidTransition(_ALREADY_BOOKED, code="already_booked") from exc
    audit.record("queueing.booked", user=user, booking_id=booking.pk, area_id=area.pk)
    return booking


def cancel(*, booking: Booking, user: User, now: datetime | None = None) -> Booking:
    """The citizen cancels their own booking before its time: the place is free again."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.user_id != user.pk:
            raise NotFound(_("Không tìm thấy lịch hẹn."), code="booking_not_found")
        if not can_cancel(booking, now):
            raise InvalidTransition(_("Lịch hẹn này không còn hủy được."), code="cannot_cancel")
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status"])
    audit.record("queueing.booking_cancelled", user=user, booking_id=booking.pk)
    return booking


def release_no_shows(*, now: datetime | None = None) -> int:
    """Bookings not checked in by the end of their check-in window become no-shows; their slots are free."""
    now = now or timezone.now()
    late = timedelta(minutes=settings.MOTCUA_BOOKING_CHECK_IN_LATE_MINUTES)
    return Booking.objects.filter(status=Booking.Status.BOOKED, slot_start__lt=now - late).update(
        status=Booking.Status.NO_SHOW
    )


def _window_error(booking: Booking, now: datetime) -> InvalidTransition | None:
    opens, closes = check_in_opens(booking.slot_start), check_in_closes(booking.slot_start)
    local = timezone.localtime(booking.slot_start)
    when = {"time": local.strftime("%H:%M"), "day": date_format(local.date(), "SHORT_DATE_FORMAT")}
    if now < opens:
        return InvalidTransition(
            _("Lịch hẹn của bạn lúc %(time)s ngày %(day)s; bạn nhận số được từ %(opens)s.")
            % (when | {"opens": timezone.localtime(opens).strftime("%H:%M")}),
            code="too_early",
        )
    if now > closes:
        return InvalidTransition(
            _("Lịch hẹn lúc %(time)s ngày %(day)s đã quá giờ nhận số; vui lòng lấy số thông thường.") % when,
            code="too_late",
        )
    return None


def check_in(*, text: str, unit: OrgUnit, now: datetime | None = None) -> Ticket:
    """At the kiosk: the booking (its QR or typed code) becomes a priority ticket in its time window.

    Scanning a booking again while its ticket is still open gives the same ticket (a double scan)."""
    now = now or timezone.now()
    code = parse_code(text)
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("area", "unit", "ticket", "user")
            .filter(code=code)
        ).first()
        if booking is None:
            raise NotFound(_("Không tìm thấy lịch hẹn có mã này."), code="booking_not_found")
        if booking.unit_id != unit.pk:
            raise InvalidTransition(
                _("Lịch hẹn này đặt tại %(unit)s, không phải tại đây.") % {"unit": booking.unit.name},
                code="other_unit",
            )
        if booking.status == Booking.Status.CHECKED_IN and booking.ticket is not None:
            if booking.ticket.status in (Ticket.Status.WAITING, Ticket.Status.CALLED):
                return booking.ticket
            raise InvalidTransition(_("Lịch hẹn này đã được dùng để lấy số."), code="already_checked_in")
        if booking.status == Booking.Status.CANCELLED:
            raise InvalidTransition(_("Lịch hẹn này đã bị hủy."), code="cancelled")
        if booking.status != Booking.Status.BOOKED:  # released as a no-show
            raise InvalidTransition(
                _("Lịch hẹn này đã quá giờ nhận số; vui lòng lấy số thông thường."), code="too_late"
            )
        if (error := _window_error(booking, now)) is not None:
            raise error
        account = booking.user
        birth_date = (
            account.birth_date if account and account.citizen_id == booking.holder_id_number else None
        )
        holder = Holder(
            id_number=booking.holder_id_number,
            name=booking.holder_name,
            birth_date=birth_date,
            identified_by="booking",
        )
        ticket = services.take_ticket(
            unit=unit, area=booking.area, holder=holder, priority="booked", booking=booking, now=now
        )
        booking.status = Booking.Status.CHECKED_IN
        booking.checked_in_at = now
        booking.ticket = ticket
        booking.save(update_fields=["status", "checked_in_at", "ticket"])
    audit.record("queueing.booking_checked_in", booking_id=booking.pk, ticket_id=ticket.pk)
    return ticket
