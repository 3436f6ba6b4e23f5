"""Pages of `standing`: the province's standing against its targets, the entry of a year's figures, the
import of the published tables. Thin: parse, call one service or selector, render."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.decorators import OFFICER_FORBIDDEN, role_required
from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.standing import selectors, services, xlsx
from motcua.standing.components import COMPONENTS, Index, Measure
from motcua.standing.forms import ImportForm, StandingForm, TargetForm
from motcua.standing.models import Standing
from motcua.standing.xlsx import HEADINGS

READERS = (Role.CENTER_ADMIN, Role.UNIT_LEADER)
WRITERS = (Role.CENTER_ADMIN,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required let only officers through
    return user


def _year(request: HttpRequest) -> tuple[int, str | None]:
    today = timezone.localdate()
    text = (request.GET.get("year") or "").strip()
    if not text:
        return today.year, None
    if text.isdigit() and 2000 <= int(text) <= today.year:
        return int(text), None
    return today.year, _("Năm phải là số từ 2000 đến %(last)d.") % {"last": today.year}


@role_required(READERS, forbidden_template=OFFICER_FORBIDDEN)
def overview(request: HttpRequest) -> HttpResponse:
    y, error = _year(request)
    years = sorted({s.year for s in selectors.history()} | {timezone.localdate().year}, reverse=True)
    rates = selectors.province_rates(y)
    drag = selectors.drag_down(y, province=rates)
    ctx: dict[str, Any] = {
        "year": y,
        "year_error": error,
        "years": years,
        "gaps": selectors.gaps(),
        "computed": selectors.computed(y, rates),
        "drag": [(m, drag[m]) for m in Measure],
        "histories": [(Index(i), selectors.history(i)) for i in Index.values],
        "can_write": _user(request).role in WRITERS,
    }
    return render(request, "standing/overview.html", ctx, status=400 if error else 200)


def _entry_context(index: str, form: StandingForm, **extra: Any) -> dict[str, Any]:
    return {"index": Index(index), "form": form, "indices": Index.choices, **extra}


@role_required(WRITERS, forbidden_template=OFFICER_FORBIDDEN)
def entry(request: HttpRequest, index: str) -> HttpResponse:
    if index not in Index.values:
        raise Http404
    if request.method == "POST":
        form = StandingForm(request.POST, index=index)
        if form.is_valid():
            try:
                saved = services.record_standing(acting_user=_user(request), figures=form.figures())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Đã ghi %(what)s.") % {"what": saved})
                return redirect(f"{reverse('standing:overview')}?year={saved.year}")
        return render(request, "standing/entry.html", _entry_context(index, form), status=400)
    text = request.GET.get("year", "")
    standing: Standing | None = None
    if text.isdigit():
        standing = Standing.objects.filter(index=index, year=int(text)).prefetch_related("components").first()
    form = StandingForm(index=index, standing=standing, initial={} if standing else {"year": text or None})
    return render(request, "standing/entry.html", _entry_context(index, form, standing=standing))


def _import_context(form: ImportForm, target_form: TargetForm) -> dict[str, Any]:
    return {
        "form": form,
        "target_form": target_form,
        "headings": list(HEADINGS.values()),
        "components": [(Index(i), cs) for i, cs in COMPONENTS.items()],
    }


@role_required(WRITERS, forbidden_template=OFFICER_FORBIDDEN)
def import_tables(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                written = services.import_workbook(
                    acting_user=_user(request), data=form.cleaned_data["file"].read()
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Đã nhập %(n)d bảng: %(what)s.")
                    % {"n": len(written), "what": ", ".join(str(s) for s in written)},
                )
                return redirect("standing:overview")
        return render(request, "standing/import.html", _import_context(form, TargetForm()), status=400)
    return render(request, "standing/import.html", _import_context(ImportForm(), TargetForm()))


@role_required(WRITERS, forbidden_template=OFFICER_FORBIDDEN)
@require_POST
def target(request: HttpRequest) -> HttpResponse:
    form = TargetForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            saved = services.set_target(
                acting_user=_user(request),
                index=d["index"],
                year=d["year"],
                rank_at_most=d["rank_at_most"],
                out_of=d["out_of"],
                source=form.source(),
                note=d.get("note") or "",
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi mục tiêu %(index)s năm %(year)d.")
                % {"index": saved.get_index_display(), "year": saved.year},
            )
            return redirect("standing:overview")
    return render(request, "standing/import.html", _import_context(ImportForm(), form), status=400)


@role_required(WRITERS, forbidden_template=OFFICER_FORBIDDEN)
def template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(xlsx.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="chi-so-tinh-mau-nhap.xlsx"'
    return response
