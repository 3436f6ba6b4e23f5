"""Payment pages: start a payment of a dossier's fees, the sandbox provider's page, the callback, and
the accountant's reconciliation of the bank's collections (import a statement, the day's lines, XLSX)."""

import secrets
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog.selectors import format_vnd
from motcua.core.decorators import OFFICER_FORBIDDEN, role_required
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers.selectors import visible_dossiers
from motcua.payments import bank, bank_reports, services
from motcua.payments.gateways import OUTCOMES, BadSignature, SandboxGateway, gateway, sandbox_enabled
from motcua.payments.models import BankLine, Payment

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


# --- bank collection: the accountant's daily reconciliation ----------------------------------------------

MAX_STATEMENT_BYTES = 5 * 1024 * 1024


def _day_param(request: HttpRequest) -> tuple[str, date | None]:
    text = request.GET.get("ngay", "").strip()
    if not text:
        latest = bank_reports.latest_booking_day() or timezone.localdate()
        return latest.strftime("%d/%m/%Y"), latest
    try:
        return text, datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return text, None


@role_required(bank.RECONCILING_ROLES, forbidden_template=OFFICER_FORBIDDEN)
@require_http_methods(["GET", "POST"])
def bank_reconciliation(request: HttpRequest) -> HttpResponse:
    """The day's reconciliation (GET ?ngay=dd/mm/yyyy), and the import of a statement (POST, a file)."""
    user = request.user
    assert isinstance(user, User)  # role_required let only the reconciling roles through
    if request.method == "POST":
        return _import(request, user)
    day_text, day = _day_param(request)
    if day is None:
        context = {"day_text": day_text, "error": _("Ngày: hãy nhập ngày theo dạng dd/mm/yyyy.")}
        return render(request, "payments/bank_reconciliation.html", context, status=400)
    report = bank_reports.reconciliation_day(day)
    return render(request, "payments/bank_reconciliation.html", {"day_text": day_text, "report": report})


def _import(request: HttpRequest, user: User) -> HttpResponse:
    upload = request.FILES.get("statement")
    page = reverse("payments:bank_reconciliation")
    if upload is None:
        messages.error(request, _("Vui lòng chọn tệp sao kê (CSV, XLSX hoặc XML camt.053)."))
        return redirect(page)
    if upload.size is not None and upload.size > MAX_STATEMENT_BYTES:
        messages.error(request, _("Tệp sao kê lớn hơn 5 MB."))
        return redirect(page)
    try:
        result = bank.import_statement(content=upload.read(), file_name=upload.name or "", acting_user=user)
    except DomainError as error:
        messages.error(request, _("Chưa nhập sao kê: %(reason)s") % {"reason": error.message})
        return redirect(page)
    if result.statement is None:
        messages.info(
            request,
            _("Sao kê không có dòng ghi có mới (%(repeated)s dòng đã nhập trước đó): không có gì thay đổi.")
            % {"repeated": result.repeated},
        )
        return redirect(page)
    counts = result.counts
    messages.success(
        request,
        _(
            "Đã nhập %(new)s dòng: %(matched)s khớp, %(unmatched)s không tìm thấy hồ sơ, %(mismatch)s sai "
            "số tiền, %(duplicate)s thu trùng, %(not_payable)s hồ sơ không nhận; %(repeated)s dòng đã nhập "
            "trước đó."
        )
        % {
            "new": result.new_lines,
            "matched": counts[BankLine.Category.MATCHED],
            "unmatched": counts[BankLine.Category.UNMATCHED],
            "mismatch": counts[BankLine.Category.MISMATCH],
            "duplicate": counts[BankLine.Category.DUPLICATE],
            "not_payable": counts[BankLine.Category.NOT_PAYABLE],
            "repeated": result.repeated,
        },
    )
    first = result.statement.lines.order_by("booked_on").values_list("booked_on", flat=True).first()
    return redirect(f"{page}?ngay={first:%d/%m/%Y}" if first else page)


@role_required(bank.RECONCILING_ROLES, forbidden_template=OFFICER_FORBIDDEN)
@require_http_methods(["GET"])
def bank_reconciliation_xlsx(request: HttpRequest) -> HttpResponse:
    _text, day = _day_param(request)
    if day is None:
        return HttpResponse(
            _("Ngày: hãy nhập ngày theo dạng dd/mm/yyyy."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    content = bank_reports.reconciliation_xlsx(bank_reports.reconciliation_day(day))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="doi-soat-thu-ho-{day:%Y%m%d}.xlsx"'
    return response
