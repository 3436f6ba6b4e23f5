"""The dossier's clock: appointment, pauses, restarts, rescheduling and the early/on-time/late test.

Arithmetic is delegated to `core.calendar`; this module only decides *which* moments and amounts apply
(DOMAIN.md "Time", "Processing" and Circular 01/2018 Art. 13).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core import calendar
from motcua.core.calendar import TimeUnit, WorkCalendar
from motcua.core.errors import ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.workcalendar import current_calendar
from motcua.dossiers.states import Status

# An apology letter must be issued at least this many working days before the due date (Art. 19(9)).
APOLOGY_NOTICE_WORKING_DAYS = 1
# A supplement after appraisal is requested within this many working days of reception (Art. 19).
SUPPLEMENT_WINDOW_WORKING_DAYS = 3


def time_limit(procedure: Procedure) -> tuple[Decimal, TimeUnit]:
    if not procedure.has_time_limit:
        raise ValidationFailed(
            interpolate(
                _("Thủ tục %(code)s chưa công bố thời hạn giải quyết; không thể hẹn ngày trả kết quả."),
                {"code": procedure.code},
            ),
            code="no_time_limit",
        )
    return Decimal(procedure.time_limit_amount), TimeUnit(procedure.time_limit_unit)


def start_of_clock(received_at: datetime, *, paper: bool, cal: WorkCalendar | None = None) -> datetime:
    return calendar.start_of_clock(received_at, paper=paper, calendar=cal or current_calendar())


def appointment_from(
    clock_start: datetime, procedure: Procedure, cal: WorkCalendar | None = None
) -> datetime:
    """The appointment for the full time limit counted from `clock_start` (reception or restart)."""
    amount, unit = time_limit(procedure)
    return calendar.add_working_time(clock_start, amount, unit, calendar=cal or current_calendar())


def step_due(started_at: datetime, duration: Decimal, procedure: Procedure) -> datetime:
    _amount, unit = time_limit(procedure)
    return calendar.add_working_time(started_at, duration, unit, calendar=current_calendar())


def extend_by_pause(moment: datetime, paused_from: datetime, paused_to: datetime) -> datetime:
    """Push a deadline by the working time a (financial) pause lasted."""
    cal = current_calendar()
    paused = calendar.working_time_between(paused_from, paused_to, calendar=cal)
    hours = Decimal(paused.total_seconds()) / Decimal(3600)
    return calendar.add_working_time(moment, hours, TimeUnit.WORKING_HOURS, calendar=cal)


def apology_is_lawful(issued_at: datetime, due_at: datetime) -> bool:
    """Issued at least one working day before the due date."""
    cal = current_calendar()
    notice = calendar.working_time_between(issued_at, due_at, calendar=cal)
    return notice >= timedelta(hours=float(cal.office_hours.hours_per_day) * APOLOGY_NOTICE_WORKING_DAYS)


def supplement_in_time(clock_started_at: datetime | None, requested_at: datetime) -> bool:
    """Whether a supplement request comes within the legal window after reception (recorded, not enforced:
    a late request is still better than a wrong result, but it shows in the history and the reports)."""
    if clock_started_at is None:
        return False
    cal = current_calendar()
    spent = calendar.working_time_between(clock_started_at, requested_at, calendar=cal)
    return spent <= timedelta(hours=float(cal.office_hours.hours_per_day) * SUPPLEMENT_WINDOW_WORKING_DAYS)


def remaining_working_time(due_at: datetime, now: datetime) -> timedelta:
    """Working time left before `due_at`; negative once it has passed."""
    return calendar.working_time_between(now, due_at, calendar=current_calendar())


def judged_appointment_at(
    *,
    appointment_at: datetime | None,
    clock_started_at: datetime | None,
    reschedule_lawful: bool | None,
    reschedule_previous: datetime | None,
    reschedule_issued_at: datetime | None,
) -> datetime | None:
    """The appointment the on-time test uses. A new date counts only after a lawful apology letter (issued
    at least one working day before the due date, Art. 19(9)); after an unlawful one the dossier is judged
    against the date it had before — unless the clock restarted from zero since (a completed supplement),
    which set a new appointment of its own."""
    unlawful = reschedule_lawful is False and reschedule_issued_at is not None
    if unlawful and (clock_started_at is None or reschedule_issued_at >= clock_started_at):
        return reschedule_previous
    return appointment_at


NOT_JUDGED = frozenset({Status.DRAFT, Status.NEW_ONLINE, Status.NOT_ACCEPTED, Status.WITHDRAWN})


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    IN_TIME = "in_time"  # not ended, still within its appointment at the judged moment
    OVERDUE = "overdue"  # not ended, appointment passed at the judged moment


TIMELINESS_LABELS = {
    Timeliness.EARLY: _("Trước hạn"),
    Timeliness.ON_TIME: _("Đúng hạn"),
    Timeliness.LATE: _("Trễ hạn"),
    Timeliness.IN_TIME: _("Đang xử lý trong hạn"),
    Timeliness.OVERDUE: _("Đang xử lý quá hạn"),
}


@dataclass(frozen=True)
class ClockFacts:
    """What the test needs to know about a dossier (or a step), independent of the ORM."""

    status: int
    ended_at: datetime | None
    appointment_at: datetime | None  # after a lawful rescheduling, the new date
    original_appointment_at: datetime | None
    supplement_requests: int = 0


def classify(facts: ClockFacts, *, as_of: datetime) -> Timeliness | None:
    """Early / on time / late (Circular 01/2018 Art. 13; Decision 766 indicator 2.1).

    A dossier that has not ended is judged at `as_of` (the end of the report period). More than one
    supplement request counts as late. None when the dossier has no appointment (not accepted).
    """
    if facts.appointment_at is None or facts.status in NOT_JUDGED:
        return None
    ended = facts.ended_at is not None
    if not ended:
        if facts.supplement_requests > 1 or as_of > facts.appointment_at:
            return Timeliness.OVERDUE
        return Timeliness.IN_TIME
    assert facts.ended_at is not None
    if facts.supplement_requests > 1 or facts.ended_at > facts.appointment_at:
        return Timeliness.LATE
    original = facts.original_appointment_at or facts.appointment_at
    if localtime(facts.ended_at).date() < localtime(original).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME
