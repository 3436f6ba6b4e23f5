"""Counter reception (`/can-bo/tiep-nhan/`): receive, guide to complete, or refuse a paper dossier.

"Tiếp nhận" and "Từ chối" record the dossier with its scanned files (intake.receive_at_counter /
intake.refuse_at_counter, one transaction with the form token): the scans are stored (and so checked)
first, so a bad file refuses the whole submission and nothing is saved. "Hướng dẫn bổ sung" creates no
dossier but records the visit (services.guide_at_counter) and prints the guidance slip (form 02 content)
listing every missing item.
"""

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.api.models import IdempotencyKey
from motcua.backoffice import selectors
from motcua.backoffice.forms import GuidanceForm, ReceptionForm
from motcua.backoffice.views.common import nav_context, officer
from motcua.catalog import selectors as catalog
from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.decorators import counter_required
from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import OrgUnit, User
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.intake import services as intake
from motcua.queueing import services as queueing

PAGE_SIZE = 50
# One-time form tokens: each rendering of the reception form carries a fresh one (kept in the session, the
# last few per officer); a receive or refusal consumes it in its own transaction, as an `IdempotencyKey`
# row whose unique (user, key) constraint stops a second submission, even a concurrent one.
SESSION_TOKENS = "reception_form_tokens"
TOKENS_KEPT = 20
TOKEN_PREFIX = "reception-form:"


@counter_required
def choose_procedure(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    q = request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]
    procedures = selectors.receivable_procedures(user, q=q).only("code", "name", "field")
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/reception_choose.html", {"q": q, "page": page} | nav_context(user))


@dataclass
class ComponentEntry:
    component: ProcedureComponent
    ticked: bool
    scans: list["UploadedFile[bytes]"]


def _entries(procedure: Procedure, request: HttpRequest) -> list[ComponentEntry]:
    posted = request.method == "POST"
    return [
        ComponentEntry(
            component=c,
            ticked=bool(request.POST.get(f"component_{c.pk}")) if posted else False,
            scans=request.FILES.getlist(f"scan_{c.pk}") if posted else [],
        )
        for c in procedure.components.all()
    ]


@counter_required
def receive(request: HttpRequest, code: str) -> HttpResponse:
    user = officer(request)
    procedure = selectors.receivable_procedure(user, code)
    unit = user.org_unit  # a unit that receives: without one, no procedure is receivable
    if procedure is None or unit is None:
        raise Http404(_("Đơn vị của bạn không tiếp nhận thủ tục này."))
    entries = _entries(procedure, request)
    action = request.POST.get("action", "receive")
    token = request.POST.get("form_token", "")
    counter = _Counter(request, user, unit, procedure)
    form: ReceptionForm
    if request.method != "POST":
        form = ReceptionForm()
    elif action == "guide":
        form = GuidanceForm(request.POST)
        missing = _missing_items(entries, form)
        if form.is_valid() and missing:
            try:
                return _guidance(counter, form, missing)
            except DomainError as error:
                add_domain_error(form, error)
        if form.is_valid():
            form.add_error(None, _("Hồ sơ đã đủ thành phần; không có gì cần hướng dẫn bổ sung."))
    else:
        form = ReceptionForm(request.POST)
        earlier = _dossier_of_token(user, token)
        if earlier is not None:
            return _already_recorded(counter, form, entries, earlier)
        if token not in request.session.get(SESSION_TOKENS, []):
            form.add_error(
                None,
                _(
                    "Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy kiểm tra lại thông tin, "
                    "chọn lại bản quét rồi gửi."
                ),
            )
        elif form.is_valid():
            try:
                dossier = _record(counter, form, entries, token, refuse=action == "refuse")
            except IntegrityError:  # the same form, submitted twice at once: the other submission won
                earlier = _dossier_of_token(user, token)
                if earlier is None:
                    raise
                return _already_recorded(counter, form, entries, earlier)
            if dossier is not None:
                return redirect("backoffice:dossier", code=dossier.code)
    status = 400 if form.is_bound and form.errors else 200
    return _form_page(counter, form, entries, token, status=status)


@dataclass(frozen=True)
class _Counter:
    """The reception being answered: the request, the officer at the counter, their unit, the procedure."""

    request: HttpRequest
    user: User
    unit: OrgUnit
    procedure: Procedure


def _form_page(
    counter: _Counter,
    form: ReceptionForm,
    entries: list[ComponentEntry],
    token: str,
    *,
    status: int,
    earlier: str = "",
) -> HttpResponse:
    request, procedure = counter.request, counter.procedure
    issued = request.session.get(SESSION_TOKENS, [])
    if token not in issued or _dossier_of_token(counter.user, token) is not None:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_TOKENS] = [*issued, token][-TOKENS_KEPT:]
    context = {
        "procedure": procedure,
        "form": form,
        "form_token": token,
        "earlier": earlier,
        "entries": entries,
        "fees": [(fee, catalog.fee_text(fee)) for fee in procedure.fees.all()],
        "time_limit": catalog.time_limit_text(procedure),
    }
    return render(
        request, "backoffice/reception_form.html", context | nav_context(counter.user), status=status
    )


def _dossier_of_token(user: User, token: str) -> str | None:
    """The code of the dossier this form token already recorded, if any."""
    if not token:
        return None
    stored = IdempotencyKey.objects.filter(user=user, key=TOKEN_PREFIX + token).first()
    return stored.response_body.get("code") if stored is not None else None


def _already_recorded(
    counter: _Counter, form: ReceptionForm, entries: list[ComponentEntry], code: str
) -> HttpResponse:
    """A second submission of one form (Back, then submit again): nothing more is created."""
    return _form_page(counter, form, entries, "", status=409, earlier=code)


def _intake(counter: _Counter, form: ReceptionForm, entries: list[ComponentEntry]) -> services.Intake:
    data = form.cleaned_data
    return services.Intake(
        procedure=counter.procedure,
        applicant=services.Applicant(
            kind=data["applicant_kind"],
            name=data["applicant_name"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        ),
        receiving_unit=counter.unit,
        components=[services.ProvidedComponent(e.component.pk) for e in entries if e.ticked],
        summary=data["summary"],
    )


def _record(
    counter: _Counter, form: ReceptionForm, entries: list[ComponentEntry], token: str, *, refuse: bool
) -> Dossier | None:
    """Receive or refuse the dossier with its scans, all or nothing; None (form errors) when refused."""
    reason = form.cleaned_data["reason"].strip()
    if refuse and not reason:
        form.add_error("reason", _("Vui lòng ghi rõ lý do từ chối tiếp nhận."))
        return None
    request, user = counter.request, counter.user

    def consume_token(dossier: Dossier) -> None:
        IdempotencyKey.objects.create(
            key=TOKEN_PREFIX + token,
            user=user,
            fingerprint="",
            response_status=302,
            response_body={"code": dossier.code},
        )
        if not refuse:  # the ticket the officer is serving brought this dossier (the reception hall's link)
            queueing.link_dossier(dossier=dossier, acting_user=user)

    application = _intake(counter, form, entries)
    channel = form.cleaned_data["channel"]
    scans = {e.component.pk: e.scans for e in entries if e.scans}
    try:
        if refuse:
            dossier = intake.refuse_at_counter(
                intake=application,
                channel=channel,
                acting_user=user,
                reason=reason,
                scans=scans,
                then=consume_token,
            )
        else:
            dossier = intake.receive_at_counter(
                intake=application, channel=channel, acting_user=user, scans=scans, then=consume_token
            )
    except DomainError as error:
        add_domain_error(form, error)
        return None
    if refuse:
        messages.success(
            request, _("Đã lập phiếu từ chối tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code}
        )
    else:
        messages.success(
            request,
            _("Đã tiếp nhận hồ sơ %(code)s; hẹn trả kết quả %(at)s.")
            % {
                "code": dossier.code,
                "at": timezone.localtime(dossier.appointment_at).strftime("%d/%m/%Y %H:%M"),
            },
        )
    return dossier


@dataclass(frozen=True)
class MissingItem:
    name: str
    form: str


def _missing_items(entries: list[ComponentEntry], form: GuidanceForm) -> list[MissingItem]:
    # Optional components (conditional ones, "nếu có") are not missing when absent.
    items = [
        MissingItem(e.component.name, e.component.get_form_display())
        for e in entries
        if not e.ticked and e.component.is_mandatory
    ]
    text = form.data.get("other_missing", "")
    items += [MissingItem(line.strip(), "") for line in text.splitlines() if line.strip()]
    return items


def _guidance(counter: _Counter, form: GuidanceForm, missing: list[MissingItem]) -> HttpResponse:
    """The supplement guidance slip for a dossier the counter does not receive yet: printable HTML."""
    procedure = counter.procedure
    data = form.cleaned_data
    guidance = services.guide_at_counter(
        intake=services.Intake(
            procedure=procedure,
            applicant=services.Applicant(
                kind=data.get("applicant_kind") or "citizen",
                name=data.get("applicant_name", ""),
                id_number=data.get("applicant_id_number", ""),
                phone=data.get("applicant_phone", ""),
            ),
            receiving_unit=counter.unit,
        ),
        channel=data.get("channel") or "counter",
        acting_user=counter.user,
        missing=[{"name": item.name, "form": str(item.form)} for item in missing],
        reason=data.get("reason", ""),
    )
    context = {
        "guidance": guidance,
        "procedure": procedure,
        "applicant": form.cleaned_data,
        "missing": missing,
        "reason": form.cleaned_data["reason"],
        "officer": counter.user,
        "unit": counter.unit,
        "now": guidance.at,
    }
    return render(counter.request, "backoffice/guidance.html", context)
