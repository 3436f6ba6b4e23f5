"""The acts on directives: issuing one (its tasks fanned out to the units and its periods computed), a
unit's report sent and sent again, the coordinator's acceptance or return for revision.

Each act is one transaction that checks the actor (`rules.reports_for`), locks and version-checks the row
it changes (two officers at once: one wins, the other gets `ConflictError` and nothing changes), appends a
dated `ReportEvent`, writes an audit record (`core.audit`) and queues its notice in the outbox.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import ConflictError, FieldError, PermissionDenied, ValidationFailed
from motcua.core.models import OrgUnit, User
from motcua.core.workcalendar import current_calendar
from motcua.directives import notices, rules
from motcua.directives.models import (
    Assignment,
    Directive,
    Progress,
    Recurrence,
    Report,
    ReportEvent,
    ReportFile,
    ReportStatus,
    Target,
    Task,
    TaskPeriod,
)
from motcua.documents import services as documents

CONFLICT = _(
    "Báo cáo vừa được người khác cập nhật. Hãy tải lại trang để xem trạng thái mới nhất rồi thực hiện lại."
)
MAX_FILES = 10
MAX_FIGURES = 30
ASSIGNEE_KINDS = {
    Target.ALL_DEPARTMENTS: OrgUnit.Kind.DEPARTMENT,
    Target.ALL_COMMUNES: OrgUnit.Kind.COMMUNE,
}
Figures = Sequence[tuple[str, Decimal | int | str]]


@dataclass(frozen=True)
class TaskSpec:
    """A numbered task of a directive as it is issued: assigned to `units`, or to every active unit of a
    kind (`target`); with a `deadline` (recurrence ONCE) or reported every period between two dates."""

    title: str
    recurrence: str
    target: str = Target.UNITS
    units: Sequence[OrgUnit] = field(default_factory=tuple)
    description: str = ""
    deadline: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    report_days: int = 0


def default_coordinating_unit() -> OrgUnit | None:
    """The unit named by MOTCUA_DIRECTIVES_COORDINATOR (the Department of Home Affairs' unit code)."""
    code = settings.MOTCUA_DIRECTIVES_COORDINATOR
    return OrgUnit.objects.filter(code=code, is_active=True).first() if code else None


def _refuse(message: object, code: str, name: str | None = None) -> ValidationFailed:
    fields = {name: FieldError(code)} if name else None
    return ValidationFailed(str(message), code=code, fields=fields)


def _check_task(spec: TaskSpec, position: int) -> None:
    where = {"position": position}
    if not spec.title.strip():
        raise _refuse(_("Nhiệm vụ %(position)s chưa có nội dung.") % where, "task_title_required")
    if spec.recurrence not in Recurrence.values or spec.target not in Target.values:
        raise _refuse(_("Nhiệm vụ %(position)s: kỳ báo cáo không hợp lệ.") % where, "invalid_recurrence")
    if spec.recurrence == Recurrence.ONCE and spec.deadline is None:
        raise _refuse(_("Nhiệm vụ %(position)s cần hạn hoàn thành.") % where, "deadline_required")
    if spec.recurrence != Recurrence.ONCE and (
        spec.starts_on is None or spec.ends_on is None or spec.starts_on > spec.ends_on
    ):
        raise _refuse(
            _("Nhiệm vụ %(position)s cần khoảng thời gian báo cáo (từ ngày trước đến ngày).") % where,
            "reporting_span_required",
        )
    if spec.target == Target.UNITS and not spec.units:
        raise _refuse(_("Nhiệm vụ %(position)s chưa giao cho đơn vị nào.") % where, "no_assignee")


def _assignees(spec: TaskSpec) -> list[OrgUnit]:
    """The units a task goes to: the ones named, or every unit of the kind active now (a unit created
    later is not assigned)."""
    if spec.target == Target.UNITS:
        return list({unit.pk: unit for unit in spec.units}.values())
    return list(OrgUnit.objects.filter(kind=ASSIGNEE_KINDS[Target(spec.target)], is_active=True))


def issue_directive(
    *,
    acting_user: User,
    number: str,
    signed_on: date,
    issuer: str,
    title: str,
    tasks: Sequence[TaskSpec],
    document: "UploadedFile[bytes] | None" = None,
    coordinating_unit: OrgUnit | None = None,
    now: datetime | None = None,
) -> Directive:
    """Record a signed directive with its numbered tasks, each fanned out to its units with its periods.

    Only the coordinating unit's leaders and specialists enter it (the Department of Home Affairs keeps
    the province's reform directives)."""
    now = now or timezone.now()
    coordinator = coordinating_unit or default_coordinating_unit()
    if coordinator is None:
        raise _refuse(
            _("Chưa chọn đơn vị đầu mối theo dõi (MOTCUA_DIRECTIVES_COORDINATOR)."), "no_coordinator"
        )
    if not rules.reports_for(acting_user, coordinator):
        audit.denied(acting_user, "issue_directive")
        raise PermissionDenied(_("Chỉ lãnh đạo, chuyên viên của đơn vị đầu mối được nhập chỉ thị."))
    number, title, issuer = number.strip(), title.strip(), issuer.strip()
    if not number or not title or not issuer:
        raise _refuse(_("Cần số, ký hiệu, trích yếu và cơ quan ban hành."), "required")
    if not tasks:
        raise _refuse(_("Chỉ thị cần ít nhất một nhiệm vụ."), "no_task")
    for position, spec in enumerate(tasks, start=1):
        _check_task(spec, position)
    calendar = current_calendar()
    with transaction.atomic():
        if Directive.objects.filter(number=number).exists():
            raise _refuse(_("Đã có chỉ thị số %(number)s.") % {"number": number}, "duplicate", "number")
        stored = documents.store_upload(uploaded=document, acting_user=acting_user) if document else None
        directive = Directive.objects.create(
            number=number,
            signed_on=signed_on,
            issuer=issuer,
            title=title,
            signed_document=stored,
            signed_document_name=stored.upload_name if stored else "",
            coordinating_unit=coordinator,
            issued_at=now,
            issued_by=acting_user,
        )
        assigned = 0
        for position, spec in enumerate(tasks, start=1):
            task = Task.objects.create(
                directive=directive,
                position=position,
                title=spec.title.strip(),
                description=spec.description.strip(),
                target=spec.target,
                recurrence=spec.recurrence,
                deadline=spec.deadline,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                report_days=spec.report_days,
            )
            computed = rules.periods(
                recurrence=spec.recurrence,
                calendar=calendar,
                deadline=spec.deadline,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                report_days=spec.report_days,
            )
            TaskPeriod.objects.bulk_create(
                TaskPeriod(
                    task=task,
                    index=index,
                    year=p.year,
                    number=p.number,
                    starts_on=p.starts_on,
                    ends_on=p.ends_on,
                    due_on=p.due_on,
                )
                for index, p in enumerate(computed, start=1)
            )
            units = _assignees(spec)
            Assignment.objects.bulk_create(Assignment(task=task, unit=unit) for unit in units)
            assigned += len(units)
        audit.record(
            "directive_issued",
            user=acting_user,
            directive_id=directive.pk,
            tasks=len(tasks),
            assignments=assigned,
        )
    return directive


def clean_figures(figures: Figures) -> list[list[str]]:
    """[(label, number)] → [[label, "number"]]: a label of at most 200 characters, a finite number."""
    if len(figures) > MAX_FIGURES:
        raise _refuse(_("Tối đa %(n)s số liệu.") % {"n": MAX_FIGURES}, "too_many_figures", "figures")
    cleaned = []
    for label, value in figures:
        label = str(label).strip()
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = Decimal("NaN")
        if not label or len(label) > 200 or not number.is_finite():
            raise _refuse(
                _("Số liệu “%(label)s” cần tên (tối đa 200 ký tự) và một con số.") % {"label": label[:50]},
                "invalid_figure",
                "figures",
            )
        cleaned.append([label, format(number.normalize(), "f")])
    return cleaned


def _snapshot(report: Report) -> dict[str, object]:
    return {"progress": report.progress, "content": report.content, "figures": report.figures}


def submit_report(
    *,
    acting_user: User,
    assignment: Assignment,
    period: TaskPeriod,
    progress: str,
    content: str,
    figures: Figures = (),
    files: Sequence["UploadedFile[bytes]"] = (),
    version: int | None = None,
    now: datetime | None = None,
) -> Report:
    """A unit's report for a period: sent the first time (`version` None), or sent again after the
    coordinator returned it (`version` the one the officer saw)."""
    now = now or timezone.now()
    if not rules.reports_for(acting_user, assignment.unit_id):
        audit.denied(acting_user, "submit_directive_report", assignment_id=assignment.pk)
        raise PermissionDenied(_("Chỉ lãnh đạo, chuyên viên của đơn vị được giao mới gửi được báo cáo."))
    if period.task_id != assignment.task_id:
        raise _refuse(_("Kỳ báo cáo không thuộc nhiệm vụ này."), "wrong_period")
    if timezone.localdate(now) < period.starts_on:
        raise _refuse(_("Kỳ báo cáo chưa bắt đầu."), "period_not_started")
    if progress not in Progress.values:
        raise _refuse(_("Hãy chọn tiến độ thực hiện."), "progress_required", "progress")
    content = content.strip()
    if not content:
        raise _refuse(_("Hãy nhập nội dung báo cáo."), "content_required", "content")
    cleaned = clean_figures(figures)
    if len(files) > MAX_FILES:
        raise _refuse(_("Tối đa %(n)s tệp đính kèm.") % {"n": MAX_FILES}, "too_many_files", "files")
    try:
        with transaction.atomic():
            Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
            report = Report.objects.select_for_update().filter(assignment=assignment, period=period).first()
            if report is None:
                if version is not None:
                    raise ConflictError(CONFLICT)
                report = Report(assignment=assignment, period=period, first_submitted_at=now, version=0)
                act = ReportEvent.Act.SUBMIT
            else:
                if report.status != ReportStatus.RETURNED:
                    raise _refuse(_("Báo cáo đã gửi; chỉ gửi lại khi được trả lại."), "already_submitted")
                if version != report.version:
                    raise ConflictError(CONFLICT)
                act = ReportEvent.Act.RESUBMIT
            report.status = ReportStatus.SUBMITTED
            report.progress, report.content, report.figures = progress, content, cleaned
            report.submitted_at, report.submitted_by = now, acting_user
            report.version += 1
            report.save()
            for uploaded in files:
                stored = documents.store_upload(uploaded=uploaded, acting_user=acting_user)
                ReportFile.objects.create(
                    report=report,
                    stored_file=stored,
                    name=stored.upload_name,
                    added_at=now,
                    added_by=acting_user,
                )
            ReportEvent.objects.create(
                report=report, act=act, at=now, actor=acting_user, snapshot=_snapshot(report)
            )
            audit.record(f"directive_report_{act}", user=acting_user, report_id=report.pk)
    except IntegrityError as error:  # the unit's other officer sent the first report meanwhile
        raise ConflictError(CONFLICT) from error
    return report


def _review(
    *, acting_user: User, report: Report, version: int, act: str, reason: str, now: datetime | None
) -> Report:
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update()
            .select_related("assignment__task__directive", "assignment__unit", "period")
            .get(pk=report.pk)
        )
        directive = locked.assignment.task.directive
        if not rules.reports_for(acting_user, directive.coordinating_unit_id):
            audit.denied(acting_user, f"{act}_directive_report", report_id=report.pk)
            raise PermissionDenied(_("Chỉ đơn vị đầu mối theo dõi chỉ thị mới xem xét được báo cáo."))
        if locked.version != version:
            raise ConflictError(CONFLICT)
        if locked.status != ReportStatus.SUBMITTED:
            raise _refuse(_("Báo cáo không ở trạng thái chờ xem xét."), "not_submitted")
        status = ReportStatus.ACCEPTED if act == ReportEvent.Act.ACCEPT else ReportStatus.RETURNED
        changed = Report.objects.filter(pk=locked.pk, version=version).update(
            status=status,
            reviewed_at=now,
            reviewed_by=acting_user,
            return_reason=reason,
            version=F("version") + 1,
        )
        if changed != 1:
            raise ConflictError(CONFLICT)
        locked.refresh_from_db()
        ReportEvent.objects.create(report=locked, act=act, at=now, actor=acting_user, reason=reason)
        audit.record(f"directive_report_{act}", user=acting_user, report_id=locked.pk)
        if act == ReportEvent.Act.RETURN:
            notices.report_returned(locked)
    return locked


def accept_report(*, acting_user: User, report: Report, version: int, now: datetime | None = None) -> Report:
    """The coordinator accepts a report sent for a period."""
    return _review(acting_user=acting_user, report=report, version=version, act="accept", reason="", now=now)


def return_report(
    *, acting_user: User, report: Report, version: int, reason: str, now: datetime | None = None
) -> Report:
    """The coordinator returns a report for revision, with the reason the unit is told."""
    reason = reason.strip()
    if not reason:
        raise _refuse(_("Hãy nêu lý do trả lại."), "reason_required", "reason")
    return _review(
        acting_user=acting_user, report=report, version=version, act="return", reason=reason, now=now
    )
