"""Reads of payments for the dossier pages (portal, back office) and the quality indicators."""

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.payments.gateways import gateway_available
from motcua.payments.models import Payment
from motcua.payments.services import PAYABLE_STATUSES, amount_due, fees_total

__all__ = ["PaymentState", "payment_state", "payments_of", "payments_to_refund"]


def payments_of(dossier: Dossier) -> QuerySet[Payment]:
    return dossier.payments.order_by("-created_at")


def payments_to_refund() -> QuerySet[Payment]:
    """Money taken that no dossier keeps (withdrawn or refused meanwhile, already paid, more than due)."""
    return Payment.objects.filter(needs_refund=True).select_related("dossier").order_by("-paid_at")


@dataclass(frozen=True)
class PaymentState:
    fees_total: int
    amount_due: int
    paid: Payment | None
    payments: list[Payment]
    can_pay: bool
    to_refund: list[Payment]


def payment_state(dossier: Dossier) -> PaymentState:
    """The dossier's fees, what is still due, the paid payment it keeps if any, every attempt, and the
    payments taken that it may not keep (to be refunded by the counter officer or administrator)."""
    payments = list(payments_of(dossier))
    paid = next((p for p in payments if p.status == Payment.Status.PAID and not p.needs_refund), None)
    due = amount_due(dossier)
    return PaymentState(
        fees_total=fees_total(dossier),
        amount_due=due,
        paid=paid,
        payments=payments,
        can_pay=due > 0 and dossier.status in PAYABLE_STATUSES and gateway_available(),
        to_refund=[p for p in payments if p.needs_refund],
    )
