"""Starting a payment of a dossier's fees and settling it from the provider's verified callback.

Settling is idempotent: the payment row is locked, and only a pending payment changes. A replayed callback,
or a late "failed" after "paid", changes nothing. Payments write no dossier events (only `dossiers` does).
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.selectors import fees_for
from motcua.core.errors import NotFound, PermissionDenied, ValidationFailed
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.states import Status as DossierStatus
from motcua.payments.gateways import CallbackResult, PaymentGateway, gateway
from motcua.payments.models import Payment

# The fees can be paid online while the dossier is alive (not refused, withdrawn or returned).
PAYABLE_STATUSES = frozenset(
    {
        DossierStatus.NEW_ONLINE,
        DossierStatus.ACCEPTED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.FINANCIAL_OBLIGATION,
        DossierStatus.FINISHED,
    }
)


def fees_total(dossier: Dossier) -> int:
    """The published fees of the dossier's procedure for the dossier's channel (`catalog.selectors.fees_for`;
    fees not published in VND are paid at the counter)."""
    return sum(fee.amount_vnd or 0 for fee in fees_for(dossier.procedure, dossier.channel))


def amount_due(dossier: Dossier) -> int:
    if dossier.payments.filter(status=Payment.Status.PAID).exists():
        return 0
    return fees_total(dossier)


def start_payment(*, dossier: Dossier, acting_user: User, provider: str | None = None) -> tuple[Payment, str]:
    """A pending payment of what the dossier owes, and the URL of the provider's page."""
    if acting_user.role != Role.CITIZEN or not visible_dossiers(acting_user).filter(pk=dossier.pk).exists():
        raise PermissionDenied(_("Chỉ người nộp hồ sơ được thanh toán trực tuyến cho hồ sơ này."))
    if dossier.status not in PAYABLE_STATUSES:
        raise ValidationFailed(
            _("Hồ sơ ở trạng thái này không thể thanh toán trực tuyến."), code="not_payable"
        )
    amount = amount_due(dossier)
    if amount <= 0:
        raise ValidationFailed(_("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."), code="nothing_due")
    adapter: PaymentGateway = gateway(provider)
    payment = Payment.objects.create(
        dossier=dossier,
        amount_vnd=amount,
        description=f"Phí, lệ phí hồ sơ {dossier.code}",
        provider=adapter.name,
        reference=f"TT{timezone.now():%y%m%d}{secrets.token_hex(6).upper()}",
        started_by=acting_user,
    )
    return payment, adapter.start(payment)


@dataclass(frozen=True)
class Settlement:
    payment: Payment
    changed: bool


def settle(*, provider: str, result: CallbackResult) -> Settlement:
    """Apply a verified callback. Only a pending payment changes; anything else is a replay."""
    now = timezone.now()
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("dossier")
            .filter(reference=result.reference, provider=provider)
            .first()
        )
        if payment is None:
            raise NotFound(_("Không tìm thấy giao dịch thanh toán."))
        if payment.status != Payment.Status.PENDING:
            return Settlement(payment, changed=False)
        if result.outcome == "paid" and result.amount_vnd != payment.amount_vnd:
            raise ValidationFailed(_("Số tiền thanh toán không khớp với giao dịch."), code="amount_mismatch")
        if result.outcome == "paid":
            if payment.dossier.payments.filter(status=Payment.Status.PAID).exists():
                # Paid twice through two payments: keep the first; the second is refunded by the provider.
                payment.status = Payment.Status.CANCELLED
            else:
                payment.status, payment.paid_at = Payment.Status.PAID, now
                # The payment becomes part of the dossier's history, in the same transaction.
                dossier_services.record_payment(
                    dossier=Dossier.objects.get(pk=payment.dossier_id),
                    acting_user=payment.started_by,
                    reference=payment.reference,
                    amount_vnd=payment.amount_vnd,
                    provider=payment.provider,
                    now=now,
                )
        else:
            payment.status = Payment.Status(result.outcome)
        payment.provider_ref = result.provider_ref[:100]
        payment.finished_at = now
        payment.callback_data = result.data
        payment.save(update_fields=["status", "paid_at", "provider_ref", "finished_at", "callback_data"])
    return Settlement(payment, changed=True)
