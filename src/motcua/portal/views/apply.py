"""Online submission (`/nop-ho-so/<procedure code>/<page>/`): one thing per page, saved as a draft
after every page, reviewed, then submitted as an online dossier (status 1) at the chosen unit.

A page shown (GET) never creates a draft; only an answered page (POST) does. After submission the draft is
gone: its pages (the browser's Back) lead to the dossier just submitted, until the applicant starts again
from the procedure (`start`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.catalog import selectors as catalog
from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.core.text import place_in_text
from motcua.dossiers.models import Channel
from motcua.portal import declaration, services
from motcua.portal.forms import ApplicantForm, UnitForm, UploadForm
from motcua.portal.models import Draft
from motcua.portal.submission import (
    APPLICANT,
    FEES,
    REVIEW,
    UNIT,
    Step,
    draft_files,
    first_open_step,
    steps_for,
)
from motcua.portal.views.common import citizen, citizen_required
from motcua.portal.views.declaration import declaration_page
from motcua.portal.views.other_papers import other_papers_page


def _procedure(code: str) -> Procedure:
    procedure = catalog.procedure_by_code(code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục hành chính này."))
    return procedure


# Session key: {procedure code: dossier code} of the applications submitted in this session.
SUBMITTED = "portal.submitted"


def _draft(request: HttpRequest, user: User, procedure: Procedure, *, create: bool) -> Draft | HttpResponse:
    try:
        return services.draft_for(user=user, procedure=procedure, create=create)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("catalog:procedure_detail", procedure.code)


@citizen_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Start, or resume at the first page not yet answered."""
    procedure = _procedure(code)
    user = citizen(request)
    draft = _draft(request, user, procedure, create=False)
    if isinstance(draft, HttpResponse):
        return draft
    submitted = request.session.get(SUBMITTED, {})
    if procedure.code in submitted:  # a new application, not the one already submitted
        del submitted[procedure.code]
        request.session.modified = True
    return redirect(
        "portal:apply_step", code, first_open_step(steps_for(procedure, draft=draft, user=user), draft).slug
    )


@never_cache
@citizen_required
def step(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    user = citizen(request)
    procedure = _procedure(code)
    draft = _draft(request, user, procedure, create=False)
    if isinstance(draft, HttpResponse):
        return draft
    steps = steps_for(procedure, draft=draft, user=user)
    index = next((i for i, s in enumerate(steps) if s.slug == slug), None)
    if index is None:
        raise Http404(_("Không có trang này."))
    if draft.pk is None:
        elsewhere = _without_draft(request, procedure, first=steps[0], index=index)
        if elsewhere is not None:
            return elsewhere
        if request.method == "POST":
            draft = _draft(request, user, procedure, create=True)
            if isinstance(draft, HttpResponse):
                return draft
    current = steps[index]
    following = steps[index + 1] if index + 1 < len(steps) else None
    previous = steps[index - 1] if index > 0 else None
    context: dict[str, object] = {
        "procedure": procedure,
        "draft": draft,
        "steps": steps,
        "current": current,
        "number": index + 1,
        "previous": previous,
    }
    if request.method == "POST" and request.POST.get("action") == "exit" and current.slug == REVIEW:
        messages.success(
            request, _("Đã lưu hồ sơ nháp. Bạn có thể tiếp tục bất cứ lúc nào từ “Hồ sơ của tôi”.")
        )
        return redirect("portal:my_dossiers")
    if current.section is not None:  # a page of the declaration (#16)
        return declaration_page(
            request, draft, current, lambda: _next_page(procedure, following, request), context
        )
    if current.components:  # the papers needed only in some cases, on one page (#16)
        return other_papers_page(
            request, draft, user, current, lambda: _next_page(procedure, following, request), context
        )
    handler = HANDLERS.get(current.slug, _component)
    return handler(request, _Page(user, draft, steps, current, following, context))


@dataclass(frozen=True)
class _Page:
    """The page being answered: whose draft, the steps, this one and the next, what every page shows."""

    user: User
    draft: Draft
    steps: list[Step]
    current: Step
    following: Step | None
    context: dict[str, object]


def _without_draft(
    request: HttpRequest, procedure: Procedure, *, first: Step, index: int
) -> HttpResponse | None:
    """Where a page goes when the applicant has no draft: the dossier just submitted from it (Back after
    submitting), or the first page; None when the page itself is right (the first page, or an answer)."""
    submitted = request.session.get(SUBMITTED, {}).get(procedure.code)
    if submitted:
        messages.info(
            request,
            _("Hồ sơ này đã được nộp (mã hồ sơ %(code)s). Để nộp hồ sơ mới, chọn lại thủ tục.")
            % {"code": submitted},
        )
        return redirect("portal:my_dossier", submitted)
    if request.method != "POST" and index > 0:
        return redirect("portal:apply_step", procedure.code, first.slug)
    return None


def _next_page(procedure: Procedure, following: Step | None, request: HttpRequest) -> HttpResponse:
    if request.POST.get("action") == "exit":
        messages.success(
            request, _("Đã lưu hồ sơ nháp. Bạn có thể tiếp tục bất cứ lúc nào từ “Hồ sơ của tôi”.")
        )
        return redirect("portal:my_dossiers")
    return redirect("portal:apply_step", procedure.code, following.slug if following else REVIEW)


def _applicant(request: HttpRequest, page: _Page) -> HttpResponse:
    draft, following, context = page.draft, page.following, page.context
    initial = draft.data.get("applicant") or draft.data.get("prefill") or {}
    form = ApplicantForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.save_applicant(
                draft=draft, applicant={k: str(v).strip() for k, v in form.cleaned_data.items()}
            )
            return _next_page(draft.procedure, following, request)
        return render(request, "portal/apply/applicant.html", context | {"form": form}, status=400)
    return render(request, "portal/apply/applicant.html", context | {"form": form})


def _unit(request: HttpRequest, page: _Page) -> HttpResponse:
    draft, following, context = page.draft, page.following, page.context
    units = catalog.receiving_units(draft.procedure).order_by("name")
    # The commune named in the applicant's address, else in the account's (the pre-filled one).
    addresses = [(draft.data.get(k) or {}).get("address") or "" for k in ("applicant", "prefill")]
    initial = {
        "receiving_unit": draft.data.get("receiving_unit")
        or (units[0].pk if units.count() == 1 else None)
        or place_in_text(next((a for a in addresses if a.strip()), ""), units.values_list("pk", "name"))
    }
    form = UnitForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST":
        if form.is_valid():
            services.save_receiving_unit(draft=draft, unit=form.cleaned_data["receiving_unit"])
            return _next_page(draft.procedure, following, request)
        return render(request, "portal/apply/unit.html", context | {"form": form}, status=400)
    return render(request, "portal/apply/unit.html", context | {"form": form})


def _component(request: HttpRequest, page: _Page) -> HttpResponse:
    draft, current, following, context = page.draft, page.current, page.following, page.context
    component = current.component
    assert component is not None  # the pages without a component have their own handlers (HANDLERS)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        try:
            if remove.isdigit():
                services.remove_component_file(draft=draft, component=component, file_id=int(remove))
                return redirect("portal:apply_step", draft.procedure.code, current.slug)
            if form.is_valid():
                uploads = form.cleaned_data["files"]
                if uploads:
                    services.add_component_files(
                        draft=draft, component=component, uploads=uploads, acting_user=page.user
                    )
                    if request.POST.get("action") == "upload":
                        messages.success(request, _("Đã tải lên tệp."))
                        return redirect("portal:apply_step", draft.procedure.code, current.slug)
                elif request.POST.get("action") != "exit":
                    services.skip_component(draft=draft, component=component)
                return _next_page(draft.procedure, following, request)
        except DomainError as error:
            add_domain_error(form, error)
            if "file" in error.fields and "files" not in form.errors:
                form.add_error("files", str(error.message))
        status = 400
    files = draft_files(draft, component)
    return render(
        request,
        "portal/apply/component.html",
        context | {"form": form, "component": component, "files": files},
        status=status,
    )


def _fees(request: HttpRequest, page: _Page) -> HttpResponse:
    draft, following, context = page.draft, page.following, page.context
    if request.method == "POST":
        services.mark_fees_seen(draft=draft)
        return _next_page(draft.procedure, following, request)
    fees = [(fee, catalog.fee_text(fee)) for fee in catalog.fees_for(draft.procedure, Channel.ONLINE)]
    return render(request, "portal/apply/fees.html", context | {"fees": fees})


def _review(request: HttpRequest, page: _Page) -> HttpResponse:
    draft, context = page.draft, page.context
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            dossier = services.submit_draft(draft=draft, acting_user=page.user)
        except DomainError as error:
            errors = [
                str(error.message),
                *(m for m in error.field_messages().values() if m != str(error.message)),
            ]
            status = 400
        else:
            request.session[SUBMITTED] = request.session.get(SUBMITTED, {}) | {
                draft.procedure.code: dossier.code
            }
            messages.success(
                request,
                _(
                    "Đã nộp hồ sơ trực tuyến. Mã hồ sơ: %(code)s. "
                    "Bộ phận Một cửa sẽ kiểm tra và thông báo cho bạn."
                )
                % {"code": dossier.code},
            )
            return redirect("portal:my_dossier", dossier.code)
    procedure = draft.procedure
    unit_id = draft.data.get("receiving_unit")
    unit = catalog.receiving_units(procedure).filter(pk=unit_id).first() if unit_id else None
    components = []
    for s in page.steps:
        for component in [s.component] if s.component is not None else s.components:
            components.append((component, s.slug, draft_files(draft, component)))
    context |= {
        "applicant": draft.data.get("applicant") or {},
        "unit": unit,
        "components": components,
        "fees": catalog.fees_summary(procedure, Channel.ONLINE),
        "time_limit": catalog.time_limit_text(procedure),
        "errors": errors,
        "declaration": declaration.shown(draft),
    }
    return render(request, "portal/apply/review.html", context, status=status)


HANDLERS: dict[str, Callable[[HttpRequest, _Page], HttpResponse]] = {
    APPLICANT: _applicant,
    UNIT: _unit,
    FEES: _fees,
    REVIEW: _review,
}
