"""“Hồ sơ của tôi”: the applicant's dossiers and drafts; one dossier's timeline, messages, supplement
answered online, withdrawal, slips and result to download, fees to pay."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.documents import selectors as documents
from motcua.documents import services as document_services
from motcua.documents.models import ElectronicResult
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import available_acts
from motcua.dossiers.states import Act
from motcua.eforms import selectors as eforms
from motcua.payments.selectors import payment_state
from motcua.portal import display, selectors, services
from motcua.portal.forms import SupplementForm, WithdrawForm
from motcua.portal.views.common import citizen, citizen_required

# The slips an applicant receives (the control slip and the tracking book are the offices' records).
APPLICANT_SLIPS = ("tiep-nhan", "bo-sung", "tu-choi", "xin-loi")


@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    user = citizen(request)
    dossiers = list(selectors.my_dossiers(user).select_related("procedure")[:200])
    issued = set(ElectronicResult.objects.filter(dossier__in=dossiers).values_list("dossier_id", flat=True))
    context = {
        "rows": [(d, display.pause_text(d)) for d in dossiers],
        "with_result": {
            d.pk
            for d in dossiers
            if d.pk in issued and documents.electronic_result_of(dossier=d, acting_user=user)
        },
        "drafts": selectors.my_drafts(user),
        "ended_without_result": selectors.ENDED_WITHOUT_RESULT,
    }
    return render(request, "portal/my_dossiers.html", context)


def _mine(user: User, code: str) -> Dossier:
    dossier = selectors.my_dossier(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


def _detail(
    request: HttpRequest,
    user: User,
    dossier: Dossier,
    *,
    supplement_form: SupplementForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    supplement = selectors.open_supplement(dossier)
    files = documents.dossier_files(dossier=dossier, acting_user=user)
    context = {
        "dossier": dossier,
        "pause_text": display.pause_text(dossier),
        "timeliness_label": display.timeliness_label(dossier),
        "timeline": selectors.timeline(dossier),
        "messages_from_officials": selectors.official_messages(dossier),
        "supplement": supplement,
        "supplement_form": supplement_form
        or (SupplementForm(items=dossier_services.open_supplement_items(dossier)) if supplement else None),
        "withdraw_form": withdraw_form
        or (WithdrawForm() if Act.WITHDRAW in available_acts(user, dossier) else None),
        "ending": selectors.ending(dossier),
        "slips": [
            (kind, document_services.SLIP_TITLES[kind])
            for kind in documents.available_slips(dossier)
            if kind in APPLICANT_SLIPS
        ],
        "results": [f for f in files if f.kind == "result"],
        "electronic_result": documents.electronic_result_of(dossier=dossier, acting_user=user),
        "electronic_result_issued": ElectronicResult.objects.filter(dossier=dossier).exists(),
        "uploads": [f for f in files if f.kind != "result"],
        "payment": payment_state(dossier),
        "rating": selectors.rating_of(dossier),
        "can_rate": selectors.can_be_rated(dossier),
        "declaration": eforms.shown_declaration(dossier),  # the answers as declared online (#16)
    }
    return render(request, "portal/my_dossier.html", context, status=status)


@citizen_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    user = citizen(request)
    return _detail(request, user, _mine(user, code))


@require_POST
@citizen_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    user = citizen(request)
    dossier = _mine(user, code)
    items = dossier_services.open_supplement_items(dossier)
    if not items:  # answered already, or never asked: the page says where the dossier stands
        messages.error(request, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
        return redirect("portal:my_dossier", dossier.code)
    form = SupplementForm(request.POST, request.FILES, items=items)
    if form.is_valid():
        try:
            dossier = services.answer_supplement(
                dossier=dossier,
                acting_user=user,
                answers=[
                    (item, files, note) for item, (files, note) in zip(items, form.answers(), strict=True)
                ],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã gửi giấy tờ bổ sung. Thời hạn giải quyết được tính lại từ đầu."))
            return redirect("portal:my_dossier", dossier.code)
    return _detail(request, user, dossier, supplement_form=form, status=400)


@require_POST
@citizen_required
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    user = citizen(request)
    dossier = _mine(user, code)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            dossier_services.withdraw(dossier=dossier, acting_user=user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Đã rút hồ sơ."))
            return redirect("portal:my_dossier", dossier.code)
    return _detail(request, user, dossier, withdraw_form=form, status=400)


@require_http_methods(["GET", "POST"])
@citizen_required
def delete_draft(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Asks to confirm (GET), then deletes the applicant's own draft (POST)."""
    user = citizen(request)
    draft = selectors.my_drafts(user).filter(pk=draft_id).first()
    if draft is None:
        raise Http404(_("Không tìm thấy hồ sơ nháp."))
    if request.method != "POST":
        return render(request, "portal/delete_draft.html", {"draft": draft})
    try:
        services.delete_draft(draft_id=draft.pk, acting_user=user)
    except NotFound:
        raise Http404(_("Không tìm thấy hồ sơ nháp.")) from None
    messages.success(request, _("Đã xóa hồ sơ nháp."))
    return redirect("portal:my_dossiers")


@citizen_required
def slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    dossier = _mine(citizen(request), code)
    if kind not in APPLICANT_SLIPS or kind not in documents.available_slips(dossier):
        raise Http404(_("Hồ sơ này không có phiếu này."))
    try:
        pdf = document_services.SLIPS[kind](dossier)
    except DomainError:
        raise Http404(_("Hồ sơ này không có phiếu này.")) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{document_services.slip_filename(kind, dossier)}"'
    )
    return response


@citizen_required
def component_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    user = citizen(request)
    dossier = _mine(user, code)
    attachment = documents.dossier_files(dossier=dossier, acting_user=user).filter(pk=file_id).first()
    if attachment is None:
        raise Http404(_("Không tìm thấy tệp."))
    return document_services.file_response(
        attachment.stored_file, as_attachment=True, filename=attachment.display_name
    )


@citizen_required
def electronic_result(request: HttpRequest, code: str) -> FileResponse:
    """The signed e-result, for the applicant's account verified for the applicant's number (never a number
    only typed: `documents.selectors.electronic_result_of`)."""
    user = citizen(request)
    issued = documents.electronic_result_of(dossier=_mine(user, code), acting_user=user)
    if issued is None:
        raise Http404(_("Hồ sơ này chưa có kết quả điện tử bạn có thể tải về."))
    return document_services.file_response(
        issued.stored_file, as_attachment=True, filename=document_services.result_file_name(issued.dossier)
    )
