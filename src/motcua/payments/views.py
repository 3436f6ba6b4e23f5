"""Payment pages: start a payment of a dossier's fees, the sandbox provider's page, and the callback."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog.selectors import format_vnd
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers.selectors import visible_dossiers
from motcua.payments import services
from motcua.payments.gateways import OUTCOMES, BadSignature, SandboxGateway, gateway, sandbox_enabled
from motcua.payments.models import Payment

PORTAL_LOGIN = "/tai-khoan/dang-nhap/"


def _dossier_page(code: str) -> str:
    return reverse("portal:my_dossier", args=[code])


@require_POST
@login_required(login_url=PORTAL_LOGIN)
def start(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # signed in: login_required let the request through
    dossier = visible_dossiers(user).filter(code=code).first()
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    try:
        _payment, url = services.start_payment(dossier=dossier, acting_user=user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(_dossier_page(code))
    return redirect(url)


@require_http_methods(["GET", "POST"])
def sandbox(request: HttpRequest, reference: str) -> HttpResponse:
    """The sandbox provider's own page: shows the amount, and pays, fails or cancels on request.
    It signs the callback itself, so it exists only when the sandbox is on (`gateways.sandbox_enabled`)."""
    if not sandbox_enabled():
        raise Http404
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
    Payment.Status.PAID: gettext_lazy("Thanh toán thành công. Cảm ơn bạn."),
    Payment.Status.FAILED: gettext_lazy("Thanh toán không thành công. Bạn có thể thử lại."),
    Payment.Status.CANCELLED: gettext_lazy("Bạn đã hủy thanh toán. Bạn có thể thanh toán lại."),
}
TO_REFUND = gettext_lazy(
    "Cổng thanh toán đã thu %(amount)s nhưng hồ sơ không nhận khoản thanh toán này (%(reason)s). "
    "Khoản tiền đã được ghi nhận và sẽ được hoàn lại; Bộ phận Một cửa sẽ liên hệ với bạn."
)


@csrf_exempt  # the provider calls it (or sends the payer's browser back), never our own form
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider's verified result. Its own notification (POST) is answered 200 "OK" once settled, even
    when the dossier may not keep the money (then flagged to be refunded); the payer's browser coming back
    (GET) goes to the dossier's page with the news. A bad signature is 400 and changes nothing."""
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
    if request.method == "POST":
        # The provider's own notification (server to server): settled, or a replay of a settled one.
        return HttpResponse("OK", content_type="text/plain; charset=utf-8")
    if settlement.changed and payment.needs_refund:
        amount = format_vnd(payment.amount_vnd)
        messages.warning(request, TO_REFUND % {"amount": amount, "reason": payment.refund_reason})
    elif settlement.changed:
        messages.add_message(
            request,
            messages.SUCCESS if payment.status == Payment.Status.PAID else messages.WARNING,
            MESSAGES[Payment.Status(payment.status)],
        )
    return redirect(_dossier_page(payment.dossier.code))
