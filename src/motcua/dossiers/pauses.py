"""Acts on the dossier's clock: supplement requests (restart from zero), financial obligations (pause),
and the apology letter with a new appointment. Public via `services`.

A supplement request stores each requested item apart (`payloads.SupplementRequested`): a component of the
procedure by id, or an item the officer typed (one per line), so the applicant answers each item in its own
slot. `ClockPause.missing_items` keeps the items' names (form 02, interop)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureComponent
from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import clock
from motcua.dossiers.access import acting_step, active_steps, delaying_step
from motcua.dossiers.intake import _require_reason, require_real_reason
from motcua.dossiers.lifecycle import apply_act, require_items
from motcua.dossiers.models import ClockPause, Dossier, DossierComponent, Reschedule
from motcua.dossiers.payloads import (
    Rescheduled,
    SupplementCompleted,
    SupplementItem,
    SupplementRequested,
    SuppliedRecord,
    expect,
)
from motcua.dossiers.processing import activate_steps
from motcua.dossiers.selectors import judged_appointment
from motcua.dossiers.states import Act, Status


@dataclass(frozen=True)
class SuppliedItem:
    """What the applicant sent for one requested item: the dossier component the files were attached to."""

    item: SupplementItem
    component: DossierComponent
    files: int
    note: str = ""


def supplement_items(dossier: Dossier, missing: Sequence[str]) -> list[SupplementItem]:
    """The requested items, each once: a name that is one of the procedure's components is that component
    (by id); any other line is an item of its own."""
    components: dict[str, int] = {}
    for component in dossier.procedure.components.order_by("position", "pk"):
        components.setdefault(component.name.strip(), component.pk)
    items: list[SupplementItem] = []
    for line in missing:
        name = str(line).strip()
        item = SupplementItem(name, components.get(name))
        if name and item not in items:
            items.append(item)
    return items


def open_supplement_items(dossier: Dossier) -> list[SupplementItem]:
    """The items of the supplement request the dossier waits for (none when it waits for none). Requests
    stored before items were kept apart are read from their names."""
    if dossier.status != Status.SUPPLEMENT_REQUESTED:
        return []
    event = dossier.events.filter(act=Act.REQUEST_SUPPLEMENT).order_by("-at", "-pk").first()
    if event is None:
        return []
    request = expect(event, SupplementRequested)
    return supplement_items(dossier, list(request.missing)) if request.names_only else list(request.items)


def supplement_component(*, dossier: Dossier, item: SupplementItem) -> DossierComponent:
    """The dossier component an item's files are attached to: the dossier's own component for a listed
    one; for an item typed freely, a component of that name, added to the dossier the first time."""
    if item.component_id is not None:
        found = dossier.components.filter(procedure_component_id=item.component_id).order_by("pk").first()
        if found is not None:
            return found
        listed = ProcedureComponent.objects.filter(pk=item.component_id, procedure=dossier.procedure_id)
        component = listed.first()
        if component is not None:
            return DossierComponent.objects.create(
                dossier=dossier,
                procedure_component=component,
                name=component.name,
                form=component.form,
                count=component.count,
                provided=False,
            )
    found = dossier.components.filter(procedure_component__isnull=True, name=item.name).order_by("pk").first()
    if found is not None:
        return found
    return DossierComponent.objects.create(
        dossier=dossier, name=item.name, form=ProcedureComponent.Form.ORIGINAL, provided=False
    )


def request_supplement(
    *, dossier: Dossier, acting_user: User, missing: list[str], reason: str, now: datetime | None = None
) -> Dossier:
    """Form 02 after appraisal: the clock stops and restarts from zero when the dossier is complete.

    Allowed once; a further request needs a reason and makes the dossier count as late (docs/domain.md).
    Each line of `missing` is one item (`supplement_items`).
    """
    _require_reason(reason)
    require_items(missing)
    items = supplement_items(dossier, missing)
    missing = [item.name for item in items]

    def change(d: Dossier, at: datetime) -> list[str]:
        ClockPause.objects.create(
            dossier=d,
            kind=ClockPause.Kind.SUPPLEMENT,
            judged_before=judged_appointment(d),
            started_at=at,
            reason=reason,
            missing_items=missing,
            requested_by=acting_user,
            step=acting_step(d, acting_user) or d.current_step,
        )
        d.supplement_requests += 1
        return ["supplement_requests"]

    payload = SupplementRequested(
        items=tuple(items),
        repeated=dossier.supplement_requests >= 1,
        within_legal_window=clock.supplement_in_time(dossier.clock_started_at, now or timezone.now()),
    )
    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.REQUEST_SUPPLEMENT,
        change=change,
        now=now,
        reason=reason,
        payload=payload,
    )


def complete_supplement(
    *,
    dossier: Dossier,
    acting_user: User,
    note: str = "",
    supplied: Sequence[SuppliedItem] = (),
    now: datetime | None = None,
) -> Dossier:
    """The complete dossier arrived: the clock restarts from zero. `supplied`, when given (the applicant
    answering online), must answer every requested item; its components count as provided."""
    if supplied:
        _require_every_item(dossier, supplied)

    def change(d: Dossier, at: datetime) -> list[str]:
        _close_pause(d, ClockPause.Kind.SUPPLEMENT, at)
        for answer in supplied:
            if not answer.component.provided:
                answer.component.provided = True
                answer.component.save(update_fields=["provided"])
        paper = acting_user.role == Role.COUNTER_OFFICER and d.channel != "online"
        d.clock_started_at = clock.start_of_clock(at, paper=paper)
        d.appointment_at = clock.appointment_from(d.clock_started_at, d.procedure)
        d.original_appointment_at = d.appointment_at
        activate_steps(d, active_steps(d), d.clock_started_at)  # the steps under way restart too
        return ["clock_started_at", "appointment_at", "original_appointment_at"]

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.COMPLETE_SUPPLEMENT,
        change=change,
        now=now,
        reason=note,
        payload=SupplementCompleted(
            tuple(SuppliedRecord(a.item, a.component.pk, a.files, a.note) for a in supplied)
        ),
    )


def _require_every_item(dossier: Dossier, supplied: Sequence[SuppliedItem]) -> None:
    answered = {a.item for a in supplied if a.files > 0 and a.component.dossier_id == dossier.pk}
    unanswered = [item.name for item in open_supplement_items(dossier) if item not in answered]
    if unanswered:
        raise ValidationFailed(
            interpolate(
                _("Vui lòng gửi tệp cho từng giấy tờ được yêu cầu bổ sung; còn thiếu: %(items)s."),
                {"items": "; ".join(unanswered)},
            ),
            code="supplement_incomplete",
        )


def request_financial_obligation(
    *, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None
) -> Dossier:
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        ClockPause.objects.create(
            dossier=d,
            kind=ClockPause.Kind.FINANCIAL,
            judged_before=judged_appointment(d),
            started_at=at,
            reason=reason,
            requested_by=acting_user,
            step=acting_step(d, acting_user) or d.current_step,
        )
        return []

    return apply_act(
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
        # Set at reception, before any financial obligation could be requested.
        assert d.appointment_at is not None and d.original_appointment_at is not None
        d.appointment_at = clock.extend_by_pause(d.appointment_at, pause.started_at, at)
        d.original_appointment_at = clock.extend_by_pause(d.original_appointment_at, pause.started_at, at)
        for step in active_steps(d):
            if step.due_at is not None:
                step.due_at = clock.extend_by_pause(step.due_at, pause.started_at, at)
                step.save(update_fields=["due_at"])
        return ["appointment_at", "original_appointment_at"]

    return apply_act(
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


def close_open_pauses(d: Dossier, at: datetime) -> None:
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

    Once, and only for a dossier at risk of being late: the one guard (`access.may`) refuses otherwise
    before this runs; the new date is a working moment after the current one. The unit and step that
    caused the delay are recorded. The new date counts for the on-time test only when the letter is issued
    no later than the day before the due date (`clock.apology_is_lawful`).
    """
    require_real_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        appointment = d.appointment_at
        assert appointment is not None  # the guard allows an apology only for a dossier with an appointment
        if new_appointment_at <= appointment:
            raise ValidationFailed(
                _("Ngày hẹn mới phải sau ngày hẹn hiện tại."),
                code="bad_new_appointment",
                fields={"new_appointment_at": FieldError("must_be_later")},
            )
        if not clock.is_working_moment(new_appointment_at):
            raise ValidationFailed(
                _("Ngày hẹn mới phải là ngày, giờ làm việc (không phải thứ Bảy, Chủ nhật, ngày nghỉ lễ)."),
                code="bad_new_appointment",
                fields={"new_appointment_at": FieldError("not_working_time")},
            )
        step = delaying_step(d, acting_user)
        Reschedule.objects.create(
            dossier=d,
            previous_appointment_at=appointment,
            new_appointment_at=new_appointment_at,
            reason=reason,
            issued_at=at,
            issued_by=acting_user,
            responsible_unit=step.unit if step else acting_user.org_unit or d.receiving_unit,
            step=step,
            lawful=clock.apology_is_lawful(at, appointment),
        )
        d.appointment_at = new_appointment_at
        return ["appointment_at"]

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.RESCHEDULE,
        change=change,
        now=now,
        reason=reason,
        payload=Rescheduled(new_appointment_at),
    )
