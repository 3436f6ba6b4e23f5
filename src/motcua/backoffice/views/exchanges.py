"""The data axis in the back office: a dossier's exchanges with the ministries' systems, and the button that
sends it (`/can-bo/ho-so/<code>/lien-thong/`, shown to whoever may see the dossier; the button only to the
officer the one guard lets send it); and the operators' log of every exchange over the axes
(`/can-bo/truc-lien-thong/`, center administrators). Both read `interop`; the send is
`interop.ministries.services.send_to_ministry`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.backoffice import selectors
from motcua.backoffice.views.common import nav_context, officer
from motcua.core.decorators import OFFICER_FORBIDDEN, role_required
from motcua.core.errors import DomainError
from motcua.core.roles import OFFICER_ROLES, Role
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.states import Status
from motcua.interop.axis import transport
from motcua.interop.ministries import services as ministries
from motcua.interop.ministries.connectors import connector_for, connectors
from motcua.interop.models import Exchange, MinistryCase

PAGE_SIZE = 50
SENDABLE = 200  # dossiers looked at for the list to send
officer_only = role_required(OFFICER_ROLES, forbidden_template=OFFICER_FORBIDDEN)


@officer_only
def ministry(request: HttpRequest, code: str) -> HttpResponse:
    user = officer(request)
    dossier = selectors.visible_dossier(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    if request.method == "POST":
        try:
            ministries.send_to_ministry(dossier=dossier, acting_user=user)
        except DomainError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _("Đã gửi hồ sơ %(code)s sang bộ/ngành qua trục liên thông.") % {"code": code}
            )
        return redirect("backoffice:ministry", code=code)
    found = connector_for(dossier.procedure.code)
    context = {
        "dossier": dossier,
        "system": found.label if found is not None else "",
        "cases": [(case, _status(case.mapped_status)) for case in ministries.cases_of(dossier)],
        "exchanges": list(transport.exchanges_of(dossier.pk)),
        "can_send": ministries.may_send(dossier=dossier, acting_user=user),
    }
    return render(request, "backoffice/ministry.html", context | nav_context(user))


def _status(code: int | None) -> str:
    return str(Status(code).label) if code is not None else ""


@officer_only
def exchanges(request: HttpRequest) -> HttpResponse:
    """The officer's dossiers to send to a ministry now and those sent; for center administrators, the
    log of every exchange over the axes."""
    user = officer(request)
    visible = visible_dossiers(user)
    codes = [code for c in connectors().values() for code in c.procedures]
    candidates = visible.filter(procedure__code__in=codes, status=Status.PROCESSING).select_related(
        "procedure"
    )
    sendable = [
        d
        for d in candidates.order_by("-received_at")[:SENDABLE]
        if ministries.may_send(dossier=d, acting_user=user)
    ]
    cases = (
        MinistryCase.objects.filter(dossier__in=visible)
        .select_related("dossier")
        .order_by("-requested_at", "-pk")
    )[:PAGE_SIZE]
    context: dict[str, object] = {
        "sendable": sendable,
        "cases": cases,
        "is_admin": user.role == Role.CENTER_ADMIN,
    }
    if user.role == Role.CENTER_ADMIN:
        rows = Exchange.objects.select_related("dossier").order_by("-at", "-pk")
        outcome = request.GET.get("ket-qua", "")
        if outcome in Exchange.Outcome.values:
            rows = rows.filter(outcome=outcome)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {"page": page, "outcomes": Exchange.Outcome.choices, "outcome": outcome}
    return render(request, "backoffice/exchanges.html", context | nav_context(user))
