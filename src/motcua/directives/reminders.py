"""Reminders to the units that have not reported: once before the due date (when it is at most
MOTCUA_DIRECTIVE_REMINDER_DAYS working days away, the due day itself included) and once when it has passed
(for periods that fell due within the last `LATE_WINDOW_DAYS` days: a directive entered late does not
remind a year of old periods at once). Each (unit, period, kind) is reminded once (`Reminder` rows, unique),
even when two runs of `motcua directive_reminders` overlap."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.core.calendar import WorkCalendar
from motcua.core.workcalendar import current_calendar
from motcua.directives import notices, rules
from motcua.directives.models import Assignment, Reminder, Report, TaskPeriod

LATE_WINDOW_DAYS = 30


def working_days_until(calendar: WorkCalendar, today: date, due_on: date) -> int:
    """Working days after `today` up to and including `due_on` (0 when due today or earlier)."""
    count, day = 0, today
    while day < due_on:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


def send_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminders due now; returns how many (unit, period) reminders were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days_before = settings.MOTCUA_DIRECTIVE_REMINDER_DAYS
    calendar = current_calendar()
    # A calendar bound wide enough for `days_before` working days (Tết is the longest run of days off).
    horizon = today + timedelta(days=days_before * 2 + 14)
    periods = TaskPeriod.objects.filter(
        due_on__gte=today - timedelta(days=LATE_WINDOW_DAYS), due_on__lte=horizon, starts_on__lte=today
    ).select_related("task__directive")
    queued = 0
    with transaction.atomic():
        for period in periods:
            late = now >= rules.end_of_day(period.due_on)
            if not late and working_days_until(calendar, today, period.due_on) > days_before:
                continue
            kind = Reminder.Kind.LATE if late else Reminder.Kind.BEFORE_DUE
            waiting = (
                Assignment.objects.filter(task_id=period.task_id)
                .filter(~Exists(Report.objects.filter(assignment=OuterRef("pk"), period=period)))
                .filter(~Exists(Reminder.objects.filter(assignment=OuterRef("pk"), period=period, kind=kind)))
            )
            for assignment in waiting:
                try:
                    with transaction.atomic():
                        Reminder.objects.create(assignment=assignment, period=period, kind=kind, sent_at=now)
                except IntegrityError:  # another run reminded this unit meanwhile
                    continue
                notices.reminder(task=period.task, period=period, unit_id=assignment.unit_id, late=late)
                queued += 1
    return queued
