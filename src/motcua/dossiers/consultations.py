"""Consulting other agencies (xin ý kiến, docs/domain.md "Processing"): the officer holding a step asks one
or more agencies for their opinion, with the content and a deadline in working days; each consulted unit
sees the dossier (`scope.belongs_to`) and answers. Both are acts of the dossier (CONSULT,
ANSWER_CONSULTATION) through the one guard, so they are in its history and on its control slip; neither
changes its status. An answer after the deadline is recorded as late; the late alert is sent by
`consultation_alerts` (`overdue`). When the dossier ends, the questions still open are withdrawn."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import calendar
from motcua.core.errors import FieldError, NotFound, ValidationFailed
from motcua.core.models import OrgUnit, User
from motcua.core.workcalendar import current_calendar
from motcua.dossiers import scope
from motcua.dossiers.access import acting_step, works_in
from motcua.dossiers.lifecycle import apply_act
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.payloads import ConsultationAnswered, ConsultationAsked
from motcua.dossiers.states import ADMIN_ROLE, Act

MAX_WORKING_DAYS = 30
MAX_CONTENT = 5000


def consult(
    *,
    dossier: Dossier,
    acting_user: User,
    consulted_units: Sequence[OrgUnit],
    content: str,
    working_days: int,
    now: datetime | None = None,
) -> Dossier:
    """Ask each of `consulted_units` for its opinion, due `working_days` working days after the question
    (counted like an appointment, from the next working moment): one act, one consultation per unit."""
    dossier, _asked = ask(
        dossier=dossier,
        acting_user=acting_user,
        consulted_units=consulted_units,
        content=content,
        working_days=working_days,
        now=now,
    )
    return dossier


def ask(
    *,
    dossier: Dossier,
    acting_user: User,
    consulted_units: Sequence[OrgUnit],
    content: str,
    working_days: int,
    now: datetime | None = None,
) -> tuple[Dossier, list[Consultation]]:
    """`consult`, returning the consultations it opened too (the caller attaches its files to them)."""
    content = (content or "").strip()
    errors: dict[str, FieldError] = {}
    if not content:
        errors["content"] = FieldError("required", _("Vui lòng nhập nội dung xin ý kiến."))
    elif len(content) > MAX_CONTENT:
        errors["content"] = FieldError("too_long", _("Nội dung xin ý kiến quá dài (tối đa 5.000 ký tự)."))
    if (
        isinstance(working_days, bool)
        or not isinstance(working_days, int)
        or not 0 < working_days <= MAX_WORKING_DAYS
    ):
        errors["working_days"] = FieldError(
            "out_of_range", _("Thời hạn trả lời là từ 1 đến 30 ngày làm việc.")
        )
    units = list(dict.fromkeys(consulted_units))
    if not units:
        errors["consulted_units"] = FieldError("required", _("Vui lòng chọn cơ quan được xin ý kiến."))
    elif any(not unit.is_active for unit in units):
        errors["consulted_units"] = FieldError("inactive", _("Cơ quan được xin ý kiến không còn hoạt động."))
    if errors:
        raise ValidationFailed(_("Chưa thể gửi xin ý kiến: vui lòng kiểm tra các trường."), fields=errors)
    asked: list[Consultation] = []
    with transaction.atomic():  # every unit asked, or none
        for unit in units:
            dossier = _ask(dossier, acting_user, unit, content, working_days, now, asked)
    return dossier, asked


def _ask(
    dossier: Dossier,
    user: User,
    unit: OrgUnit,
    content: str,
    working_days: int,
    now: datetime | None,
    asked: list[Consultation],
) -> Dossier:

    def change(d: Dossier, at: datetime) -> list[str]:
        step = acting_step(d, user)
        asking_unit = step.unit if step is not None else d.receiving_unit
        if unit.pk == asking_unit.pk:
            raise ValidationFailed(
                _("Không thể xin ý kiến chính đơn vị đang xử lý hồ sơ."),
                code="consulting_itself",
                fields={"consulted_units": FieldError("own_unit")},
            )
        due = calendar.add_working_time(
            at, working_days, calendar.TimeUnit.WORKING_DAYS, calendar=current_calendar()
        )
        asked.append(
            Consultation.objects.create(
                dossier=d,
                step=step,
                asking_unit=asking_unit,
                consulted_unit=unit,
                content=content,
                asked_by=user,
                asked_at=at,
                working_days=working_days,
                due_at=due,
            )
        )
        scope.belongs_to(d, [unit.pk])  # the consulted unit sees the dossier it is asked about
        return []

    return apply_act(
        dossier=dossier,
        acting_user=user,
        act=Act.CONSULT,
        change=change,
        now=now,
        reason=content,
        payload=lambda: ConsultationAsked(asked[-1].pk, asked[-1].consulted_unit.name, asked[-1].due_at),
    )


def answer_consultation(
    *, dossier: Dossier, acting_user: User, consultation_id: int, answer: str, now: datetime | None = None
) -> Dossier:
    """The consulted unit's answer (its own officer's, or a center administrator's for it)."""
    text = (answer or "").strip()
    if not text:
        raise ValidationFailed(_("Vui lòng nhập ý kiến trả lời."), fields={"answer": FieldError("required")})
    if len(text) > MAX_CONTENT:
        raise ValidationFailed(
            _("Ý kiến trả lời quá dài (tối đa 5.000 ký tự)."), fields={"answer": FieldError("too_long")}
        )
    late: list[bool] = []

    def change(d: Dossier, at: datetime) -> list[str]:
        consultation = (
            Consultation.objects.select_for_update()
            .select_related("consulted_unit")
            .filter(pk=consultation_id, dossier=d)
            .first()
        )
        if consultation is None:
            raise NotFound(_("Không tìm thấy yêu cầu xin ý kiến của hồ sơ."))
        if acting_user.role != ADMIN_ROLE and not works_in(acting_user, consultation.consulted_unit):
            raise ValidationFailed(
                _("Chỉ cơ quan được xin ý kiến mới trả lời được yêu cầu này."), code="not_consulted_unit"
            )
        if not consultation.is_open:
            raise ValidationFailed(_("Yêu cầu xin ý kiến này đã được trả lời."), code="already_answered")
        consultation.answer, consultation.answered_by, consultation.answered_at = text, acting_user, at
        consultation.save(update_fields=["answer", "answered_by", "answered_at"])
        late.append(at > consultation.due_at)
        return []

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.ANSWER_CONSULTATION,
        change=change,
        now=now,
        reason=text,
        payload=lambda: ConsultationAnswered(consultation_id, late[0]),
    )


def withdraw_open(dossier: Dossier, at: datetime) -> None:
    """The dossier ended: nobody waits for the answers still open."""
    Consultation.objects.filter(dossier=dossier, answered_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=at
    )


def overdue(now: datetime | None = None) -> QuerySet[Consultation]:
    """Open consultations past their deadline whose late alert has not been sent yet."""
    return Consultation.objects.filter(
        answered_at__isnull=True,
        withdrawn_at__isnull=True,
        late_alerted_at__isnull=True,
        due_at__lt=now or timezone.now(),
    )


def claim_overdue(now: datetime | None = None) -> list[Consultation]:
    """The consultations `overdue` now, locked and marked alerted (`late_alerted_at`) in the caller's
    transaction, which sends their alerts: each alert is sent once, and two runs at once never both send
    it (the second skips the rows the first holds)."""
    now = now or timezone.now()
    rows = list(
        overdue(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("dossier__receiving_unit", "asking_unit", "consulted_unit", "asked_by", "step")
        .order_by("due_at", "pk")
    )
    Consultation.objects.filter(pk__in=[c.pk for c in rows]).update(late_alerted_at=now)
    for consultation in rows:
        consultation.late_alerted_at = now
    return rows
