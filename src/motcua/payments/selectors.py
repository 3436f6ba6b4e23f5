"""Reads of payments for the dossier pages (portal, back office) and the quality indicators."""

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.payments.models import Payment
from motcua.payments.services import PAYABLE_STATUSES, amount_due, fees_total

__all__ = ["PaymentState", "payment_state", "payments_of"]


def payments_of(dossier: Dossier) -> QuerySet[Payment]:
    return dossier.payments.order_by("-created_at")


@dataclass(frozen=True)
class PaymentState:
    fees_total: int
    amount_due: int
    paid: Payment | None
    payments: list[Payment]
    can_pay: bool


def payment_state(dossier: Dossier) -> PaymentState:
    """The dossier's fees, what is still due, the paid payment if any, and every attempt."""
    payments = list(payments_of(dossier))
    paid = next((p for p in payments if p.status == Payment.Status.PAID), None)
    due = amount_due(dossier)
    return PaymentState(
        fees_total=fees_total(dossier),
        amount_due=due,
        paid=paid,
        payments=payments,
        can_pay=due > 0 and dossier.status in PAYABLE_STATUSES,
    )
