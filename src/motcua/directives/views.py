"""Pages of the directives: the officer's list (the unit's reports to send, the directives it coordinates),
a report (sent and sent again by the unit, accepted or returned by the coordinator), the consolidated
dashboard of a directive's period and its DOCX/XLSX exports, and the files. Thin: parse, call a service or
a selector, render."""

from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.decorators import OFFICER_FORBIDDEN, View, role_required
from motcua.core.errors import ConflictError, DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import OrgUnit, User
from motcua.directives import exports, rules, selectors, services
from motcua.directives.forms import (
    DirectiveForm,
    ReportForm,
    ReviewForm,
    TaskForm,
    TaskFormSet,
    figures_text,
    parse_figures,
)
from motcua.directives.models import Directive, ReportFile, ReportStatus
from motcua.documents import services as documents


def reporter_required(view: View) -> View:
    """Leaders and specialists of a unit: they report for it, or coordinate for it."""
    return role_required(rules.REPORTING_ROLES, forbidden_template=OFFICER_FORBIDDEN)(view)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@reporter_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    slots = [s for s in selectors.unit_slots(user) if s.period.starts_on <= today]
    coordinated = Directive.objects.filter(coordinating_unit_id=user.org_unit_id)
    unit = _coordinating_unit(user)
    context = {
        "slots": slots,
        "coordinated": coordinated,
        "today": today,
        "may_issue": unit is not None and rules.reports_for(user, unit),
    }
    return render(request, "directives/home.html", context)


def _coordinated(request: HttpRequest, pk: int) -> Directive:
    directive = get_object_or_404(Directive.objects.select_related("coordinating_unit"), pk=pk)
    if not selectors.is_coordinator(_user(request), directive):
        raise Http404
    return directive


def _consolidation(request: HttpRequest, directive: Directive) -> selectors.Consolidation | None:
    chosen = selectors.PeriodKey.parse(request.GET.get("period", ""))
    key = chosen or selectors.current_key(directive, timezone.localdate())
    if key is None or key not in selectors.period_keys(directive):
        return None
    return selectors.consolidate(directive=directive, key=key)


@reporter_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _coordinated(request, pk)
    consolidation = _consolidation(request, directive)
    if consolidation is None and request.GET.get("period"):
        raise Http404
    context = {
        "directive": directive,
        "keys": selectors.period_keys(directive),
        "c": consolidation,
        "summary": exports.summary(consolidation.totals) if consolidation else [],
        "tasks": directive.tasks.all(),
    }
    return render(request, "directives/dashboard.html", context)


@reporter_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    directive = _coordinated(request, pk)
    consolidation = _consolidation(request, directive)
    if consolidation is None or fmt not in {"xlsx", "docx"}:
        raise Http404
    body, content_type = (
        (exports.xlsx(consolidation), exports.XLSX)
        if fmt == "xlsx"
        else (exports.docx(consolidation), exports.DOCX)
    )
    response = HttpResponse(body, content_type=content_type)
    name = f"tong-hop-{directive.pk}-{consolidation.key.slug}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _slot(request: HttpRequest, assignment_id: int, period_id: int) -> selectors.Slot:
    found = selectors.slot(assignment_id, period_id)
    if found is None or not selectors.may_see_slot(_user(request), found):
        raise Http404
    return found


def _report_page(
    request: HttpRequest,
    found: selectors.Slot,
    *,
    form: ReportForm | None = None,
    review: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    report = found.report
    may_send = rules.reports_for(user, found.assignment.unit_id) and (
        report is None or report.status == ReportStatus.RETURNED
    )
    if form is None and may_send:
        initial: dict[str, Any] = {}
        if report is not None:
            initial = {
                "version": report.version,
                "progress": report.progress,
                "content": report.content,
                "figures": figures_text(report.figures),
            }
        form = ReportForm(initial=initial)
    directive = found.assignment.task.directive
    may_review = (
        report is not None
        and report.status == ReportStatus.SUBMITTED
        and selectors.is_coordinator(user, directive)
    )
    context = {
        "s": found,
        "task": found.assignment.task,
        "directive": directive,
        "report": report,
        "events": report.events.select_related("actor") if report else [],
        "files": report.files.all() if report else [],
        "form": form if may_send else None,
        "review": review
        or (ReviewForm(initial={"version": report.version}) if may_review and report else None),
        "coordinator": selectors.is_coordinator(user, directive),
    }
    return render(request, "directives/report.html", context, status=status)


@reporter_required
def report(request: HttpRequest, assignment_id: int, period_id: int) -> HttpResponse:
    found = _slot(request, assignment_id, period_id)
    if request.method != "POST":
        return _report_page(request, found)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_report(
                acting_user=_user(request),
                assignment=found.assignment,
                period=found.period,
                progress=data["progress"],
                content=data["content"],
                figures=parse_figures(data["figures"]),
                files=data["attachments"],
                version=data["version"],
            )
        except ConflictError as error:
            messages.error(request, str(error.message))
            return redirect(request.path)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã gửi báo cáo."))
            return redirect(request.path)
    return _report_page(request, found, form=form, status=400)


@reporter_required
@require_POST
def review(request: HttpRequest, assignment_id: int, period_id: int) -> HttpResponse:
    found = _slot(request, assignment_id, period_id)
    back = redirect("directives:report", assignment_id=assignment_id, period_id=period_id)
    form = ReviewForm(request.POST)
    if found.report is None or not form.is_valid():
        return _report_page(request, found, review=form, status=400)
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            services.accept_report(acting_user=_user(request), report=found.report, version=data["version"])
            messages.success(request, _("Đã chấp nhận báo cáo."))
        else:
            services.return_report(
                acting_user=_user(request),
                report=found.report,
                version=data["version"],
                reason=data["reason"],
            )
            messages.success(request, _("Đã trả lại báo cáo để đơn vị hoàn thiện."))
    except ConflictError as error:
        messages.error(request, str(error.message))
    except DomainError as error:
        add_domain_error(form, error)
        return _report_page(request, found, review=form, status=400)
    return back


@reporter_required
def report_file(request: HttpRequest, file_id: int) -> FileResponse:
    attached = get_object_or_404(ReportFile.objects.select_related("report", "stored_file"), pk=file_id)
    _slot(request, attached.report.assignment_id, attached.report.period_id)
    return documents.file_response(attached.stored_file, as_attachment=True, filename=attached.name)


@reporter_required
def signed_document(request: HttpRequest, pk: int) -> FileResponse:
    directive = get_object_or_404(Directive, pk=pk)
    visible = selectors.visible_directives(_user(request)).filter(pk=pk).exists()
    if not visible or directive.signed_document is None:
        raise Http404
    return documents.file_response(
        directive.signed_document, as_attachment=True, filename=directive.signed_document_name
    )


def _coordinating_unit(user: User) -> OrgUnit | None:
    """The unit a directive entered by `user` is coordinated by: MOTCUA_DIRECTIVES_COORDINATOR's, else the
    user's own unit when it already coordinates a directive."""
    unit = services.default_coordinating_unit()
    if unit is None and Directive.objects.filter(coordinating_unit_id=user.org_unit_id).exists():
        unit = user.org_unit
    return unit


def _task_specs(formset: "BaseFormSet[TaskForm]") -> list[services.TaskSpec]:
    return [
        services.TaskSpec(
            title=data["title"],
            recurrence=data["recurrence"],
            target=data["target"],
            units=list(data["units"]),
            deadline=data["deadline"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            report_days=data["report_days"],
        )
        for data in formset.cleaned_data
        if data and data.get("title", "").strip()
    ]


@reporter_required
def new_directive(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unit = _coordinating_unit(user)
    if request.method != "POST":
        form, tasks = DirectiveForm(), TaskFormSet(prefix="tasks")
    else:
        form = DirectiveForm(request.POST, request.FILES)
        tasks = TaskFormSet(request.POST, prefix="tasks")
        if form.is_valid() and tasks.is_valid():
            data = form.cleaned_data
            try:
                directive = services.issue_directive(
                    acting_user=user,
                    number=data["number"],
                    signed_on=data["signed_on"],
                    issuer=data["issuer"],
                    title=data["title"],
                    document=data["document"],
                    coordinating_unit=unit,
                    tasks=_task_specs(tasks),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã nhập chỉ thị %(number)s.") % {"number": directive.number})
                return redirect("directives:dashboard", pk=directive.pk)
    context = {"form": form, "tasks": tasks, "unit": unit}
    return render(request, "directives/new.html", context, status=400 if request.method == "POST" else 200)
