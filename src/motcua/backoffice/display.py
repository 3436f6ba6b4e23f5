"""How the pages word a dossier's clock: remaining working time, timeliness badges, pauses, lateness.

The state always comes from the dossier's rules (`dossiers.selectors.dossier_timeliness`, the appointment
moment, `dossiers.clock.apology_at_risk`), never from the remaining working time alone: outside office hours
a dossier past its appointment has no working time left *and* none overdue, yet it is overdue.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.selectors import fees_for
from motcua.core.workcalendar import current_calendar
from motcua.dossiers import clock, selectors
from motcua.dossiers.clock import TIMELINESS_LABELS, Timeliness, remaining_working_time
from motcua.dossiers.models import Dossier, StepInstance
from motcua.dossiers.states import PAUSED

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


def remaining_text(due_at: datetime | None, *, now: datetime) -> str:
    """ "còn 1 ngày 3 giờ" before `due_at`; "quá hạn 2 giờ" once it has passed, at any hour (working time;
    8 working hours make a working day). Past the due moment but with no working time since (the evening
    after a 17:00 appointment, a weekend) it is simply "quá hạn"."""
    if due_at is None:
        return ""
    if now <= due_at:
        return _("còn %(time)s") % {"time": duration_text(remaining_working_time(due_at, now))}
    late = -remaining_working_time(due_at, now)
    if late < timedelta(minutes=1):
        return _("quá hạn")
    return _("quá hạn %(time)s") % {"time": duration_text(late)}


pause_text = selectors.pause_text


BADGE_CLASSES = {
    Timeliness.EARLY: "ok",
    Timeliness.ON_TIME: "ok",
    Timeliness.IN_TIME: "ok",
    Timeliness.LATE: "late",
    Timeliness.OVERDUE: "late",
    Timeliness.PAUSED: "paused",
}


@dataclass(frozen=True)
class Clock:
    remaining_text: "StrOrPromise"  # the countdown, "quá hạn …", or the pause ("Tạm dừng tính thời hạn, …")
    timeliness: Timeliness | None
    timeliness_label: str
    badge: str
    overdue: bool  # open, not paused, judged overdue (`dossier_timeliness`)
    at_risk: bool  # open, not paused, not overdue, less than `WARN_WORKING_DAYS` working days left
    paused: bool

    @property
    def late(self) -> bool:
        return self.overdue or self.at_risk


def clock_of(dossier: Dossier, *, now: datetime) -> Clock:
    timeliness = selectors.dossier_timeliness(dossier, as_of=now)
    paused = timeliness == Timeliness.PAUSED
    running = timeliness in (Timeliness.IN_TIME, Timeliness.OVERDUE)
    overdue = timeliness == Timeliness.OVERDUE
    at_risk = (
        running
        and not overdue
        and dossier.appointment_at is not None  # a running clock has its appointment
        and remaining_working_time(dossier.appointment_at, now)
        < timedelta(hours=_hours_per_day() * WARN_WORKING_DAYS)
    )
    if paused:
        text = pause_text(dossier)
    elif running:
        text = remaining_text(dossier.appointment_at, now=now)
    else:
        text = ""
    badge = "risk" if at_risk else BADGE_CLASSES.get(timeliness, "") if timeliness else ""
    return Clock(
        remaining_text=text,
        timeliness=timeliness,
        timeliness_label=str(TIMELINESS_LABELS[timeliness]) if timeliness else "",
        badge=badge,
        overdue=overdue,
        at_risk=at_risk,
        paused=paused,
    )


def apology_due(dossier: Dossier, *, now: datetime) -> bool:
    """Whether the dossier is at risk of being late, so that the apology letter (form 04) is offered: the
    rule `services.reschedule` applies (`clock.apology_at_risk`). Whether the act is allowed at all (not for
    a settled or paused dossier, once) is the state machine's part (`selectors.available_acts`)."""
    if dossier.appointment_at is None:
        return False
    step = dossier.current_step
    step_due = step.due_at if step is not None and step.state == StepInstance.State.ACTIVE else None
    return clock.apology_at_risk(due_at=dossier.appointment_at, step_due_at=step_due, now=now)


def step_timeliness_label(step: StepInstance, *, now: datetime) -> tuple[str, str]:
    timeliness = selectors.step_timeliness(step, as_of=now)
    if timeliness is None:
        return "", ""
    return str(TIMELINESS_LABELS[timeliness]), BADGE_CLASSES.get(timeliness, "")


def step_remaining_text(step: StepInstance, *, dossier: Dossier, now: datetime) -> str:
    """The active step's countdown; none while the dossier's clock is stopped."""
    if step.due_at is None or step.finished_at is not None or step.state != StepInstance.State.ACTIVE:
        return ""
    if dossier.status in PAUSED:
        return ""
    return remaining_text(step.due_at, now=now)


# A fee due only on request ("Phí cấp bản sao Trích lục (nếu có yêu cầu)") with no published amount does not
# make a free procedure's dossier owe anything: the counter is not offered to record a payment for it.
ON_REQUEST_MARKERS = ("nếu có",)


def owes_fee(dossier: Dossier) -> bool:
    """Whether the dossier's procedure charges a fee for its channel: a published amount above zero, or an
    amount not published (set case by case) for a fee that is not due only on request."""
    return any(
        (fee.amount_vnd or 0) > 0
        or (fee.amount_vnd is None and not any(m in fee.name.lower() for m in ON_REQUEST_MARKERS))
        for fee in fees_for(dossier.procedure, dossier.channel)
    )
