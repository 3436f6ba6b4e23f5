"""Starting a payment of a dossier's fees and settling it from the provider's verified callback.

Settling is idempotent: the payment row is locked, and only a pending payment changes. A replayed callback,
or a late "failed" after "paid", changes nothing. Payments write no dossier events (only `dossiers` does):
a paid callback asks `dossiers.services.record_payment`, acting as the gateway's system account.

Money the provider took is never lost: when the dossier may not take the payment any more (withdrawn or
refused meanwhile, already paid, more than is due), the payment is still recorded as paid, flagged
`needs_refund` with the reason, and shown to the counter officer and the administrator; the gateway is
answered as for any settled payment.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ConflictError, DomainError, NotFound, PermissionDenied, ValidationFailed
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import services as dossier_services
from motcua.dossiers.access import PAYMENT_GATEWAY_ACCOUNT, fees_paid, fees_published
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.states import Status as DossierStatus
from motcua.payments.gateways import CallbackResult, PaymentGateway, gateway
from motcua.payments.models import Payment

log = logging.getLogger(__name__)

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
    return fees_published(dossier)


def amount_due(dossier: Dossier) -> int:
    """The published fees minus what the dossier's history records as paid (online or at the counter)."""
    return max(0, fees_total(dossier) - fees_paid(dossier))


def payment_reference(at: datetime) -> str:
    """`TT261202…`: the local day the payment started (a payment at 00:30 on 2/12 belongs to 2/12, not
    to UTC's 1/12), then a random part."""
    return f"TT{timezone.localtime(at):%y%m%d}{secrets.token_hex(6).upper()}"


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
    try:
        adapter: PaymentGateway = gateway(provider)
    except LookupError:
        raise ValidationFailed(
            _("Thanh toán trực tuyến chưa sẵn sàng; vui lòng nộp phí, lệ phí tại Bộ phận Một cửa."),
            code="no_gateway",
        ) from None
    now = timezone.now()
    with transaction.atomic():
        # An attempt the payer gave up (left the provider's page without paying) is cancelled, not reused:
        # the new attempt has its own reference, the old one stays for reconciliation.
        abandoned = list(
            Payment.objects.select_for_update().filter(dossier=dossier, status=Payment.Status.PENDING)
        )
        payment = Payment.objects.create(
            dossier=dossier,
            amount_vnd=amount,
            description=f"Phí, lệ phí hồ sơ {dossier.code}",
            provider=adapter.name,
            reference=payment_reference(now),
            started_by=acting_user,
        )
        for old in abandoned:
            old.status, old.finished_at, old.superseded_by = Payment.Status.CANCELLED, now, payment
            old.save(update_fields=["status", "finished_at", "superseded_by"])
    return payment, adapter.start(payment)


def gateway_account() -> User:
    """The system account a gateway's verified callbacks act as in the dossier's history."""
    user, created = User.objects.get_or_create(
        username=PAYMENT_GATEWAY_ACCOUNT,
        defaults={"role": Role.SYSTEM, "last_name": "Cổng thanh toán trực tuyến", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


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
        if payment.status != Payment.Status.PENDING and not _paid_after_all(payment, result):
            return Settlement(payment, changed=False)
        if result.outcome == "paid" and result.amount_vnd != payment.amount_vnd:
            raise ValidationFailed(_("Số tiền thanh toán không khớp với giao dịch."), code="amount_mismatch")
        if result.outcome == "paid":
            payment.status, payment.paid_at = Payment.Status.PAID, now
            refusal = record_in_history(payment, now)
            if refusal is not None:
                payment.needs_refund, payment.refund_reason = True, str(refusal.message)
                log.warning(
                    "payment %s paid but not kept by dossier %s (%s): to be refunded",
                    payment.reference,
                    payment.dossier.code,
                    refusal.code,
                )
        else:
            payment.status = Payment.Status(result.outcome)
        payment.provider_ref = result.provider_ref[:100]
        payment.finished_at = now
        payment.callback_data = result.data
        payment.save(
            update_fields=[
                "status",
                "paid_at",
                "provider_ref",
                "finished_at",
                "callback_data",
                "needs_refund",
                "refund_reason",
            ]
        )
    return Settlement(payment, changed=True)


def _paid_after_all(payment: Payment, result: CallbackResult) -> bool:
    """The provider took the money of an attempt the payer had given up (and we cancelled when a new one
    started): the money is recorded, kept by the dossier if nothing else paid it, otherwise to refund."""
    return (
        payment.status == Payment.Status.CANCELLED
        and payment.superseded_by_id is not None
        and not payment.callback_data
        and result.outcome == "paid"
    )


def record_in_history(payment: Payment, now: datetime) -> DomainError | None:
    """The paid payment in the dossier's history (same transaction), or why the dossier may not take it."""
    for _attempt in range(3):
        try:
            with transaction.atomic():  # a refused act leaves nothing behind; the payment stays recorded
                dossier_services.record_payment(
                    dossier=Dossier.objects.get(pk=payment.dossier_id),
                    acting_user=gateway_account(),
                    reference=payment.reference,
                    amount_vnd=payment.amount_vnd,
                    provider=payment.provider,
                    now=now,
                )
        except ConflictError:
            continue  # an officer acted in between: read the dossier again
        except DomainError as refusal:
            return refusal
        return None
    return ConflictError(_("Hồ sơ đang được cập nhật liên tục; chưa ghi được khoản thanh toán vào hồ sơ."))
