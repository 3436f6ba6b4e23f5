"""Reception of dossiers: online submission, counter and postal reception, refusal at the counter.

Public through `dossiers.services`. Files and the once-only reuse of what the system already holds belong to
`documents`, above this app: `motcua.intake.services` brings them together with these acts.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent, ProcessStep
from motcua.core import formatting
from motcua.core.errors import FieldError, ValidationFailed, invalid_fields
from motcua.core.i18n import interpolate
from motcua.core.models import OrgUnit, User, citizen_id_validator, tax_code_validator
from motcua.core.roles import Role
from motcua.dossiers import clock, events, scope
from motcua.dossiers.access import check_can
from motcua.dossiers.codes import next_dossier_code
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    CounterGuidance,
    Dossier,
    DossierComponent,
    StepInstance,
)
from motcua.dossiers.states import Act, Status, next_status
from motcua.outbox import services as outbox


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""
    user: User | None = None


@dataclass(frozen=True)
class ProvidedComponent:
    component_id: int
    note: str = ""


@dataclass(frozen=True)
class Intake:
    procedure: Procedure
    applicant: Applicant
    receiving_unit: OrgUnit
    components: list[ProvidedComponent] = field(default_factory=list)
    summary: str = ""


def submit_online(*, intake: Intake, acting_user: User, now: datetime | None = None) -> Dossier:
    """An online dossier (status 1) waiting for the one-stop section to check it."""
    return _create(
        intake=intake, act=Act.SUBMIT_ONLINE, channel=Channel.ONLINE, acting_user=acting_user, now=now
    )


def receive(
    *,
    intake: Intake,
    channel: str,
    acting_user: User,
    reusable: Collection[int] = frozenset(),
    now: datetime | None = None,
) -> Dossier:
    """A paper dossier received complete at the counter or by post: accepted, coded, given its appointment.

    `reusable`: the procedure components the system already holds for the applicant (once-only), which count
    as given; whoever passes them attaches them once the dossier exists, in the same transaction."""
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationFailed(
            _("Kênh tiếp nhận tại quầy chỉ là trực tiếp hoặc bưu chính."), code="bad_channel"
        )
    return _create(
        intake=intake,
        act=Act.RECEIVE,
        channel=Channel(channel),
        acting_user=acting_user,
        now=now,
        reusable=reusable,
    )


def refuse_at_counter(
    *, intake: Intake, channel: str, acting_user: User, reason: str, now: datetime | None = None
) -> Dossier:
    """A paper dossier the counter refuses (form 03): still recorded, as every dossier is."""
    _require_reason(reason)
    return _create(
        intake=intake,
        act=Act.REFUSE_AT_COUNTER,
        channel=Channel(channel),
        acting_user=acting_user,
        now=now,
        reason=reason,
    )


def _create(
    *,
    intake: Intake,
    act: Act,
    channel: Channel,
    acting_user: User,
    now: datetime | None,
    reason: str = "",
    reusable: Collection[int] = frozenset(),
) -> Dossier:
    now = now or timezone.now()
    check_can(act, acting_user, intake_unit=intake.receiving_unit)
    components = list(intake.procedure.components.all())  # read once for the checks and the copy
    _validate(intake, act, components, reusable, on=timezone.localdate(now))
    status = next_status(act, Status.DRAFT)
    applicant = intake.applicant
    user = applicant.user or (acting_user if acting_user.role == "citizen" else None)
    with transaction.atomic(), outbox.collected():  # the side effects in one INSERT
        dossier = Dossier(
            code=next_dossier_code(intake.receiving_unit, now),
            procedure=intake.procedure,
            channel=channel,
            receiving_unit=intake.receiving_unit,
            status=status,
            applicant_kind=applicant.kind,
            applicant_name=applicant.name.strip(),
            applicant_id_number=applicant.id_number.strip(),
            applicant_phone=applicant.phone.strip(),
            applicant_email=applicant.email.strip(),
            applicant_address=applicant.address.strip(),
            applicant_user=user,
            summary=intake.summary.strip(),
            submitted_at=now,
        )
        if status == Status.ACCEPTED:
            start_clock(dossier, now)
        elif status == Status.NOT_ACCEPTED:
            dossier.closed_at = now
        dossier.save()
        _attach_components(dossier, intake, components)
        steps = instantiate_steps(dossier) if status != Status.NOT_ACCEPTED else []
        if status == Status.ACCEPTED:
            start_transfer(dossier, now)
        scope.belongs_to(dossier, {step.unit_id for step in steps})
        events.record(dossier=dossier, act=act, from_status=None, actor=acting_user, at=now, reason=reason)
    return dossier


def start_clock(dossier: Dossier, received_at: datetime) -> None:
    """Reception: the clock starts (start-of-clock rules) and the appointment is set."""
    dossier.received_at = received_at
    dossier.clock_started_at = clock.start_of_clock(received_at, paper=Channel(dossier.channel).is_paper)
    dossier.appointment_at = clock.appointment_from(dossier.clock_started_at, dossier.procedure)
    dossier.original_appointment_at = dossier.appointment_at


def start_transfer(dossier: Dossier, received_at: datetime) -> None:
    """Reception starts the transfer step (if the dossier has one), due by the transfer deadline."""
    dossier.steps.filter(kind=StepInstance.Kind.TRANSFER, state=StepInstance.State.PENDING).update(
        state=StepInstance.State.ACTIVE, started_at=received_at, due_at=clock.transfer_due(received_at)
    )


TRANSFER_STEP_NAME = "Chuyển hồ sơ đến cơ quan giải quyết"


def instantiate_steps(dossier: Dossier) -> list[StepInstance]:
    """The dossier's steps from its procedure's process template: consecutive steps of one parallel group
    share a stage (the position of the group's first step), every other step is a stage of its own; a
    transfer step (stage 0) comes first when the first stage is not at the receiving unit."""
    templates = list(dossier.procedure.steps.select_related("unit").order_by("position"))
    if not templates:
        unit = dossier.procedure.responsible_unit or dossier.receiving_unit
        amount, _unit = clock.time_limit(dossier.procedure)
        templates = [
            ProcessStep(
                position=1,
                name="Xử lý và phê duyệt",
                unit=unit,
                unit_kind=ProcessStep.UnitKind.FIXED,
                role="unit_leader",
                is_approval=True,
                duration=amount,
            )
        ]
    steps: list[StepInstance] = []
    group: int | None = None  # the parallel group of the previous template
    for template in templates:
        joins = bool(steps) and template.parallel_group is not None and template.parallel_group == group
        steps.append(
            StepInstance(
                dossier=dossier,
                position=template.position,
                stage=steps[-1].stage if joins else template.position,
                name=template.name,
                unit=_step_unit(template, dossier),
                role=template.role,
                is_approval=template.is_approval,
                duration=template.duration,
            )
        )
        group = template.parallel_group
    first_stage = [step for step in steps if step.stage == steps[0].stage]
    if any(step.unit.pk != dossier.receiving_unit_id for step in first_stage):
        steps.insert(0, _transfer_step(dossier))
    return StepInstance.objects.bulk_create(steps)


def _transfer_step(dossier: Dossier) -> StepInstance:
    return StepInstance(
        dossier=dossier,
        position=0,
        stage=0,
        kind=StepInstance.Kind.TRANSFER,
        name=TRANSFER_STEP_NAME,
        unit=dossier.receiving_unit,
        role=Role.COUNTER_OFFICER,
        duration=0,
    )


def _step_unit(template: ProcessStep, dossier: Dossier) -> OrgUnit:
    if template.unit_kind == ProcessStep.UnitKind.FIXED and template.unit is not None:
        return template.unit
    commune = dossier.receiving_unit
    if template.unit_kind == ProcessStep.UnitKind.COMMUNE_POLICE:
        police = commune.children.filter(kind=OrgUnit.Kind.COMMUNE_POLICE).first()
        if police is not None:
            return police
    return commune


def _attach_components(dossier: Dossier, intake: Intake, components: list[ProcedureComponent]) -> None:
    by_id = {c.pk: c for c in components}
    provided = {p.component_id: p for p in intake.components}
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            procedure_component=component,
            name=component.name,
            form=component.form,
            count=component.count,
            provided=component.pk in provided,
            note=provided[component.pk].note if component.pk in provided else "",
        )
        for component in by_id.values()
    )


def _validate(
    intake: Intake, act: Act, components: list[ProcedureComponent], reusable: Collection[int], *, on: date
) -> None:
    errors: dict[str, str] = {}
    procedure, applicant, unit = intake.procedure, intake.applicant, intake.receiving_unit
    if not procedure.is_published:
        errors["procedure"] = str(_("Thủ tục này không còn được công khai để tiếp nhận."))
    elif not procedure.is_in_force(on):  # a dossier is received under the version in force that day
        errors["procedure"] = str(
            interpolate(
                _("Phiên bản %(version)s của thủ tục %(code)s không có hiệu lực ngày %(day)s."),
                {"version": procedure.version, "code": procedure.code, "day": formatting.format_date(on)},
            )
        )
    if act != Act.REFUSE_AT_COUNTER and not procedure.has_time_limit:
        errors["procedure"] = str(_("Thủ tục chưa có thời hạn giải quyết; chưa thể tiếp nhận."))
    allowed = RECEIVING_KINDS[procedure.level]
    if unit.kind not in allowed:
        errors["receiving_unit"] = str(
            interpolate(
                _("%(unit)s không tiếp nhận thủ tục cấp %(level)s."),
                {"unit": unit.name, "level": procedure.get_level_display()},
            )
        )
    if applicant.kind not in ApplicantKind.values:
        errors["applicant_kind"] = str(_("Loại chủ hồ sơ không hợp lệ."))
    if not applicant.name.strip():
        errors["applicant_name"] = str(_("Vui lòng nhập họ tên chủ hồ sơ."))
    validator = citizen_id_validator if applicant.kind == ApplicantKind.CITIZEN else tax_code_validator
    try:
        validator(applicant.id_number.strip())
    except ValidationError as exc:
        errors["applicant_id_number"] = str(exc.messages[0])
    if applicant.email:
        try:
            validate_email(applicant.email.strip())
        except ValidationError:
            errors["applicant_email"] = str(_("Địa chỉ thư điện tử không hợp lệ."))
    if applicant.phone and not applicant.phone.strip().lstrip("+").isdigit():
        errors["applicant_phone"] = str(_("Số điện thoại chỉ gồm chữ số."))
    known = {c.pk for c in components}
    unknown = [p.component_id for p in intake.components if p.component_id not in known]
    if unknown:
        errors["components"] = str(
            interpolate(_("Thành phần hồ sơ không thuộc thủ tục này: %(ids)s"), {"ids": unknown})
        )
    elif act == Act.RECEIVE:
        given = {p.component_id for p in intake.components} | set(reusable)
        missing = [c.name for c in components if c.is_mandatory and c.pk not in given]
        if missing:
            errors["components"] = str(
                interpolate(
                    _("Hồ sơ còn thiếu thành phần bắt buộc; hãy lập phiếu hướng dẫn bổ sung: %(items)s"),
                    {"items": "; ".join(missing)},
                )
            )
        elif components and not given:
            # Every component optional ("nếu có") still does not make an empty dossier receivable.
            errors["components"] = str(
                _(
                    "Chưa có thành phần hồ sơ nào được đánh dấu đã nộp; không thể tiếp nhận một hồ sơ trống. "
                    "Hãy đánh dấu giấy tờ đã nộp, hoặc lập phiếu hướng dẫn bổ sung."
                )
            )
    if errors:
        raise ValidationFailed(_("Thông tin hồ sơ chưa hợp lệ."), fields=invalid_fields(errors))


# The one-stop sections that receive each level's procedures (Decree 61/2018 Art. 14; two-tier local
# government since 1 July 2025): communes receive commune-level procedures, the provincial center and the
# departments province-level ones.
RECEIVING_KINDS: dict[str, set[OrgUnit.Kind]] = {
    Procedure.Level.COMMUNE: {OrgUnit.Kind.COMMUNE},
    Procedure.Level.PROVINCE: {OrgUnit.Kind.CENTER, OrgUnit.Kind.DEPARTMENT},
}


def level_received_at(unit: OrgUnit | None) -> str | None:
    """The procedure level a unit's one-stop section receives, or None when it receives none."""
    kind = unit.kind if unit else None
    return next((level for level, kinds in RECEIVING_KINDS.items() if kind in kinds), None)


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise ValidationFailed(
            _("Vui lòng ghi rõ lý do."), code="reason_required", fields={"reason": FieldError("required")}
        )


# A reason the applicant reads (apology letter) is real text: at least this many letters.
REASON_MIN_LETTERS = 10


def require_real_reason(reason: str) -> None:
    _require_reason(reason)
    if sum(ch.isalpha() for ch in reason) < REASON_MIN_LETTERS:
        raise ValidationFailed(
            interpolate(
                _("Lý do phải được ghi rõ (ít nhất %(n)d chữ cái), vì người nộp hồ sơ sẽ đọc lý do này."),
                {"n": REASON_MIN_LETTERS},
            ),
            code="reason_too_short",
            fields={"reason": FieldError("too_short")},
        )


def guide_at_counter(
    *,
    intake: Intake,
    channel: str,
    acting_user: User,
    missing: list[dict[str, str]],
    reason: str = "",
    now: datetime | None = None,
) -> CounterGuidance:
    """The counter cannot receive an incomplete paper dossier: it guides the applicant, once and fully,
    listing every missing item (Art. 15; form 02). No dossier is created, but the visit is recorded."""
    now = now or timezone.now()
    check_can(Act.RECEIVE, acting_user, intake_unit=intake.receiving_unit)
    if not missing or not all(str(item.get("name", "")).strip() for item in missing):
        raise ValidationFailed(
            _("Vui lòng liệt kê đầy đủ từng giấy tờ cần bổ sung."),
            code="missing_items_required",
            fields={"missing": FieldError("required")},
        )
    applicant = intake.applicant
    if not applicant.name.strip():
        raise ValidationFailed(
            _("Vui lòng nhập họ tên chủ hồ sơ."), fields={"applicant_name": FieldError("required")}
        )
    return CounterGuidance.objects.create(
        procedure=intake.procedure,
        receiving_unit=intake.receiving_unit,
        channel=Channel(channel),
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(),
        applicant_phone=applicant.phone.strip(),
        missing_items=missing,
        reason=reason.strip(),
        officer=acting_user,
        at=now,
    )
