"""Payment pages: start a payment of a dossier's fees, the sandbox provider's page, and the callback."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError
from motcua.dossiers.selectors import visible_dossiers
from motcua.payments import services
from motcua.payments.gateways import OUTCOMES, BadSignature, SandboxGateway, gateway
from motcua.payments.models import Payment

PORTAL_LOGIN = "/tai-khoan/dang-nhap/"


def _dossier_page(code: str) -> str:
    return reverse("portal:my_dossier", args=[code])


@require_POST
@login_required(login_url=PORTAL_LOGIN)
def start(request: HttpRequest, code: str) -> HttpResponse:
    dossier = visible_dossiers(request.user).filter(code=code).first()
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        _payment, url = services.start_payment(dossier=dossier, acting_user=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(_dossier_page(code))
    return redirect(url)


@require_http_methods(["GET", "POST"])
def sandbox(request: HttpRequest, reference: str) -> HttpResponse:
    """The sandbox provider's own page: shows the amount, and pays, fails or cancels on request."""
    payment = get_object_or_404(
        Payment.objects.select_related("dossier"), reference=reference, provider="sandbox"
    )
    if request.method == "POST":
        outcome = request.POST.get("outcome", "")
        if outcome not in OUTCOMES:
            return HttpResponse(status=400)
        fields = {
            "ref": payment.reference,
            "outcome": outcome,
            "amount": str(payment.amount_vnd),
            "txn": f"SBX{secrets.token_hex(5).upper()}",
        }
        return redirect(SandboxGateway().callback_url(fields))
    return render(request, "payments/sandbox.html", {"payment": payment})


MESSAGES = {
    Payment.Status.PAID: _("Thanh toán thành công. Cảm ơn bạn."),
    Payment.Status.FAILED: _("Thanh toán không thành công. Bạn có thể thử lại."),
    Payment.Status.CANCELLED: _("Bạn đã hủy thanh toán."),
}


@csrf_exempt  # the provider calls it (or sends the payer's browser back), never our own form
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        adapter = gateway(provider)
    except LookupError:
        raise Http404 from None
    data = (request.POST if request.method == "POST" else request.GET).dict()
    try:
        result = adapter.verify_callback(data)
        settlement = services.settle(provider=adapter.name, result=result)
    except BadSignature:
        return render(
            request,
            "payments/callback_error.html",
            {"message": _("Chữ ký của cổng thanh toán không hợp lệ; giao dịch không được ghi nhận.")},
            status=400,
        )
    except DomainError as error:
        return render(
            request, "payments/callback_error.html", {"message": error.message}, status=error.http_status
        )
    payment = settlement.payment
    if settlement.changed:
        messages.add_message(
            request,
            messages.SUCCESS if payment.status == Payment.Status.PAID else messages.WARNING,
            MESSAGES[Payment.Status(payment.status)],
        )
    return redirect(_dossier_page(payment.dossier.code))
