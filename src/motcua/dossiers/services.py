"""Every legal act on a dossier, one function each. The only writer of `Dossier.status`.

Each act runs in one transaction: it locks the dossier row and checks that nobody changed it since the
caller loaded it (`version`), checks the actor's role and scope and the state machine, writes the change,
appends an immutable event and enqueues the side effects (outbox), dispatched after commit.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ConflictError, NotFound, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import clock, events
from motcua.dossiers.access import check_can, unit_covers
from motcua.dossiers.intake import (
    Applicant,
    Intake,
    ProvidedComponent,
    _require_reason,
    guide_at_counter,
    receive,
    refuse_at_counter,
    start_clock,
    submit_online,
)
from motcua.dossiers.models import ClockPause, Dossier, Reschedule, StepInstance
from motcua.dossiers.states import Act, next_status
from motcua.interop.outbox import enqueue

__all__ = [
    "Applicant",
    "Intake",
    "ProvidedComponent",
    "accept",
    "approve",
    "ask_to_complete",
    "assign_step",
    "complete_step",
    "complete_supplement",
    "fulfil_financial_obligation",
    "guide_at_counter",
    "issue_result",
    "receive",
    "record_payment",
    "refuse",
    "refuse_at_counter",
    "refuse_reception",
    "request_financial_obligation",
    "request_supplement",
    "reschedule",
    "return_result",
    "return_step",
    "start_processing",
    "submit_online",
    "withdraw",
]

ISSUE_ELECTRONIC_RESULT = "documents.issue_electronic_result"  # handled in documents.results

Change = Callable[[Dossier, datetime], Iterable[str]]


def _apply(
    *,
    dossier: Dossier,
    acting_user: User,
    act: Act,
    change: Change | None = None,
    now: datetime | None,
    reason: str = "",
    data: dict | None = None,
) -> Dossier:
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_unit", "current_step__unit")
            .filter(pk=dossier.pk)
            .first()
        )
        if locked is None:
            raise NotFound(_("Không tìm thấy hồ sơ."))
        if locked.version != dossier.version:
            raise ConflictError(
                interpolate(
                    _("Hồ sơ %(code)s vừa được người khác cập nhật. Vui lòng tải lại trước khi thao tác."),
                    {"code": locked.code},
                ),
                current_version=locked.version,
            )
        from_status = locked.status
        locked.status = next_status(act, from_status)
        check_can(act, acting_user, locked)
        fields = set(change(locked, now) if change else ())
        locked.version += 1
        locked.save(update_fields=sorted(fields | {"status", "version", "updated_at"}))
        events.record(
            dossier=locked,
            act=act,
            from_status=from_status,
            actor=acting_user,
            at=now,
            reason=reason,
            step=locked.current_step,
            data=data,
        )
    return locked


# --- reception of online dossiers ------------------------------------------------------------------


def accept(*, dossier: Dossier, acting_user: User, now: datetime | None = None) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        start_clock(d, at)
        return ["received_at", "clock_started_at", "appointment_at", "original_appointment_at"]

    return _apply(dossier=dossier, acting_user=acting_user, act=Act.ACCEPT, change=change, now=now)


def refuse_reception(
    *, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None
) -> Dossier:
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        d.closed_at = at
        return ["closed_at"]

    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.REFUSE_RECEPTION,
        change=change,
        now=now,
        reason=reason,
    )


def ask_to_complete(
    *, dossier: Dossier, acting_user: User, missing: list[str], reason: str, now: datetime | None = None
) -> Dossier:
    """Tell the online applicant, once and fully, everything missing (the dossier stays at status 1)."""
    _require_reason(reason)
    _require_items(missing)
    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.ASK_TO_COMPLETE,
        now=now,
        reason=reason,
        data={"missing": missing},
    )


# --- processing ------------------------------------------------------------------------------------


def start_processing(*, dossier: Dossier, acting_user: User, now: datetime | None = None) -> Dossier:
    """Hand the accepted dossier to the deciding agency: its first step starts."""

    def change(d: Dossier, at: datetime) -> list[str]:
        first = d.steps.order_by("position").first()
        _activate(d, first, at)
        return ["current_step"]

    return _apply(dossier=dossier, acting_user=acting_user, act=Act.START_PROCESSING, change=change, now=now)


def assign_step(
    *, dossier: Dossier, acting_user: User, assignee: User, now: datetime | None = None
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        step = _current_active(d)
        if not unit_covers(assignee, step.unit) or assignee.role not in (Role.SPECIALIST, Role.UNIT_LEADER):
            raise ValidationFailed(
                _("Chỉ phân công được cho cán bộ của đơn vị đang xử lý bước này."),
                code="bad_assignee",
                fields={"assignee": "not_in_step_unit"},
            )
        step.assignee = assignee
        step.save(update_fields=["assignee"])
        return []

    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.ASSIGN_STEP,
        change=change,
        now=now,
        data={"assignee": assignee.username},
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
            _activate(d, following, at)
        return ["current_step"]

    act = Act.APPROVE if approval else Act.COMPLETE_STEP
    return _apply(dossier=dossier, acting_user=acting_user, act=act, change=change, now=now, reason=opinion)


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
        _activate(d, previous, at)
        return ["current_step"]

    return _apply(
        dossier=dossier, acting_user=acting_user, act=Act.RETURN_STEP, change=change, now=now, reason=reason
    )


def _current_active(d: Dossier) -> StepInstance:
    step = d.current_step
    if step is None or step.state != StepInstance.State.ACTIVE:
        raise ValidationFailed(_("Hồ sơ không có bước nào đang xử lý."), code="no_active_step")
    return step


def _activate(d: Dossier, step: StepInstance | None, at: datetime) -> None:
    if step is None:
        raise ValidationFailed(_("Quy trình của hồ sơ không có bước xử lý."), code="no_steps")
    step.state, step.started_at = StepInstance.State.ACTIVE, at
    step.due_at = clock.step_due(at, step.duration, d.procedure)
    step.save(update_fields=["state", "started_at", "due_at", "finished_at"])
    d.current_step = step


# --- pauses of the clock ---------------------------------------------------------------------------


def request_supplement(
    *, dossier: Dossier, acting_user: User, missing: list[str], reason: str, now: datetime | None = None
) -> Dossier:
    """Form 02 after appraisal: the clock stops and restarts from zero when the dossier is complete.

    Allowed once; a further request needs a reason and makes the dossier count as late (DOMAIN.md).
    """
    _require_reason(reason)
    _require_items(missing)

    def change(d: Dossier, at: datetime) -> list[str]:
        ClockPause.objects.create(
            dossier=d,
            kind=ClockPause.Kind.SUPPLEMENT,
            started_at=at,
            reason=reason,
            missing_items=missing,
            requested_by=acting_user,
            step=d.current_step,
        )
        d.supplement_requests += 1
        return ["supplement_requests"]

    data = {
        "missing": missing,
        "repeated": dossier.supplement_requests >= 1,
        "within_legal_window": clock.supplement_in_time(dossier.clock_started_at, now or timezone.now()),
    }
    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.REQUEST_SUPPLEMENT,
        change=change,
        now=now,
        reason=reason,
        data=data,
    )


def complete_supplement(
    *, dossier: Dossier, acting_user: User, note: str = "", now: datetime | None = None
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        _close_pause(d, ClockPause.Kind.SUPPLEMENT, at)
        paper = acting_user.role == Role.COUNTER_OFFICER and d.channel != "online"
        d.clock_started_at = clock.start_of_clock(at, paper=paper)
        d.appointment_at = clock.appointment_from(d.clock_started_at, d.procedure)
        d.original_appointment_at = d.appointment_at
        if d.current_step is not None and d.current_step.state == StepInstance.State.ACTIVE:
            _activate(d, d.current_step, d.clock_started_at)
        return ["clock_started_at", "appointment_at", "original_appointment_at"]

    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.COMPLETE_SUPPLEMENT,
        change=change,
        now=now,
        reason=note,
    )


def request_financial_obligation(
    *, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None
) -> Dossier:
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        ClockPause.objects.create(
            dossier=d,
            kind=ClockPause.Kind.FINANCIAL,
            started_at=at,
            reason=reason,
            requested_by=acting_user,
            step=d.current_step,
        )
        return []

    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.REQUEST_FINANCIAL_OBLIGATION,
        change=change,
        now=now,
        reason=reason,
    )


def fulfil_financial_obligation(
    *, dossier: Dossier, acting_user: User, note: str = "", now: datetime | None = None
) -> Dossier:
    """The applicant paid: the clock resumes and every deadline moves by the paused working time."""

    def change(d: Dossier, at: datetime) -> list[str]:
        pause = _close_pause(d, ClockPause.Kind.FINANCIAL, at)
        d.appointment_at = clock.extend_by_pause(d.appointment_at, pause.started_at, at)
        d.original_appointment_at = clock.extend_by_pause(d.original_appointment_at, pause.started_at, at)
        step = d.current_step
        if step is not None and step.due_at is not None:
            step.due_at = clock.extend_by_pause(step.due_at, pause.started_at, at)
            step.save(update_fields=["due_at"])
        return ["appointment_at", "original_appointment_at"]

    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.FULFIL_FINANCIAL_OBLIGATION,
        change=change,
        now=now,
        reason=note,
    )


def _close_pause(d: Dossier, kind: str, at: datetime) -> ClockPause:
    pause = d.pauses.filter(kind=kind, ended_at__isnull=True).order_by("-started_at").first()
    if pause is None:
        raise ValidationFailed(_("Không tìm thấy yêu cầu đang chờ của hồ sơ."), code="no_open_pause")
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    return pause


def _close_open_pauses(d: Dossier, at: datetime) -> None:
    d.pauses.filter(ended_at__isnull=True).update(ended_at=at)


# --- lateness --------------------------------------------------------------------------------------


def reschedule(
    *,
    dossier: Dossier,
    acting_user: User,
    new_appointment_at: datetime,
    reason: str,
    now: datetime | None = None,
) -> Dossier:
    """The apology letter (form 04) with a new appointment: once per dossier, with the reason.

    The unit and step that caused the delay are recorded. The new date counts for the on-time test
    only when the letter was issued at least one working day before the due date.
    """
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        if Reschedule.objects.filter(dossier=d).exists():
            raise ValidationFailed(
                _("Ngày hẹn trả kết quả chỉ được điều chỉnh một lần."), code="already_rescheduled"
            )
        if new_appointment_at <= d.appointment_at:
            raise ValidationFailed(
                _("Ngày hẹn mới phải sau ngày hẹn hiện tại."),
                code="bad_new_appointment",
                fields={"new_appointment_at": "must_be_later"},
            )
        step = d.current_step
        Reschedule.objects.create(
            dossier=d,
            previous_appointment_at=d.appointment_at,
            new_appointment_at=new_appointment_at,
            reason=reason,
            issued_at=at,
            issued_by=acting_user,
            responsible_unit=step.unit if step else acting_user.org_unit or d.receiving_unit,
            step=step,
            lawful=clock.apology_is_lawful(at, d.appointment_at),
        )
        d.appointment_at = new_appointment_at
        return ["appointment_at"]

    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.RESCHEDULE,
        change=change,
        now=now,
        reason=reason,
        data={"new_appointment_at": new_appointment_at.isoformat()},
    )


# --- ending ----------------------------------------------------------------------------------------


def issue_result(
    *, dossier: Dossier, acting_user: User, note: str = "", now: datetime | None = None
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        if d.steps.exclude(state=StepInstance.State.DONE).exists():
            raise ValidationFailed(
                _("Còn bước xử lý chưa hoàn thành; chưa thể trả kết quả."), code="steps_pending"
            )
        d.ended_at = at
        # The signed electronic result is rendered after commit: a signing failure must not block the act.
        enqueue(ISSUE_ELECTRONIC_RESULT, {"dossier_id": d.pk, "acting_user_id": acting_user.pk})
        return ["ended_at"]

    return _apply(
        dossier=dossier, acting_user=acting_user, act=Act.ISSUE_RESULT, change=change, now=now, reason=note
    )


def refuse(*, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None) -> Dossier:
    """Refusal after appraisal (status 8): the reason goes to the applicant."""
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        _close_open_pauses(d, at)
        d.ended_at = at
        return ["ended_at"]

    return _apply(
        dossier=dossier, acting_user=acting_user, act=Act.REFUSE, change=change, now=now, reason=reason
    )


def withdraw(*, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None) -> Dossier:
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        _close_open_pauses(d, at)
        d.closed_at = at
        return ["closed_at"]

    return _apply(
        dossier=dossier, acting_user=acting_user, act=Act.WITHDRAW, change=change, now=now, reason=reason
    )


def return_result(
    *, dossier: Dossier, acting_user: User, note: str = "", now: datetime | None = None
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        d.returned_at = d.closed_at = at
        return ["returned_at", "closed_at"]

    return _apply(
        dossier=dossier, acting_user=acting_user, act=Act.RETURN_RESULT, change=change, now=now, reason=note
    )


def record_payment(
    *,
    dossier: Dossier,
    acting_user: User,
    reference: str,
    amount_vnd: int,
    provider: str,
    now: datetime | None = None,
) -> Dossier:
    """A fee paid for the dossier (online gateway or counter): recorded in its history.

    It does not by itself end a financial-obligation pause: an officer confirms that with
    `fulfil_financial_obligation` once the obligation (tax, fee) is settled in full."""
    if amount_vnd <= 0:
        raise ValidationFailed(_("Số tiền thanh toán phải lớn hơn 0."), fields={"amount_vnd": "positive"})
    return _apply(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.RECORD_PAYMENT,
        now=now,
        data={"reference": reference, "amount_vnd": amount_vnd, "provider": provider},
    )


def _require_items(missing: list[str]) -> None:
    if not missing or not all(isinstance(item, str) and item.strip() for item in missing):
        raise ValidationFailed(
            _("Vui lòng liệt kê đầy đủ từng giấy tờ cần bổ sung."),
            code="missing_items_required",
            fields={"missing": "required"},
        )
