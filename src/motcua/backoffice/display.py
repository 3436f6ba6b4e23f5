"""How the pages word a dossier's clock: remaining working time, timeliness badges, lateness warnings."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.core.workcalendar import current_calendar
from motcua.dossiers import selectors
from motcua.dossiers.clock import TIMELINESS_LABELS, Timeliness, remaining_working_time
from motcua.dossiers.models import Dossier, StepInstance

# Shown as a warning when less than this many working days are left (Art. 19(9): the apology letter is
# due at least one working day before the appointment).
WARN_WORKING_DAYS = 1


def _hours_per_day() -> float:
    return float(current_calendar().office_hours.hours_per_day)


def duration_text(amount: timedelta) -> str:
    """A working duration in working days and hours ("1 ngày 3 giờ"); under an hour, in minutes."""
    minutes = int(abs(amount).total_seconds() // 60)
    if minutes < 60:
        return ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes}
    hours = minutes // 60
    per_day = int(_hours_per_day())
    days, hours = divmod(hours, per_day)
    parts = []
    if days:
        parts.append(ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours})
    return " ".join(parts)


def remaining_text(amount: timedelta | None) -> str:
    """ "còn 1 ngày 3 giờ" or "quá hạn 2 giờ" (working time; 8 working hours make a working day)."""
    if amount is None:
        return ""
    if amount < timedelta(0):
        return _("quá hạn %(time)s") % {"time": duration_text(amount)}
    return _("còn %(time)s") % {"time": duration_text(amount)}


BADGE_CLASSES = {
    Timeliness.EARLY: "ok",
    Timeliness.ON_TIME: "ok",
    Timeliness.IN_TIME: "ok",
    Timeliness.LATE: "late",
    Timeliness.OVERDUE: "late",
}


@dataclass(frozen=True)
class Clock:
    remaining: timedelta | None
    remaining_text: str
    timeliness: Timeliness | None
    timeliness_label: str
    badge: str
    overdue: bool
    at_risk: bool  # less than one working day left

    @property
    def late(self) -> bool:
        return self.overdue or self.at_risk


def clock_of(dossier: Dossier, *, now: datetime) -> Clock:
    remaining = selectors.remaining_time(dossier, now=now)
    timeliness = selectors.dossier_timeliness(dossier, as_of=now)
    overdue = remaining is not None and remaining < timedelta(0)
    at_risk = (
        remaining is not None
        and not overdue
        and remaining < timedelta(hours=_hours_per_day() * WARN_WORKING_DAYS)
    )
    badge = BADGE_CLASSES.get(timeliness, "") if timeliness else ""
    if at_risk:
        badge = "risk"
    return Clock(
        remaining=remaining,
        remaining_text=remaining_text(remaining),
        timeliness=timeliness,
        timeliness_label=str(TIMELINESS_LABELS[timeliness]) if timeliness else "",
        badge=badge,
        overdue=overdue,
        at_risk=at_risk,
    )


def step_timeliness_label(step: StepInstance, *, now: datetime) -> tuple[str, str]:
    timeliness = selectors.step_timeliness(step, as_of=now)
    if timeliness is None:
        return "", ""
    return str(TIMELINESS_LABELS[timeliness]), BADGE_CLASSES.get(timeliness, "")


def step_remaining_text(step: StepInstance, *, now: datetime) -> str:
    if step.due_at is None or step.finished_at is not None or step.state != StepInstance.State.ACTIVE:
        return ""
    return remaining_text(remaining_working_time(step.due_at, now))
