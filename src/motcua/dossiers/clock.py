"""The dossier's clock: appointment, pauses, restarts, rescheduling and the early/on-time/late test.

Arithmetic is delegated to `core.calendar`; this module only decides *which* moments and amounts apply
(docs/domain.md "Time", "Processing" and Circular 01/2018 Art. 13).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core import calendar
from motcua.core.calendar import TimeUnit, WorkCalendar
from motcua.core.errors import ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.workcalendar import current_calendar
from motcua.dossiers.states import PAUSED, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# An apology letter (form 04) is for a dossier at risk: late, its step late, or fewer working days left.
APOLOGY_RISK_WORKING_DAYS = 1
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
    assert procedure.time_limit_amount is not None  # has_time_limit
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


def transfer_due(received_at: datetime) -> datetime:
    """The transfer deadline of a dossier received at `received_at` (`calendar.transfer_deadline`)."""
    return calendar.transfer_deadline(received_at, calendar=current_calendar())


def extend_by_pause(moment: datetime, paused_from: datetime, paused_to: datetime) -> datetime:
    """Push a deadline by the working time a (financial) pause lasted."""
    cal = current_calendar()
    paused = calendar.working_time_between(paused_from, paused_to, calendar=cal)
    hours = Decimal(paused.total_seconds()) / Decimal(3600)
    return calendar.add_working_time(moment, hours, TimeUnit.WORKING_HOURS, calendar=cal)


def apology_is_lawful(issued_at: datetime, due_at: datetime) -> bool:
    """Issued no later than the day before the due date (Art. 19(9), "chậm nhất 01 ngày trước ngày hết
    hạn"): a test on local calendar dates, not on working hours."""
    return localtime(issued_at).date() < localtime(due_at).date()


def apology_at_risk(*, due_at: datetime, step_due_at: datetime | None, now: datetime) -> bool:
    """Whether the dossier is at risk of being late, so that an apology letter (form 04) makes sense: its
    appointment or its current step's own due time has passed, or less than `APOLOGY_RISK_WORKING_DAYS`
    working days are left before the appointment."""
    if now >= due_at or (step_due_at is not None and now > step_due_at):
        return True
    cal = current_calendar()
    window = timedelta(hours=float(cal.office_hours.hours_per_day) * APOLOGY_RISK_WORKING_DAYS)
    return remaining_working_time(due_at, now) < window


def is_working_moment(moment: datetime) -> bool:
    return calendar.is_working_moment(moment, calendar=current_calendar())


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


@dataclass(frozen=True)
class Pause:
    """A dated pause of the clock, as the statistics need it (see `models.ClockPause`)."""

    kind: str  # "supplement" (restart from zero on completion) or "financial" (deadlines move)
    started_at: datetime
    ended_at: datetime | None
    judged_before: datetime | None  # the judged appointment when the pause began


SUPPLEMENT = "supplement"
FINANCIAL = "financial"


def judged_appointment_at(
    *,
    appointment_at: datetime | None,
    clock_started_at: datetime | None,
    reschedule_lawful: bool | None,
    reschedule_previous: datetime | None,
    reschedule_issued_at: datetime | None,
    pauses: Sequence[Pause] = (),
) -> datetime | None:
    """The appointment the on-time test uses. A new date counts only after a lawful apology letter (issued
    no later than the day before the due date, Art. 19(9)); after an unlawful one the dossier is judged
    against the date it had before, moved by the financial pauses since — unless the clock restarted from
    zero since (a completed supplement), which set a new appointment of its own."""
    unlawful = reschedule_lawful is False and reschedule_issued_at is not None
    if not unlawful or reschedule_previous is None:
        return appointment_at
    assert reschedule_issued_at is not None
    if clock_started_at is not None and reschedule_issued_at < clock_started_at:
        return appointment_at
    judged = reschedule_previous
    for p in sorted(pauses, key=lambda p: p.started_at):
        if p.kind == FINANCIAL and p.ended_at is not None and p.started_at >= reschedule_issued_at:
            judged = extend_by_pause(judged, p.started_at, p.ended_at)
    return judged


NOT_JUDGED = frozenset({Status.DRAFT, Status.NEW_ONLINE, Status.NOT_ACCEPTED, Status.WITHDRAWN})


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    IN_TIME = "in_time"  # not ended, still within its appointment at the judged moment
    OVERDUE = "overdue"  # not ended, appointment passed at the judged moment
    PAUSED = "paused"  # not ended, clock stopped: waiting for the applicant (supplement, financial)


TIMELINESS_LABELS = {
    Timeliness.EARLY: _("Trước hạn"),
    Timeliness.ON_TIME: _("Đúng hạn"),
    Timeliness.LATE: _("Trễ hạn"),
    Timeliness.IN_TIME: _("Đang xử lý trong hạn"),
    Timeliness.OVERDUE: _("Đang xử lý quá hạn"),
    Timeliness.PAUSED: _("Tạm dừng tính thời hạn"),
}


# While the dossier waits for the applicant (status 5, 6) its clock is stopped: pages and messages say so,
# with the day it stopped, instead of a countdown or an appointment that no longer runs.
PAUSE_LABELS = {
    Status.SUPPLEMENT_REQUESTED: _("Tạm dừng tính thời hạn, chờ bổ sung từ %(date)s"),
    Status.FINANCIAL_OBLIGATION: _("Tạm dừng tính thời hạn, chờ thực hiện nghĩa vụ tài chính từ %(date)s"),
}


def pause_text(status: int, since: datetime | None) -> "StrOrPromise":
    """ "Tạm dừng tính thời hạn, chờ bổ sung từ dd/mm/yyyy"; "" when the clock runs."""
    if status not in PAUSE_LABELS:
        return ""
    if since is None:
        return str(TIMELINESS_LABELS[Timeliness.PAUSED])
    return interpolate(PAUSE_LABELS[Status(status)], {"date": localtime(since).strftime("%d/%m/%Y")})


@dataclass(frozen=True)
class ClockFacts:
    """What the test needs to know about a dossier (or a step), independent of the ORM."""

    status: int
    ended_at: datetime | None
    appointment_at: datetime | None  # the judged appointment (`judged_appointment_at`)
    original_appointment_at: datetime | None
    supplement_requests: int = 0


def classify(facts: ClockFacts, *, as_of: datetime) -> Timeliness | None:
    """Early / on time / late (Circular 01/2018 Art. 13; Decision 766 indicator 2.1).

    A dossier that has not ended is judged at `as_of` — the end of the report period or now, whichever is
    earlier (the caller's part) — and never overdue while its clock is stopped (status 5, 6). More than one
    supplement request counts as late. None when the dossier has no appointment (not accepted).
    """
    if facts.appointment_at is None or facts.status in NOT_JUDGED:
        return None
    if facts.ended_at is None:
        if facts.status in PAUSED:
            return Timeliness.PAUSED
        if facts.supplement_requests > 1 or as_of > facts.appointment_at:
            return Timeliness.OVERDUE
        return Timeliness.IN_TIME
    if facts.supplement_requests > 1 or facts.ended_at > facts.appointment_at:
        return Timeliness.LATE
    original = facts.original_appointment_at or facts.appointment_at
    if localtime(facts.ended_at).date() < localtime(original).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


class SpanKind(StrEnum):
    OVERDUE = "overdue"  # open, not paused, past its judged appointment (or after two supplement requests)
    PAUSED = "paused"  # clock stopped, waiting for the applicant
    PAUSED_LATE = "paused_late"  # the same after a second supplement request: late for the indicators


@dataclass(frozen=True)
class Span:
    kind: SpanKind
    start: datetime
    end: datetime | None  # None: still so


def spans(
    *,
    received_at: datetime | None,
    stopped_at: datetime | None,
    judged_appointment_at: datetime | None,
    pauses: Sequence[Pause],
) -> list[Span]:
    """When the dossier was paused and when overdue, from reception to `stopped_at` (its end or its
    withdrawal), so that any past moment can be judged as it was then. Between pauses the dossier is
    judged against the appointment in effect (each pause keeps the one before it; after the last pause the
    current judged appointment); a second supplement request makes the rest overdue (docs/domain.md,
    "Time")."""
    if received_at is None or judged_appointment_at is None:
        return []
    out: list[Span] = []
    start, supplements = received_at, 0
    for p in sorted(pauses, key=lambda p: p.started_at):
        if stopped_at is not None and p.started_at >= stopped_at:
            break
        _overdue(out, start, p.started_at, p.judged_before, repeated=supplements > 1)
        supplements += p.kind == SUPPLEMENT
        end = p.ended_at
        if stopped_at is not None and (end is None or end > stopped_at):
            end = stopped_at
        out.append(Span(SpanKind.PAUSED_LATE if supplements > 1 else SpanKind.PAUSED, p.started_at, end))
        if end is None or end == stopped_at:
            return out
        start = end
    _overdue(out, start, stopped_at, judged_appointment_at, repeated=supplements > 1)
    return out


def _overdue(
    out: list[Span], start: datetime, stop: datetime | None, appointment: datetime | None, *, repeated: bool
) -> None:
    if appointment is None and not repeated:
        return
    begin = start if repeated or appointment is None else max(start, appointment)
    if stop is None or begin < stop:
        out.append(Span(SpanKind.OVERDUE, begin, stop))
