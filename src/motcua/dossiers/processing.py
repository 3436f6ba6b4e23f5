"""Acts that move a dossier between the steps of its process (inside status 4): public via `services`."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.models import User
from motcua.dossiers import clock
from motcua.dossiers.access import assignable_officers
from motcua.dossiers.intake import _require_reason
from motcua.dossiers.lifecycle import apply_act
from motcua.dossiers.models import Dossier, StepInstance
from motcua.dossiers.payloads import StepAssigned
from motcua.dossiers.states import Act


def start_processing(*, dossier: Dossier, acting_user: User, now: datetime | None = None) -> Dossier:
    """Hand the accepted dossier to the deciding agency: its first step starts."""

    def change(d: Dossier, at: datetime) -> list[str]:
        first = d.steps.order_by("position").first()
        activate(d, first, at)
        return ["current_step"]

    return apply_act(
        dossier=dossier, acting_user=acting_user, act=Act.START_PROCESSING, change=change, now=now
    )


def assign_step(
    *, dossier: Dossier, acting_user: User, assignee: User, now: datetime | None = None
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        step = _current_active(d)
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
    """Finish the current step and hand the dossier to the next one (possibly another agency)."""
    return _finish_step(dossier, acting_user, opinion, now, approval=False)


def approve(
    *, dossier: Dossier, acting_user: User, opinion: str = "", now: datetime | None = None
) -> Dossier:
    """A leader approves the current (approval) step."""
    return _finish_step(dossier, acting_user, opinion, now, approval=True)


def _finish_step(
    dossier: Dossier, acting_user: User, opinion: str, now: datetime | None, approval: bool
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        step = _current_active(d)
        if step.is_approval != approval:
            message = (
                _("Bước này không phải bước phê duyệt.")
                if approval
                else _("Bước này cần lãnh đạo phê duyệt.")
            )
            raise ValidationFailed(message, code="wrong_step_kind")
        step.state, step.finished_at, step.opinion = StepInstance.State.DONE, at, opinion
        step.save(update_fields=["state", "finished_at", "opinion"])
        following = d.steps.filter(position__gt=step.position).order_by("position").first()
        if following is not None:
            activate(d, following, at)
        return ["current_step"]

    act = Act.APPROVE if approval else Act.COMPLETE_STEP
    return apply_act(
        dossier=dossier, acting_user=acting_user, act=act, change=change, now=now, reason=opinion
    )


def return_step(*, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None) -> Dossier:
    """Send the dossier back to the previous step, with the reason."""
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        step = _current_active(d)
        previous = d.steps.filter(position__lt=step.position).order_by("-position").first()
        if previous is None:
            raise ValidationFailed(
                _("Đây là bước đầu tiên; không có bước trước để trả lại."), code="no_previous"
            )
        step.state, step.started_at, step.due_at = StepInstance.State.PENDING, None, None
        step.save(update_fields=["state", "started_at", "due_at"])
        previous.finished_at = None
        activate(d, previous, at)
        return ["current_step"]

    return apply_act(
        dossier=dossier, acting_user=acting_user, act=Act.RETURN_STEP, change=change, now=now, reason=reason
    )


def _current_active(d: Dossier) -> StepInstance:
    step = d.current_step
    if step is None or step.state != StepInstance.State.ACTIVE:
        raise ValidationFailed(_("Hồ sơ không có bước nào đang xử lý."), code="no_active_step")
    return step


def activate(d: Dossier, step: StepInstance | None, at: datetime) -> None:
    if step is None:
        raise ValidationFailed(_("Quy trình của hồ sơ không có bước xử lý."), code="no_steps")
    step.state, step.started_at = StepInstance.State.ACTIVE, at
    step.due_at = clock.step_due(at, step.duration, d.procedure)
    step.save(update_fields=["state", "started_at", "due_at", "finished_at"])
    d.current_step = step
