"""Every legal act on a dossier, one function each. The only writer of `Dossier.status`.

Each act runs in one transaction: it locks the dossier row and checks that nobody changed it since the
caller loaded it (`version`), checks the actor's role and scope and the state machine, writes the change,
appends an immutable event and enqueues the side effects (outbox), dispatched after commit.
"""

from collections.abc import Callable
from datetime import datetime

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from motcua.catalog.selectors import format_vnd
from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import User
from motcua.dossiers.access import fees_outstanding
from motcua.dossiers.consultations import answer_consultation, consult, withdraw_open
from motcua.dossiers.intake import (
    Applicant,
    Intake,
    ProvidedComponent,
    _require_reason,
    guide_at_counter,
    level_received_at,
    receive,
    refuse_at_counter,
    start_clock,
    start_transfer,
    submit_online,
)
from motcua.dossiers.lifecycle import apply_act, require_items
from motcua.dossiers.models import Dossier
from motcua.dossiers.pauses import (
    SuppliedItem,
    close_open_pauses,
    complete_supplement,
    fulfil_financial_obligation,
    open_supplement_items,
    request_financial_obligation,
    request_supplement,
    reschedule,
    supplement_component,
)
from motcua.dossiers.payloads import CompletionAsked, PaymentRecorded, SupplementItem
from motcua.dossiers.processing import approve, assign_step, complete_step, return_step, start_processing
from motcua.dossiers.states import Act

__all__ = [
    "ACT_SERVICES",
    "Applicant",
    "Intake",
    "ProvidedComponent",
    "SupplementItem",
    "SuppliedItem",
    "accept",
    "answer_consultation",
    "approve",
    "ask_to_complete",
    "assign_step",
    "complete_step",
    "complete_supplement",
    "consult",
    "fulfil_financial_obligation",
    "guide_at_counter",
    "issue_result",
    "level_received_at",
    "open_supplement_items",
    "receive",
    "record_payment",
    "refuse",
    "refuse_at_counter",
    "refuse_reception",
    "request_financial_obligation",
    "request_supplement",
    "reschedule",
    "return_result",
    "return_step",
    "start_processing",
    "submit_online",
    "supplement_component",
    "withdraw",
]

lazy_vnd = lazy(format_vnd, str)  # amounts in a message shown later, in the reader's language


# --- reception of online dossiers ------------------------------------------------------------------


def accept(*, dossier: Dossier, acting_user: User, now: datetime | None = None) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        start_clock(d, at)
        start_transfer(d, at)
        return ["received_at", "clock_started_at", "appointment_at", "original_appointment_at"]

    return apply_act(dossier=dossier, acting_user=acting_user, act=Act.ACCEPT, change=change, now=now)


def refuse_reception(
    *, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None
) -> Dossier:
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        d.closed_at = at
        return ["closed_at"]

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.REFUSE_RECEPTION,
        change=change,
        now=now,
        reason=reason,
    )


def ask_to_complete(
    *, dossier: Dossier, acting_user: User, missing: list[str], reason: str, now: datetime | None = None
) -> Dossier:
    """Tell the online applicant, once and fully (`access.may`), everything missing (status stays 1)."""
    _require_reason(reason)
    require_items(missing)

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.ASK_TO_COMPLETE,
        now=now,
        reason=reason,
        payload=CompletionAsked(tuple(missing)),
    )


# --- ending ----------------------------------------------------------------------------------------


def issue_result(
    *, dossier: Dossier, acting_user: User, note: str = "", now: datetime | None = None
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:  # every step done: the one guard checked it
        withdraw_open(d, at)
        d.ended_at = at  # the signed electronic result follows after commit (documents.results)
        return ["ended_at"]

    return apply_act(
        dossier=dossier, acting_user=acting_user, act=Act.ISSUE_RESULT, change=change, now=now, reason=note
    )


def refuse(*, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None) -> Dossier:
    """Refusal after appraisal (status 8): decided by the leader of the unit holding the step (not by a
    specialist alone, `states.RULES`); the reason goes to the applicant."""
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        close_open_pauses(d, at)
        withdraw_open(d, at)
        d.ended_at = at
        return ["ended_at"]

    return apply_act(
        dossier=dossier, acting_user=acting_user, act=Act.REFUSE, change=change, now=now, reason=reason
    )


def withdraw(*, dossier: Dossier, acting_user: User, reason: str, now: datetime | None = None) -> Dossier:
    _require_reason(reason)

    def change(d: Dossier, at: datetime) -> list[str]:
        close_open_pauses(d, at)
        withdraw_open(d, at)
        d.closed_at = at
        return ["closed_at"]

    return apply_act(
        dossier=dossier, acting_user=acting_user, act=Act.WITHDRAW, change=change, now=now, reason=reason
    )


def return_result(
    *, dossier: Dossier, acting_user: User, note: str = "", now: datetime | None = None
) -> Dossier:
    def change(d: Dossier, at: datetime) -> list[str]:
        d.returned_at = d.closed_at = at
        return ["returned_at", "closed_at"]

    return apply_act(
        dossier=dossier, acting_user=acting_user, act=Act.RETURN_RESULT, change=change, now=now, reason=note
    )


def record_payment(
    *,
    dossier: Dossier,
    acting_user: User,
    reference: str,
    amount_vnd: int,
    provider: str,
    now: datetime | None = None,
) -> Dossier:
    """A fee paid for the dossier, recorded in its history: by the counter officer who took it, or by the
    payment gateway's settlement of a verified callback (never by the applicant).

    Only for a dossier with a fee for its channel, and for at most what is still due
    (`access.fees_outstanding`: the published fees minus the payments already recorded); a part of it is
    allowed, more is not.
    It does not by itself end a financial-obligation pause: an officer confirms that with
    `fulfil_financial_obligation` once the obligation (tax, fee) is settled in full."""
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or amount_vnd <= 0:
        raise ValidationFailed(
            _("Số tiền thanh toán phải lớn hơn 0."), fields={"amount_vnd": FieldError("positive")}
        )
    if not reference or not reference.strip():
        raise ValidationFailed(
            _("Vui lòng ghi số biên lai hoặc mã giao dịch."), fields={"reference": FieldError("required")}
        )

    def change(d: Dossier, at: datetime) -> list[str]:
        due = fees_outstanding(d)
        if due is not None and amount_vnd > due:
            raise ValidationFailed(
                interpolate(
                    _("Số tiền %(amount)s vượt quá số phí, lệ phí hồ sơ còn phải nộp (%(due)s)."),
                    {"amount": lazy_vnd(amount_vnd), "due": lazy_vnd(due)},
                ),
                code="amount_over_due",
                fields={"amount_vnd": FieldError("over_due")},
                amount_due=due,
            )
        return []

    return apply_act(
        dossier=dossier,
        acting_user=acting_user,
        act=Act.RECORD_PAYMENT,
        change=change,
        now=now,
        payload=PaymentRecorded(reference.strip(), amount_vnd, provider),
    )


# The one table from an act on an existing dossier to its service: the back office's act forms and the
# API's act endpoints call `ACT_SERVICES[act]`. Reception acts (SUBMIT_ONLINE, RECEIVE, REFUSE_AT_COUNTER)
# create the dossier and go through `motcua.intake`.
ACT_SERVICES: dict[Act, Callable[..., Dossier]] = {
    Act.ACCEPT: accept,
    Act.REFUSE_RECEPTION: refuse_reception,
    Act.ASK_TO_COMPLETE: ask_to_complete,
    Act.START_PROCESSING: start_processing,
    Act.ASSIGN_STEP: assign_step,
    Act.COMPLETE_STEP: complete_step,
    Act.RETURN_STEP: return_step,
    Act.APPROVE: approve,
    Act.REQUEST_SUPPLEMENT: request_supplement,
    Act.COMPLETE_SUPPLEMENT: complete_supplement,
    Act.REQUEST_FINANCIAL_OBLIGATION: request_financial_obligation,
    Act.FULFIL_FINANCIAL_OBLIGATION: fulfil_financial_obligation,
    Act.RESCHEDULE: reschedule,
    Act.ISSUE_RESULT: issue_result,
    Act.REFUSE: refuse,
    Act.WITHDRAW: withdraw,
    Act.RETURN_RESULT: return_result,
    Act.RECORD_PAYMENT: record_payment,
    Act.CONSULT: consult,
    Act.ANSWER_CONSULTATION: answer_consultation,
}
