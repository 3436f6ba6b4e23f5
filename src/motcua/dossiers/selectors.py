"""Reads of dossiers for other apps and the API; scope is applied by `access.visible_dossiers`."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from motcua.core.models import OrgUnit, User
from motcua.dossiers import clock
from motcua.dossiers.access import may, visible_dossiers
from motcua.dossiers.models import ClockPause, Consultation, Dossier, DossierEvent, Reschedule, StepInstance
from motcua.dossiers.payloads import ConsultationAnswered, ConsultationAsked, HandedOver, payload_of
from motcua.dossiers.states import ACT_LABELS, PAUSED, Act, Status, allowed_acts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "Handover",
    "available_acts",
    "clock_facts",
    "clock_pauses",
    "dossier_timeliness",
    "handovers",
    "judged_appointment",
    "judged_moment",
    "pause_text",
    "paused_since",
    "remaining_time",
    "reschedule_of",
    "stage_timeliness",
    "step_timeliness",
    "visible_dossiers",
]


def reschedule_of(dossier: Dossier) -> Reschedule | None:
    try:
        return dossier.reschedule
    except ObjectDoesNotExist:
        return None


def _pauses(dossier: Dossier) -> list[ClockPause]:
    """The dossier's pauses in order; one query, or none when a list prefetched them."""
    return sorted(dossier.pauses.all(), key=lambda p: (p.started_at, p.pk))


def clock_pauses(dossier: Dossier) -> list[clock.Pause]:
    return [
        clock.Pause(kind=p.kind, started_at=p.started_at, ended_at=p.ended_at, judged_before=p.judged_before)
        for p in _pauses(dossier)
    ]


def judged_appointment(dossier: Dossier) -> datetime | None:
    """The appointment the on-time test uses (see `clock.judged_appointment_at`)."""
    reschedule = reschedule_of(dossier)
    if reschedule is None or reschedule.lawful:
        return dossier.appointment_at
    return clock.judged_appointment_at(
        appointment_at=dossier.appointment_at,
        clock_started_at=dossier.clock_started_at,
        reschedule_lawful=reschedule.lawful,
        reschedule_previous=reschedule.previous_appointment_at,
        reschedule_issued_at=reschedule.issued_at,
        pauses=clock_pauses(dossier),
    )


def pause_text(dossier: Dossier) -> "StrOrPromise":
    """ "Tạm dừng tính thời hạn, chờ bổ sung từ dd/mm/yyyy" for a paused dossier; "" otherwise."""
    if dossier.status not in PAUSED:
        return ""
    return clock.pause_text(dossier.status, paused_since(dossier))


def paused_since(dossier: Dossier) -> datetime | None:
    """When the open pause of a paused dossier (status 5, 6) began: "clock stopped since dd/mm/yyyy"."""
    if dossier.status not in PAUSED:
        return None
    open_pauses = [p for p in _pauses(dossier) if p.ended_at is None]
    return open_pauses[-1].started_at if open_pauses else None


def clock_facts(dossier: Dossier) -> clock.ClockFacts:
    return clock.ClockFacts(
        status=dossier.status,
        ended_at=dossier.ended_at,
        appointment_at=judged_appointment(dossier),
        original_appointment_at=dossier.original_appointment_at,
        supplement_requests=dossier.supplement_requests,
    )


def judged_moment(as_of: datetime | None = None) -> datetime:
    """The moment open dossiers are judged at: the end of the report period or now, whichever is earlier
    (a period that has not ended cannot make a dossier overdue before its appointment)."""
    now = timezone.now()
    return now if as_of is None else min(as_of, now)


def dossier_timeliness(dossier: Dossier, *, as_of: datetime | None = None) -> clock.Timeliness | None:
    return clock.classify(clock_facts(dossier), as_of=judged_moment(as_of))


def step_timeliness(step: StepInstance, *, as_of: datetime | None = None) -> clock.Timeliness | None:
    """The same test for one agency's step against its own share of the time limit."""
    if step.started_at is None:
        return None
    paused = step.finished_at is None and step.dossier.status in PAUSED
    facts = clock.ClockFacts(
        status=Status.FINISHED if step.finished_at else step.dossier.status if paused else Status.PROCESSING,
        ended_at=step.finished_at,
        appointment_at=step.due_at,
        original_appointment_at=step.due_at,
    )
    return clock.classify(facts, as_of=judged_moment(as_of))


def stage_timeliness(steps: list[StepInstance], *, as_of: datetime | None = None) -> clock.Timeliness | None:
    """The same test for a parallel stage: it ends when its last step ends, and is due at its latest step's
    due moment (each agency is judged on its own share by `step_timeliness`)."""
    if not steps or any(step.started_at is None for step in steps):
        return None
    dues = [step.due_at for step in steps if step.due_at is not None]
    ends = [step.finished_at for step in steps if step.finished_at is not None]
    ended = max(ends) if len(ends) == len(steps) else None
    paused = ended is None and steps[0].dossier.status in PAUSED
    facts = clock.ClockFacts(
        status=Status.FINISHED if ended else steps[0].dossier.status if paused else Status.PROCESSING,
        ended_at=ended,
        appointment_at=max(dues) if dues else None,
        original_appointment_at=max(dues) if dues else None,
    )
    return clock.classify(facts, as_of=judged_moment(as_of))


def remaining_time(dossier: Dossier, *, now: datetime | None = None) -> timedelta | None:
    """Working time left before the appointment (negative when overdue); None when the clock is stopped."""
    if dossier.appointment_at is None or dossier.ended_at or dossier.closed_at or dossier.status in PAUSED:
        return None
    return clock.remaining_working_time(dossier.appointment_at, now or timezone.now())


def available_acts(user: User, dossier: Dossier, *, now: datetime | None = None) -> list[Act]:
    """The acts `user` may perform on `dossier` now: exactly those its service would accept (for the API's
    `allowed_acts` and the back office's act forms). One guard decides both: `access.may`."""
    now = now or timezone.now()
    return [act for act in allowed_acts(dossier.status) if may(act, user, dossier, now=now) is None]


@dataclass(frozen=True)
class Handover:
    """One row of the control slip (form 05): who handed the dossier to whom, when, with what result."""

    at: datetime
    giver: str
    giver_unit: str
    receiver_unit: str
    act: str
    act_label: str
    note: str
    step_due_at: datetime | None


def handovers(dossier: Dossier) -> list[Handover]:
    """The dossier's hand-overs in order (control slip, form 05), read from its immutable events.

    A step move names the steps it started (`payloads.HandedOver`): every unit of a parallel stage receives
    the dossier at once. A parallel step finished before its siblings hands its part to the stage after the
    group (the lead agency consolidating); the last step, to the one-stop section that received the dossier,
    which returns the result."""
    rows = []
    steps = {step.pk: step for step in dossier.steps.select_related("unit")}
    asked = {c.pk: c for c in dossier.consultations.select_related("asking_unit", "consulted_unit")}
    events = dossier.events.select_related("actor", "actor_unit", "step__unit").order_by("at", "pk")
    for event in events:
        actor = event.actor
        receivers, due = _receivers(dossier, event, steps, asked)
        rows.append(
            Handover(
                at=event.at,
                giver=actor.display_name if actor else "",
                giver_unit=str(event.actor_unit or ""),
                receiver_unit=", ".join(dict.fromkeys(str(unit) for unit in receivers)),
                act=event.act,
                act_label=str(ACT_LABELS.get(Act(event.act), event.act)),
                note=event.reason,
                step_due_at=due,
            )
        )
    return rows


def _receivers(
    dossier: Dossier, event: DossierEvent, steps: dict[int, StepInstance], asked: dict[int, Consultation]
) -> tuple[list[OrgUnit], datetime | None]:
    moved = payload_of(event)
    # A question goes to the consulted unit, due when its answer is; the answer goes back to the asker.
    if isinstance(moved, ConsultationAsked) and moved.consultation_id in asked:
        return [asked[moved.consultation_id].consulted_unit], moved.due_at
    if isinstance(moved, ConsultationAnswered) and moved.consultation_id in asked:
        return [asked[moved.consultation_id].asking_unit], None
    if isinstance(moved, HandedOver) and (moved.from_step or moved.to_steps):
        started = [steps[pk] for pk in moved.to_steps if pk in steps]
        if started:
            return [step.unit for step in started], min((s.due_at for s in started if s.due_at), default=None)
        finished = steps.get(moved.from_step or 0)
        later = [
            s for s in steps.values() if finished and s.kind == s.Kind.PROCESS and s.stage > finished.stage
        ]
        if later:
            first = min(s.stage for s in later)
            return [s.unit for s in sorted(later, key=lambda s: s.position) if s.stage == first], None
        return [dossier.receiving_unit], None
    if event.step is not None:
        return [event.step.unit], event.step.due_at
    return [dossier.receiving_unit], None


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def dossier_for_tracking(*, code: str, second_factor: str) -> Dossier | None:
    """Public tracking: the dossier only when the second factor (ID number / tax code, or phone) matches,
    so that codes printed on slips cannot be enumerated."""
    factor = _digits(second_factor)
    if len(factor) < 9:
        return None
    dossier = Dossier.objects.select_related("procedure", "receiving_unit").filter(code=code.strip()).first()
    if dossier is None:
        return None
    candidates = {_digits(dossier.applicant_id_number), _digits(dossier.applicant_phone)} - {""}
    return dossier if factor in candidates else None
