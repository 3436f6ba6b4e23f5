"""Acts that move a dossier between the steps of its process (inside status 4): public via `services`.

A process is a sequence of stages; a stage is one step, or a parallel group of steps (`ProcessStep.
parallel_group`) that start together, each at its own unit with its own share of the time limit and its own
due moment, and end when all of them have ended. An officer acts on the active step of their own unit
(`access.acting_step`); the stage after a parallel group (the lead agency consolidating) starts when the
last step of the group is done. A dossier received by another unit's one-stop section than the deciding
agency's first has a transfer step (`StepInstance.Kind.TRANSFER`) with the transfer deadline, done when the
section hands the dossier over (START_PROCESSING).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import clock
from motcua.dossiers.access import acting_step, active_steps, assignable_officers
from motcua.dossiers.intake import _require_reason
from motcua.dossiers.lifecycle import apply_act
from motcua.dossiers.models import Dossier, StepInstance
from motcua.dossiers.payloads import HandedOver, StepAssigned
from motcua.dossiers.states import Act

ACTIVE, PENDING, DONE = StepInstance.State.ACTIVE, StepInstance.State.PENDING, StepInstance.State.DONE


def start_processing(*, dossier: Dossier, acting_user: User, now: datetime | None = None) -> Dossier:
    """Hand the accepted dossier to the deciding agency: the transfer step (if any) ends, the first stage
    starts."""
    moved = _Moved()

    def change(d: Dossier, at: datetime) -> list[str]:
        transfer = d.steps.filter(kind=StepInstance.Kind.TRANSFER, state=ACTIVE).first()
        if transfer is not None:
            _finish(transfer, acting_user, at, "")
            moved.from_step = transfer.pk
        moved.to(_start_stage(d, _next_stage(d, after=None), at))
        return ["current_step"]

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.START_PROCESSING,
        change=change,
        now=now,
        payload=moved.payload,
    )


def assign_step(
    *, dossier: Dossier, acting_user: User, assignee: User, now: datetime | None = None
) -> Dossier:
    """The leader of the unit holding a step names the officer who handles it."""

    def change(d: Dossier, at: datetime) -> list[str]:
        step = _acting(d, acting_user)
        if not assignable_officers(step.unit).filter(pk=assignee.pk).exists():
            raise ValidationFailed(
                _("Chỉ phân công được cho cán bộ của đơn vị đang xử lý bước này."),
                code="bad_assignee",
                fields={"assignee": FieldError("not_in_step_unit")},
            )
        step.assignee = assignee
        step.save(update_fields=["assignee"])
        return []

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.ASSIGN_STEP,
        change=change,
        now=now,
        payload=StepAssigned(assignee.username),
    )


def complete_step(
    *, dossier: Dossier, acting_user: User, opinion: str = "", now: datetime | None = None
) -> Dossier:
    """Finish the user's step; the next stage starts when every step of this one is done."""
    return _finish_step(dossier, acting_user, opinion, now, approval=False)


def approve(
    *, dossier: Dossier, acting_user: User, opinion: str = "", now: datetime | None = None
) -> Dossier:
    """A leader approves their unit's (approval) step."""
    return _finish_step(dossier, acting_user, opinion, now, approval=True)


def _finish_step(
    dossier: Dossier, acting_user: User, opinion: str, now: datetime | None, approval: bool
) -> Dossier:
    moved = _Moved()

    def change(d: Dossier, at: datetime) -> list[str]:
        step = _acting(d, acting_user)
        if step.is_approval != approval:
            message = (
                _("Bước này không phải bước phê duyệt.")
                if approval
                else _("Bước này cần lãnh đạo phê duyệt.")
            )
            raise ValidationFailed(message, code="wrong_step_kind")
        _finish(step, acting_user, at, opinion)
        moved.from_step = step.pk
        siblings = [s for s in active_steps(d) if s.stage == step.stage]
        following = None if siblings else _next_stage(d, after=step.stage)
        if siblings:  # a parallel stage goes on until its last step is done
            d.current_step = siblings[0]
        elif following is not None:
            moved.to(_start_stage(d, following, at))
        else:  # the last stage is done: the result can be issued
            d.current_step = step
        return ["current_step"]

    act = Act.APPROVE if approval else Act.COMPLETE_STEP
    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=act,
        change=change,
        now=now,
        reason=opinion,
        payload=moved.payload,
    )


def return_step(*, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None) -> Dossier:
    """Send the dossier back to the previous stage, with the reason: the user's stage (every step of a
    parallel group) waits again, the previous stage's steps are active again."""
    _require_reason(reason)
    moved = _Moved()

    def change(d: Dossier, at: datetime) -> list[str]:
        step = _acting(d, acting_user)
        previous = _process_steps(d).filter(stage__lt=step.stage).order_by("-stage").first()
        if previous is None:
            raise ValidationFailed(
                _("Đây là bước đầu tiên; không có bước trước để trả lại."), code="no_previous"
            )
        _process_steps(d).filter(stage=step.stage).update(
            state=PENDING, started_at=None, due_at=None, finished_at=None, finished_by=None
        )
        moved.from_step = step.pk
        moved.to(_start_stage(d, previous.stage, at))
        return ["current_step"]

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.RETURN_STEP,
        change=change,
        now=now,
        reason=reason,
        payload=moved.payload,
    )


@dataclass
class _Moved:
    """Which step an act finished and which it started: the hand-over its event records (`HandedOver`),
    known once the change is made."""

    from_step: int | None = None
    to_steps: tuple[int, ...] = ()

    def to(self, steps: Sequence[StepInstance]) -> None:
        self.to_steps = tuple(step.pk for step in steps)

    def payload(self) -> HandedOver:
        return HandedOver(self.from_step, self.to_steps)


def _acting(d: Dossier, user: User) -> StepInstance:
    step = acting_step(d, user)
    if step is None:
        raise ValidationFailed(_("Hồ sơ không có bước nào đang xử lý."), code="no_active_step")
    return step


def _process_steps(d: Dossier) -> QuerySet[StepInstance]:
    return d.steps.filter(kind=StepInstance.Kind.PROCESS)


def _next_stage(d: Dossier, *, after: int | None) -> int | None:
    steps = _process_steps(d)
    if after is not None:
        steps = steps.filter(stage__gt=after)
    stage: int | None = steps.aggregate(first=Min("stage"))["first"]
    return stage


def _start_stage(d: Dossier, stage: int | None, at: datetime) -> list[StepInstance]:
    """Start every step of `stage` at `at`; the first of them becomes the dossier's current step."""
    if stage is None:
        raise ValidationFailed(_("Quy trình của hồ sơ không có bước xử lý."), code="no_steps")
    steps = list(_process_steps(d).filter(stage=stage).select_related("unit").order_by("position"))
    activate_steps(d, steps, at)
    return steps


def activate_steps(d: Dossier, steps: Sequence[StepInstance], at: datetime) -> None:
    """Start (or restart, after a supplement) `steps` at `at`, each due after its own share of the time
    limit; the first becomes the dossier's current step."""
    for step in steps:
        step.state, step.started_at, step.finished_at, step.finished_by = ACTIVE, at, None, None
        step.due_at = clock.step_due(at, step.duration, d.procedure)
        step.save(update_fields=["state", "started_at", "due_at", "finished_at", "finished_by"])
    if steps:
        d.current_step = steps[0]


def _finish(step: StepInstance, user: User, at: datetime, opinion: str) -> None:
    step.state, step.finished_at, step.finished_by, step.opinion = DONE, at, user, opinion
    step.save(update_fields=["state", "finished_at", "finished_by", "opinion"])
