"""The rules of directive reporting, in one place: the reporting periods and their due dates, when a report
is late or missing, and who coordinates or reports.

Periods (Decree 09/2019/NĐ-CP on the reporting regime of state administrative agencies, Art. 12(1), the
data cut-off of periodic reports): a monthly report covers the 15th of the previous month to the 14th of
its month; a quarterly one the 15th of the month before the quarter to the 14th of the quarter's last
month; a half-yearly one the 15th of the month before the half to the 14th of its sixth month; a yearly
one 15 December of the year before to 14 December. A recurring task reports every period whose month,
quarter, half or year begins between its `starts_on` and `ends_on`.

Due date: the period's last day plus the task's `report_days` calendar days (the directive sets how long
after the cut-off the report is sent: the province's choice, entered per task; 0 = on the cut-off day
itself); a task with a deadline is due on its deadline. A due date that is not a working day
(`core.calendar`: weekends, national holidays, the province's own days off) moves to the next working day,
as a time limit ending on a day off ends on the next working day (Civil Code 2015, Art. 148(5)).

Late and missing (the province's choice, stated here): a report is on time when it was first sent by the
end of its due date (local time), late when first sent after it; sending again after the coordinator
returned it does not change that. It is missing when nothing was sent by the end of the due date, and
pending while its due date has not passed.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import WorkCalendar
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.directives.models import Recurrence

# Who reports for an assignee unit and who acts for the coordinating unit: its leaders and specialists.
REPORTING_ROLES = frozenset({Role.UNIT_LEADER, Role.SPECIALIST})
CUT_OFF_DAY = 14  # Decree 09/2019/NĐ-CP Art. 12(1): data up to the 14th of the period's last month
MONTHS_PER_PERIOD = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.YEARLY: 12,
}


@dataclass(frozen=True)
class Period:
    year: int
    number: int  # month, quarter or half; 0 for yearly and once
    starts_on: date
    ends_on: date
    due_on: date


def _first_of(year: int, month: int) -> date:
    year, index = divmod(year * 12 + month - 1, 12)
    return date(year, index + 1, 1)


def due_date(last_day: date, report_days: int, calendar: WorkCalendar) -> date:
    """`last_day` + `report_days` calendar days, moved to the next working day when it is a day off."""
    due = last_day + timedelta(days=report_days)
    return due if calendar.is_working_day(due) else calendar.next_working_day(due)


def periods(
    *,
    recurrence: str,
    calendar: WorkCalendar,
    deadline: date | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    report_days: int = 0,
) -> list[Period]:
    """The reporting periods of a task (see the module's docstring)."""
    if recurrence == Recurrence.ONCE:
        assert deadline is not None
        return [Period(deadline.year, 0, deadline, deadline, due_date(deadline, 0, calendar))]
    assert starts_on is not None and ends_on is not None
    months = MONTHS_PER_PERIOD[Recurrence(recurrence)]
    found = []
    # The calendar unit (month, quarter, half, year) each period reports on, from the first that begins
    # on or after `starts_on`.
    first_month = starts_on.month + (-(starts_on.month - 1)) % months
    begin = _first_of(starts_on.year, first_month)
    if starts_on.day > 1 and begin.month == starts_on.month and begin.year == starts_on.year:
        begin = _first_of(begin.year, begin.month + months)
    while begin <= ends_on:
        last_month = _first_of(begin.year, begin.month + months - 1)
        window_start = _first_of(begin.year, begin.month - 1).replace(day=CUT_OFF_DAY + 1)
        window_end = last_month.replace(day=CUT_OFF_DAY)
        number = 0 if months == 12 else (begin.month - 1) // months + 1
        found.append(
            Period(begin.year, number, window_start, window_end, due_date(window_end, report_days, calendar))
        )
        begin = _first_of(begin.year, begin.month + months)
    return found


def period_label(recurrence: str, year: int, number: int) -> str:
    """ "Quý 1/2024", "Tháng 4/2026", "6 tháng đầu năm 2024", "Năm 2024"; a deadline task: "Hạn 30/04/2026"
    is the caller's (it has the date)."""
    if recurrence == Recurrence.MONTHLY:
        return str(_("Tháng %(number)s/%(year)s") % {"number": number, "year": year})
    if recurrence == Recurrence.QUARTERLY:
        return str(_("Quý %(number)s/%(year)s") % {"number": number, "year": year})
    if recurrence == Recurrence.HALF_YEARLY:
        if number == 1:
            return str(_("6 tháng đầu năm %(year)s") % {"year": year})
        return str(_("6 tháng cuối năm %(year)s") % {"year": year})
    if recurrence == Recurrence.YEARLY:
        return str(_("Năm %(year)s") % {"year": year})
    return str(_("Theo hạn, năm %(year)s") % {"year": year})


class Standing(StrEnum):
    """A report slot (an assignee's period) judged at a moment."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"


STANDING_LABELS = {
    Standing.ON_TIME: _("Đúng hạn"),
    Standing.LATE: _("Trễ hạn"),
    Standing.MISSING: _("Chưa báo cáo, quá hạn"),
    Standing.PENDING: _("Chưa đến hạn"),
}


def end_of_day(day: date) -> datetime:
    """The first moment after `day` in local time: a report sent before it was sent on `day` or earlier."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone())


def standing(*, due_on: date, first_submitted_at: datetime | None, now: datetime) -> Standing:
    deadline = end_of_day(due_on)
    if first_submitted_at is not None:
        return Standing.ON_TIME if first_submitted_at < deadline else Standing.LATE
    return Standing.MISSING if now >= deadline else Standing.PENDING


def reports_for(user: User, unit: OrgUnit | int) -> bool:
    """Whether `user` reports for `unit` (or, for the coordinating unit, acts as its coordinator): an
    active leader or specialist of that very unit, never of its parent."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return user.is_active and user.role in REPORTING_ROLES and user.org_unit_id == unit_id
