"""The legal acts on a dossier as API endpoints: `POST /api/v1/dossiers/{code}/{act}`.

Each act has its own small input serializer whose fields are the service's keyword arguments, plus the
`version` the client last saw: the service refuses with 409 `conflict` when someone acted in between.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from motcua.core.models import OrgUnit, User
from motcua.core.roles import OFFICER_ROLES
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Act


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time with its UTC offset; a naive one is ambiguous and refused."""

    default_error_messages = {
        "naive": _("Thời điểm phải ghi rõ múi giờ, ví dụ 2026-03-10T16:00:00+07:00."),
    }

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


def _reason() -> serializers.CharField:
    return serializers.CharField(max_length=4000, help_text="Shown to the applicant and kept in the history.")


def _text(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="", help_text=help_text
    )


def _missing() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=500),
        help_text="Every missing or incomplete document, listed once and fully (form 02).",
    )


class ActInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        min_value=1, help_text="The dossier's version the client last saw; a stale one gets 409 conflict."
    )


class AcceptInput(ActInput):
    pass


class RefuseReceptionInput(ActInput):
    reason = _reason()


class AskToCompleteInput(ActInput):
    missing = _missing()
    reason = _reason()


class StartProcessingInput(ActInput):
    pass


class AssignStepInput(ActInput):
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True, role__in=OFFICER_ROLES),
        error_messages={"does_not_exist": _("Không có cán bộ có tên đăng nhập “{value}”.")},
        help_text="Username of a specialist or leader of the unit holding the current step.",
    )


class CompleteStepInput(ActInput):
    opinion = _text("The officer's opinion on the step (control slip).")


class ReturnStepInput(ActInput):
    reason = _reason()


class ApproveInput(ActInput):
    opinion = _text("The leader's opinion.")


class RequestSupplementInput(ActInput):
    missing = _missing()
    reason = _reason()


class CompleteSupplementInput(ActInput):
    note = _text("What was supplemented.")


class RequestFinancialObligationInput(ActInput):
    reason = _reason()


class FulfilFinancialObligationInput(ActInput):
    note = _text("Receipt or payment reference.")


class RescheduleInput(ActInput):
    new_appointment_at = AwareDateTimeField(help_text="The new appointment, with its UTC offset.")
    reason = _reason()


class IssueResultInput(ActInput):
    note = _text("Note on the result.")


class RefuseInput(ActInput):
    reason = _reason()


class WithdrawInput(ActInput):
    reason = _reason()


class ReturnResultInput(ActInput):
    note = _text("How the result was returned.")


class RecordPaymentInput(ActInput):
    reference = serializers.CharField(max_length=100, help_text="Receipt or transaction reference.")
    amount_vnd = serializers.IntegerField(min_value=1, help_text="Amount paid, in đồng.")
    provider = serializers.CharField(
        max_length=40, default="cash", help_text="cash, bank transfer, gateway..."
    )


class ConsultInput(ActInput):
    consulted_units = serializers.ListField(
        child=serializers.SlugRelatedField(
            slug_field="code",
            queryset=OrgUnit.objects.all(),
            error_messages={"does_not_exist": _("Không có cơ quan có mã “{value}”.")},
        ),
        max_length=20,
        help_text="Codes of the units asked for their opinion (active, not the unit asking).",
    )
    content = serializers.CharField(max_length=5000, allow_blank=True, help_text="What the units are asked.")
    working_days = serializers.IntegerField(
        help_text="Working days to answer (1 to 30) on the working calendar."
    )


class AnswerConsultationInput(ActInput):
    consultation_id = serializers.IntegerField(
        help_text="The consultation answered (the dossier's `consultations[].id`, open, asked of your unit)."
    )
    answer = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="The consulted unit's opinion."
    )


@dataclass(frozen=True)
class ActEndpoint:
    act: Act
    input: type[ActInput]
    summary: str

    @property
    def service(self) -> Callable[..., Dossier]:
        return services.ACT_SERVICES[self.act]

    @property
    def slug(self) -> str:
        return self.act.value.replace("_", "-")


ENDPOINTS = [
    ActEndpoint(Act.ACCEPT, AcceptInput, "Accept an online dossier (status 1 → 2)"),
    ActEndpoint(Act.REFUSE_RECEPTION, RefuseReceptionInput, "Refuse reception (1 → 3)"),
    ActEndpoint(
        Act.ASK_TO_COMPLETE,
        AskToCompleteInput,
        "Ask the online applicant to complete the dossier (stays 1)",
    ),
    ActEndpoint(
        Act.START_PROCESSING,
        StartProcessingInput,
        "Hand over to the deciding agency (2 → 4)",
    ),
    ActEndpoint(Act.ASSIGN_STEP, AssignStepInput, "Assign the current step"),
    ActEndpoint(Act.COMPLETE_STEP, CompleteStepInput, "Finish the current step"),
    ActEndpoint(Act.RETURN_STEP, ReturnStepInput, "Send back to the previous step"),
    ActEndpoint(Act.APPROVE, ApproveInput, "Approve (leader's approval step)"),
    ActEndpoint(
        Act.REQUEST_SUPPLEMENT,
        RequestSupplementInput,
        "Request a supplement, form 02 (4 → 5)",
    ),
    ActEndpoint(
        Act.COMPLETE_SUPPLEMENT,
        CompleteSupplementInput,
        "Supplement received; the clock restarts (5 → 4)",
    ),
    ActEndpoint(
        Act.REQUEST_FINANCIAL_OBLIGATION,
        RequestFinancialObligationInput,
        "Request the financial obligation (4 → 6)",
    ),
    ActEndpoint(
        Act.FULFIL_FINANCIAL_OBLIGATION,
        FulfilFinancialObligationInput,
        "Financial obligation fulfilled (6 → 4)",
    ),
    ActEndpoint(Act.RESCHEDULE, RescheduleInput, "Apology letter with a new date, form 04"),
    ActEndpoint(Act.ISSUE_RESULT, IssueResultInput, "Result ready (4 → 9)"),
    ActEndpoint(Act.REFUSE, RefuseInput, "Refuse after appraisal (→ 8)"),
    ActEndpoint(Act.WITHDRAW, WithdrawInput, "Withdrawn by the applicant (→ 7)"),
    ActEndpoint(Act.RETURN_RESULT, ReturnResultInput, "Result returned (→ 10)"),
    ActEndpoint(Act.RECORD_PAYMENT, RecordPaymentInput, "Record a fee payment"),
    ActEndpoint(Act.CONSULT, ConsultInput, "Ask other agencies for their opinion (xin ý kiến; stays 4)"),
    ActEndpoint(
        Act.ANSWER_CONSULTATION,
        AnswerConsultationInput,
        "Answer a consultation asked of your unit (status unchanged; late after its deadline)",
    ),
]
