"""Who may act on which dossier, and whether the act may happen now: THE one guard (`may`).

`may(act, user, dossier, now=...)` answers "may `user` do `act` on `dossier` now?" with None or the refusal
the act's service raises. The services run it inside their transaction (`lifecycle.apply_act`), and
`selectors.available_acts` (the API's `allowed_acts`, the back office's act forms) offers exactly the acts it
allows, so a button is shown exactly when the service would accept the act. It checks, in this order:

1. the state machine (`states.RULES`): the act is allowed from the dossier's status (409 otherwise);
2. the actor's role and scope, as the rule grants them (403): acting on a step needs the step's own unit —
   a unit that only sees the step (its parent unit: the commune above its police) may not act on it;
3. what the act needs now: an active step of the right kind, no second apology letter, a fee to pay...

What depends on the act's input (the new appointment, the amount paid) is checked by the service itself.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.selectors import fees_for
from motcua.core import audit
from motcua.core.errors import DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import OrgUnit, User
from motcua.core.roles import OFFICER_ROLES, Role
from motcua.dossiers import clock
from motcua.dossiers.models import (
    Consultation,
    Dossier,
    DossierEvent,
    DossierUnit,
    Reschedule,
    StepInstance,
)
from motcua.dossiers.states import ACT_LABELS, ADMIN_ROLE, RULES, Act, Scope, next_status

# The system account the payment gateway's verified callbacks act as (`payments.services.settle`).
PAYMENT_GATEWAY_ACCOUNT = "he-thong.cong-thanh-toan"

Refusal = DomainError
# What an act needs now, beyond the state machine and the actor (`PRECONDITIONS`).
Precondition = Callable[[Dossier, User, datetime], Refusal | None]


def unit_covers(user: User, unit: OrgUnit | None) -> bool:
    """True when `unit` is the user's unit or below it."""
    return bool(unit and user.org_unit and unit.path.startswith(user.org_unit.path))


def works_in(user: User, unit: OrgUnit | None) -> bool:
    """True when `unit` is the user's own unit (not one below it: seeing is not acting)."""
    return bool(unit and user.org_unit_id and unit.pk == user.org_unit_id)


ASSIGNABLE_ROLES = (Role.SPECIALIST, Role.UNIT_LEADER)


def assignable_officers(unit: OrgUnit) -> QuerySet[User]:
    """Who may be assigned a step of `unit`: its own active specialists and leaders, the only officers
    who may then act on the step (Scope.CURRENT_STEP: `works_in`, not a unit above nor below it). The
    assignment form lists them and `processing.assign_step` accepts no one else."""
    return User.objects.filter(is_active=True, role__in=ASSIGNABLE_ROLES, org_unit=unit)


def _in_scope(user: User, scope: Scope, dossier: Dossier | None, intake_unit: OrgUnit | None) -> bool:
    match scope:
        case Scope.INTAKE:
            return user.role in (Role.CITIZEN, Role.SYSTEM) or unit_covers(user, intake_unit)
        case Scope.RECEIVING_UNIT:
            return dossier is not None and unit_covers(user, dossier.receiving_unit)
        case Scope.CURRENT_STEP:
            return dossier is not None and acting_step(dossier, user) is not None
        case Scope.CONSULTED_UNIT:
            return dossier is not None and bool(open_consultations(dossier, user))
        case Scope.APPLICANT:
            return dossier is not None and dossier.applicant_user_id == user.pk
        case Scope.PAYMENT_GATEWAY:
            return dossier is not None and user.username == PAYMENT_GATEWAY_ACCOUNT
    return False


def active_steps(dossier: Dossier) -> list[StepInstance]:
    """The dossier's processing steps under way, in order: one, or the steps of a parallel stage."""
    return list(
        dossier.steps.filter(state=StepInstance.State.ACTIVE, kind=StepInstance.Kind.PROCESS)
        .select_related("unit")
        .order_by("position")
    )


def acting_step(dossier: Dossier, user: User) -> StepInstance | None:
    """The active step `user` acts on: the one of their own unit (a unit above it only sees it), assigned
    to them or to nobody, or any of their unit's when they lead it. A center administrator acting for an
    absent officer acts on the dossier's current step. Once every step is done, the last step (the
    dossier's current one) is the one whose unit issues the result. None when the user holds none."""
    steps = active_steps(dossier)
    if not steps and dossier.current_step is not None:
        steps = [dossier.current_step]
    if user.role == ADMIN_ROLE:
        return next((s for s in steps if s.pk == dossier.current_step_id), steps[0] if steps else None)
    for step in steps:
        # A step assigned to a named specialist is theirs; the unit's leaders may still act on it.
        if works_in(user, step.unit) and (
            step.assignee_id in (None, user.pk) or user.role == Role.UNIT_LEADER
        ):
            return step
    return None


def delaying_step(dossier: Dossier, user: User) -> StepInstance | None:
    """The step an apology letter names as the cause of the delay: the user's own active step, else the
    active step due first (in a parallel stage, the one overrunning)."""
    own = acting_step(dossier, user)
    if own is not None:
        return own
    dated = [(step.due_at, step.position, step) for step in active_steps(dossier) if step.due_at is not None]
    return min(dated)[2] if dated else dossier.current_step


def open_consultations(dossier: Dossier, user: User) -> list[Consultation]:
    """The consultations on the dossier waiting for an answer from `user`'s own unit."""
    if not user.org_unit_id:
        return []
    return list(
        Consultation.objects.filter(
            dossier=dossier,
            consulted_unit_id=user.org_unit_id,
            answered_at__isnull=True,
            withdrawn_at__isnull=True,
        ).order_by("asked_at", "pk")
    )


def _not_permitted(
    act: Act, user: User, dossier: Dossier | None, intake_unit: OrgUnit | None = None
) -> PermissionDenied | None:
    if not user.is_authenticated or not user.is_active:
        return PermissionDenied(_("Bạn cần đăng nhập để thực hiện thao tác này."), code="not_authenticated")
    if user.role == ADMIN_ROLE:
        return None
    for role, scope in RULES[act].grants:
        if user.role == role and _in_scope(user, scope, dossier, intake_unit):
            return None
    return PermissionDenied(
        interpolate(_("Bạn không có quyền “%(act)s” đối với hồ sơ này."), {"act": ACT_LABELS[act]}),
        act=act.value,
    )


def check_can(
    act: Act, user: User, dossier: Dossier | None = None, *, intake_unit: OrgUnit | None = None
) -> None:
    """Raise PermissionDenied unless `user`'s role and scope allow `act` on `dossier` (or creating one at
    `intake_unit`). Only the actor: whether the act may happen now is `may`."""
    refusal = _not_permitted(act, user, dossier, intake_unit)
    if refusal is not None:
        audit.denied(user, f"act:{act.value}", dossier_id=dossier.pk if dossier else None)
        raise refusal


def may(act: Act, user: User, dossier: Dossier, *, now: datetime | None = None) -> Refusal | None:
    """None when `user` may do `act` on `dossier` at `now`; otherwise the refusal the service raises."""
    try:
        next_status(act, dossier.status)
    except InvalidTransition as refused:
        return refused
    refusal = _not_permitted(act, user, dossier)
    if refusal is not None:
        return refusal
    precondition = PRECONDITIONS.get(act)
    return precondition(dossier, user, now or timezone.now()) if precondition else None


def require(act: Act, user: User, dossier: Dossier, *, now: datetime | None = None) -> None:
    """`may`, raising its refusal: what every act's service runs in its transaction."""
    refusal = may(act, user, dossier, now=now)
    if refusal is not None:
        if isinstance(refusal, PermissionDenied):
            audit.denied(user, f"act:{act.value}", dossier_id=dossier.pk)
        raise refusal


# --- what each act needs now ------------------------------------------------------------------------


def _active_step(d: Dossier, user: User) -> StepInstance | None:
    """The step the act concerns: the user's own active step, else (a counter officer's act) the current."""
    step = acting_step(d, user) or d.current_step
    return step if step is not None and step.state == StepInstance.State.ACTIVE else None


def _no_active_step() -> ValidationFailed:
    return ValidationFailed(_("Hồ sơ không có bước nào đang xử lý."), code="no_active_step")


def _step_moves(act: Act) -> Precondition:
    def check(d: Dossier, user: User, now: datetime) -> Refusal | None:
        step = _active_step(d, user)
        if step is None:
            return _no_active_step()
        if act == Act.COMPLETE_STEP and step.is_approval:
            return ValidationFailed(_("Bước này cần lãnh đạo phê duyệt."), code="wrong_step_kind")
        if act == Act.APPROVE and not step.is_approval:
            return ValidationFailed(_("Bước này không phải bước phê duyệt."), code="wrong_step_kind")
        if act == Act.RETURN_STEP and not _process_steps(d).filter(stage__lt=step.stage).exists():
            return ValidationFailed(
                _("Đây là bước đầu tiên; không có bước trước để trả lại."), code="no_previous"
            )
        return None

    return check


def _process_steps(d: Dossier) -> "QuerySet[StepInstance]":
    return d.steps.filter(kind=StepInstance.Kind.PROCESS)


def _consulting_step(d: Dossier, user: User, now: datetime) -> Refusal | None:
    """Another agency's opinion is asked from a step under way, by whoever holds it."""
    return None if _active_step(d, user) is not None else _no_active_step()


def _consultation_waiting(d: Dossier, user: User, now: datetime) -> Refusal | None:
    """An answer needs a question still open (an administrator answering for the unit included)."""
    if not Consultation.objects.filter(
        dossier=d, answered_at__isnull=True, withdrawn_at__isnull=True
    ).exists():
        return ValidationFailed(
            _("Hồ sơ không có yêu cầu xin ý kiến nào đang chờ trả lời."), code="no_open_consultation"
        )
    return None


def _has_steps(d: Dossier, user: User, now: datetime) -> Refusal | None:
    if not _process_steps(d).exists():
        return ValidationFailed(_("Quy trình của hồ sơ không có bước xử lý."), code="no_steps")
    return None


def _all_steps_done(d: Dossier, user: User, now: datetime) -> Refusal | None:
    if d.steps.exclude(state=StepInstance.State.DONE).exists():
        return ValidationFailed(
            _("Còn bước xử lý chưa hoàn thành; chưa thể trả kết quả."), code="steps_pending"
        )
    return None


def _not_asked_to_complete(d: Dossier, user: User, now: datetime) -> Refusal | None:
    if d.events.filter(act=Act.ASK_TO_COMPLETE).exists():
        return ValidationFailed(
            _(
                "Hồ sơ đã được hướng dẫn bổ sung một lần; chỉ được yêu cầu một lần, đầy đủ. "
                "Hãy tiếp nhận hoặc từ chối tiếp nhận hồ sơ."
            ),
            code="already_asked_to_complete",
        )
    return None


def _apology_due(d: Dossier, user: User, now: datetime) -> Refusal | None:
    """The apology letter (form 04): once per dossier, and only for a dossier at risk of being late."""
    if Reschedule.objects.filter(dossier=d).exists():
        return ValidationFailed(
            _("Ngày hẹn trả kết quả chỉ được điều chỉnh một lần."), code="already_rescheduled"
        )
    step = delaying_step(d, user)
    at_risk = d.appointment_at is not None and clock.apology_at_risk(
        due_at=d.appointment_at, step_due_at=step.due_at if step else None, now=now
    )
    if not at_risk:
        return ValidationFailed(
            interpolate(
                _(
                    "Hồ sơ chưa có nguy cơ trễ hạn (bước xử lý hiện tại còn trong hạn và còn hơn "
                    "%(days)d ngày làm việc trước hạn trả kết quả): chưa thể lập phiếu xin lỗi."
                ),
                {"days": clock.APOLOGY_RISK_WORKING_DAYS},
            ),
            code="not_at_risk",
        )
    return None


def _fee_to_pay(d: Dossier, user: User, now: datetime) -> Refusal | None:
    if not has_fee(d):
        return ValidationFailed(
            _(
                "Thủ tục không thu phí, lệ phí đối với hình thức nộp của hồ sơ này; "
                "không có khoản nào để ghi nhận."
            ),
            code="no_fee",
        )
    if fees_outstanding(d) == 0:
        return ValidationFailed(
            _("Hồ sơ đã nộp đủ phí, lệ phí; không còn khoản nào phải nộp."), code="nothing_due"
        )
    return None


PRECONDITIONS = {
    Act.ASK_TO_COMPLETE: _not_asked_to_complete,
    Act.START_PROCESSING: _has_steps,
    Act.ASSIGN_STEP: _step_moves(Act.ASSIGN_STEP),
    Act.COMPLETE_STEP: _step_moves(Act.COMPLETE_STEP),
    Act.RETURN_STEP: _step_moves(Act.RETURN_STEP),
    Act.APPROVE: _step_moves(Act.APPROVE),
    Act.RESCHEDULE: _apology_due,
    Act.ISSUE_RESULT: _all_steps_done,
    Act.RECORD_PAYMENT: _fee_to_pay,
    Act.CONSULT: _consulting_step,
    Act.ANSWER_CONSULTATION: _consultation_waiting,
}


# --- fees -------------------------------------------------------------------------------------------
# A payment is recorded only for a dossier whose procedure has a fee for the dossier's channel
# (`catalog.selectors.fees_for`), and for at most what is still due: the published fees minus the payments
# its history already records. A partial payment is allowed (several receipts), an overpayment is not. A
# fee whose amount is not published (set case by case, e.g. by the provincial council) cannot be checked:
# then any amount may be recorded, by a counter officer only (the gateway bills published fees only).


def has_fee(dossier: Dossier) -> bool:
    return any(
        fee.amount_vnd is None or fee.amount_vnd > 0 for fee in fees_for(dossier.procedure, dossier.channel)
    )


def fees_published(dossier: Dossier) -> int:
    """The published fees of the dossier's procedure for its channel, in đồng."""
    return sum(fee.amount_vnd or 0 for fee in fees_for(dossier.procedure, dossier.channel))


def fees_paid(dossier: Dossier) -> int:
    """What the dossier's history records as paid (counter receipts and gateway settlements)."""
    recorded = dossier.events.filter(act=Act.RECORD_PAYMENT).values_list("data", flat=True)
    return sum(int(data.get("amount_vnd") or 0) for data in recorded)


def fees_outstanding(dossier: Dossier) -> int | None:
    """What is still due, in đồng; None when a fee's amount is not published (nothing to check against)."""
    fees = fees_for(dossier.procedure, dossier.channel)
    if any(fee.amount_vnd is None for fee in fees):
        return None
    return max(0, fees_published(dossier) - fees_paid(dossier))


def units_under(unit: OrgUnit) -> list[int]:
    """The ids of `unit` and every unit below it. Given to the database as a list, so that its planner
    knows how many dossiers they hold (a prefix condition on a joined table it cannot estimate)."""
    return list(OrgUnit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def dossier_ids_under(unit: OrgUnit) -> QuerySet[DossierUnit, Mapping[str, Any]]:
    """The ids of the dossiers that belong to `unit` or a unit below it (received there, or with a step
    there: `dossiers.scope`), as a subquery."""
    return DossierUnit.objects.filter(unit_id__in=units_under(unit)).values("dossier_id")


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """Dossiers the user may see: the applicant's own; an officer's unit's (received or processed)."""
    dossiers = Dossier.objects.select_related("procedure", "receiving_unit", "current_step__unit")
    if not user.is_authenticated:
        return dossiers.none()
    if user.role == ADMIN_ROLE:
        return dossiers
    if user.role in OFFICER_ROLES and user.org_unit is not None:
        return dossiers.filter(pk__in=dossier_ids_under(user.org_unit))
    if user.role == Role.SYSTEM:  # a connected system (the portal) sees what it submitted
        submitted = DossierEvent.objects.filter(dossier=OuterRef("pk"), act=Act.SUBMIT_ONLINE, actor=user)
        return dossiers.filter(Exists(submitted))
    return dossiers.filter(applicant_user=user)
