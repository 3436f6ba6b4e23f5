"""The queue's acts: take a ticket, call the next one to a counter, recall it, close it (served / no show).

Each act is one transaction that re-reads the rows it changes under a lock (PostgreSQL row locks; on
SQLite the IMMEDIATE transactions of the settings serialise writers), so two counters pressing "next"
at once never get the same ticket and a ticket is never closed twice.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

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
    invalid_fields,
)
from motcua.core.models import OrgUnit, User
from motcua.queueing.models import (
    COUNTER_NAME_MAX_LENGTH,
    FIELD_MAX_LENGTH,
    ServiceCounter,
    Ticket,
    TicketSequence,
)
from motcua.queueing.selectors import (
    OPERATOR_ROLES,
    can_manage,
    can_operate,
    covers,
    has_open_counter,
    queue_day,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NO_OPEN_COUNTER = _(
    "Hiện chưa có quầy nào mở nên chưa thể lấy số. Vui lòng quay lại sau hoặc hỏi cán bộ hướng dẫn."
)


def take_ticket(*, unit: OrgUnit, field: str = "", now: datetime | None = None) -> Ticket:
    """The next number of `unit` for the local day (from 1 each day); unique under concurrency.

    Refused while none of the unit's counters is open: nobody would ever call the number.
    """
    now = now or timezone.now()
    if not unit.is_active:
        raise ValidationFailed(_("Đơn vị này không còn hoạt động."), code="unit_inactive")
    field = field.strip()
    if len(field) > FIELD_MAX_LENGTH:
        raise ValidationFailed(_("Tên lĩnh vực quá dài."), fields={"field": FieldError("too_long")})
    day = queue_day(now)
    with transaction.atomic():
        if not has_open_counter(unit):
            raise InvalidTransition(NO_OPEN_COUNTER, code="no_open_counter")
        number = _next_number(unit, day)
        return Ticket.objects.create(unit=unit, day=day, number=number, field=field, issued_at=now)


def call_next(*, counter: ServiceCounter, acting_user: User, now: datetime | None = None) -> Ticket | None:
    """Call the oldest waiting ticket of the counter's unit today to `counter`; None when nobody waits."""
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
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True)
            .filter(unit_id=counter.unit_id, day=queue_day(now), status=Ticket.Status.WAITING)
            .order_by("number")
            .first()
        )
        if ticket is None:
            return None
        ticket.status = Ticket.Status.CALLED
        ticket.counter = counter
        ticket.called_at = now
        ticket.called_by = acting_user
        ticket.save(update_fields=["status", "counter", "called_at", "called_by"])
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


def save_counter(
    *,
    acting_user: User,
    unit: OrgUnit,
    number: int,
    name: str,
    field: str = "",
    is_open: bool = True,
    officer: User | None = None,
    counter: ServiceCounter | None = None,
) -> ServiceCounter:
    """Create a counter of `unit`, or change `counter`: the center administrator's act."""
    for scope in (unit, counter.unit if counter else unit):
        if not can_manage(acting_user, scope):
            raise PermissionDenied(_("Chỉ quản trị viên của trung tâm được thiết lập quầy của đơn vị này."))
    name, field = name.strip(), field.strip()
    errors: dict[str, StrOrPromise] = {}
    if not name:
        errors["name"] = _("Hãy nhập tên quầy.")
    if len(name) > COUNTER_NAME_MAX_LENGTH:
        errors["name"] = _("Tên quầy quá dài.")
    if len(field) > FIELD_MAX_LENGTH:
        errors["field"] = _("Tên lĩnh vực quá dài.")
    if number < 1:
        errors["number"] = _("Số quầy phải từ 1 trở lên.")
    if officer is not None and not (
        officer.is_active and officer.role in OPERATOR_ROLES and covers(officer, unit)
    ):
        errors["officer"] = _("Cán bộ này không thuộc đơn vị của quầy.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=invalid_fields(errors))
    counter = counter or ServiceCounter(unit=unit)
    counter.unit, counter.number, counter.name, counter.field = unit, number, name, field
    counter.is_open, counter.officer = is_open, officer
    taken = ServiceCounter.objects.filter(unit=unit, number=number).exclude(pk=counter.pk)
    try:
        with transaction.atomic():
            if taken.exists():
                raise IntegrityError
            counter.save()
    except IntegrityError:
        message = _("Đơn vị đã có quầy số %(number)s.") % {"number": number}
        raise ValidationFailed(message, fields={"number": FieldError("taken")}) from None
    audit.record("queue_counter_saved", user=acting_user, counter_id=counter.pk, unit_id=unit.pk)
    return counter


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
