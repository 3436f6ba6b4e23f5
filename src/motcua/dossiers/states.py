"""THE dossier state machine: statuses (DVCQG TrangThaiHoSo codes), acts, and who may perform them.

Every status change of a dossier goes through `next_status()`; `dossiers.services` holds one function
per act and is the only writer of `Dossier.status`.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import InvalidTransition
from motcua.core.i18n import interpolate
from motcua.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Status(models.IntegerChoices):
    DRAFT = 0, _("Bản nháp (chưa nộp)")
    NEW_ONLINE = 1, _("Mới đăng ký trực tuyến, chờ tiếp nhận")
    ACCEPTED = 2, _("Đã tiếp nhận")
    NOT_ACCEPTED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    FINANCIAL_OBLIGATION = 6, _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý / từ chối giải quyết")
    FINISHED = 9, _("Đã xử lý xong, chờ trả kết quả")
    RETURNED = 10, _("Đã trả kết quả")


TERMINAL = frozenset({Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.RETURNED})
PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION})
# The first of these ends the dossier's clock for the early/on-time/late test.
ENDING = frozenset({Status.FINISHED, Status.RETURNED, Status.STOPPED})


class Act(StrEnum):
    SUBMIT_ONLINE = "submit_online"
    RECEIVE = "receive"
    REFUSE_AT_COUNTER = "refuse_at_counter"
    ACCEPT = "accept"
    REFUSE_RECEPTION = "refuse_reception"
    ASK_TO_COMPLETE = "ask_to_complete"
    START_PROCESSING = "start_processing"
    ASSIGN_STEP = "assign_step"
    COMPLETE_STEP = "complete_step"
    RETURN_STEP = "return_step"
    APPROVE = "approve"
    REQUEST_SUPPLEMENT = "request_supplement"
    COMPLETE_SUPPLEMENT = "complete_supplement"
    REQUEST_FINANCIAL_OBLIGATION = "request_financial_obligation"
    FULFIL_FINANCIAL_OBLIGATION = "fulfil_financial_obligation"
    RESCHEDULE = "reschedule"
    ISSUE_RESULT = "issue_result"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    RETURN_RESULT = "return_result"
    RECORD_PAYMENT = "record_payment"
    CONSULT = "consult"
    ANSWER_CONSULTATION = "answer_consultation"


class Scope(StrEnum):
    """Whose dossier the actor must be responsible for."""

    INTAKE = "intake"  # creating a dossier at the actor's own unit or for themselves
    RECEIVING_UNIT = "receiving_unit"  # the one-stop section that received it
    CURRENT_STEP = "current_step"  # the unit holding an active processing step (several in a parallel stage)
    CONSULTED_UNIT = "consulted_unit"  # a unit asked for its opinion on the dossier, not answered yet
    APPLICANT = "applicant"  # the applicant's own account
    PAYMENT_GATEWAY = "payment_gateway"  # the payment gateway's system account, on a verified callback


@dataclass(frozen=True)
class Rule:
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (step moves, rescheduling)
    grants: tuple[tuple[Role, Scope], ...]


def _rule(sources: set[Status], target: Status | None, *grants: tuple[Role, Scope]) -> Rule:
    return Rule(frozenset(sources), target, grants)


S = Status
COUNTER = (Role.COUNTER_OFFICER, Scope.RECEIVING_UNIT)
SPECIALIST = (Role.SPECIALIST, Scope.CURRENT_STEP)
LEADER = (Role.UNIT_LEADER, Scope.CURRENT_STEP)
APPLICANT = (Role.CITIZEN, Scope.APPLICANT)
GATEWAY = (Role.SYSTEM, Scope.PAYMENT_GATEWAY)
CONSULTED = ((Role.SPECIALIST, Scope.CONSULTED_UNIT), (Role.UNIT_LEADER, Scope.CONSULTED_UNIT))
NO_DOSSIER_YET = {S.DRAFT}

RULES: dict[Act, Rule] = {
    Act.SUBMIT_ONLINE: _rule(
        NO_DOSSIER_YET, S.NEW_ONLINE, (Role.CITIZEN, Scope.INTAKE), (Role.SYSTEM, Scope.INTAKE)
    ),
    Act.RECEIVE: _rule(NO_DOSSIER_YET, S.ACCEPTED, (Role.COUNTER_OFFICER, Scope.INTAKE)),
    Act.REFUSE_AT_COUNTER: _rule(NO_DOSSIER_YET, S.NOT_ACCEPTED, (Role.COUNTER_OFFICER, Scope.INTAKE)),
    Act.ACCEPT: _rule({S.NEW_ONLINE}, S.ACCEPTED, COUNTER),
    Act.REFUSE_RECEPTION: _rule({S.NEW_ONLINE}, S.NOT_ACCEPTED, COUNTER),
    Act.ASK_TO_COMPLETE: _rule({S.NEW_ONLINE}, None, COUNTER),
    Act.START_PROCESSING: _rule({S.ACCEPTED}, S.PROCESSING, COUNTER),
    Act.ASSIGN_STEP: _rule({S.PROCESSING}, None, LEADER),
    Act.COMPLETE_STEP: _rule({S.PROCESSING}, None, SPECIALIST, LEADER),
    Act.RETURN_STEP: _rule({S.PROCESSING}, None, SPECIALIST, LEADER),
    Act.APPROVE: _rule({S.PROCESSING}, None, LEADER),
    Act.REQUEST_SUPPLEMENT: _rule({S.PROCESSING}, S.SUPPLEMENT_REQUESTED, SPECIALIST, LEADER, COUNTER),
    Act.COMPLETE_SUPPLEMENT: _rule({S.SUPPLEMENT_REQUESTED}, S.PROCESSING, COUNTER, APPLICANT),
    Act.REQUEST_FINANCIAL_OBLIGATION: _rule({S.PROCESSING}, S.FINANCIAL_OBLIGATION, SPECIALIST, LEADER),
    Act.FULFIL_FINANCIAL_OBLIGATION: _rule(
        {S.FINANCIAL_OBLIGATION}, S.PROCESSING, COUNTER, SPECIALIST, LEADER
    ),
    # An apology letter is for a dossier that will be late: not one settled or paused (docs/domain.md).
    Act.RESCHEDULE: _rule({S.ACCEPTED, S.PROCESSING}, None, SPECIALIST, LEADER, COUNTER),
    Act.ISSUE_RESULT: _rule({S.PROCESSING}, S.FINISHED, SPECIALIST, LEADER),
    # Refusal after appraisal (status 8) is decided by the leader of the unit holding the step, not by a
    # specialist alone.
    Act.REFUSE: _rule({S.PROCESSING, S.SUPPLEMENT_REQUESTED}, S.STOPPED, LEADER),
    # Withdrawal is the applicant's right until the result: also an online dossier not yet received (1).
    Act.WITHDRAW: _rule(
        {S.NEW_ONLINE, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION},
        S.WITHDRAWN,
        COUNTER,
        APPLICANT,
    ),
    Act.RETURN_RESULT: _rule({S.FINISHED, S.STOPPED}, S.RETURNED, COUNTER),
    # A fee paid is part of the dossier's history: recorded by the counter officer who took it, or by the
    # payment gateway's settlement of a verified callback; never by the applicant (`access.may`: only a
    # dossier with a fee, for at most what is due).
    Act.RECORD_PAYMENT: _rule(
        {S.NEW_ONLINE, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION, S.FINISHED},
        None,
        COUNTER,
        GATEWAY,
    ),
    # Asking another agency's opinion is part of the processing step (xin ý kiến); the consulted unit answers
    # even while the dossier waits on the applicant (docs/domain.md "Processing").
    Act.CONSULT: _rule({S.PROCESSING}, None, SPECIALIST, LEADER),
    Act.ANSWER_CONSULTATION: _rule(
        {S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION}, None, *CONSULTED
    ),
}

# Center administrators may perform any act on any dossier of the province (acting for an absent officer).
ADMIN_ROLE = Role.CENTER_ADMIN


def next_status(act: Act, current: int) -> Status:
    """The status after `act` from `current`, or InvalidTransition with a message for people."""
    rule = RULES[act]
    if current not in rule.sources:
        raise InvalidTransition(
            interpolate(
                _("Không thể thực hiện “%(act)s” khi hồ sơ đang ở trạng thái “%(status)s”."),
                {"act": ACT_LABELS[act], "status": Status(current).label},
            ),
            act=act.value,
            status=int(current),
        )
    return rule.target if rule.target is not None else Status(current)


def allowed_acts(current: int) -> list[Act]:
    return [act for act, rule in RULES.items() if current in rule.sources]


ACT_LABELS: dict[Act, "StrPromise"] = {
    Act.SUBMIT_ONLINE: _("nộp hồ sơ trực tuyến"),
    Act.RECEIVE: _("tiếp nhận hồ sơ"),
    Act.REFUSE_AT_COUNTER: _("từ chối tiếp nhận tại quầy"),
    Act.ACCEPT: _("tiếp nhận hồ sơ trực tuyến"),
    Act.REFUSE_RECEPTION: _("từ chối tiếp nhận"),
    Act.ASK_TO_COMPLETE: _("hướng dẫn bổ sung khi tiếp nhận"),
    Act.START_PROCESSING: _("chuyển xử lý"),
    Act.ASSIGN_STEP: _("phân công xử lý"),
    Act.COMPLETE_STEP: _("chuyển bước tiếp theo"),
    Act.RETURN_STEP: _("trả lại bước trước"),
    Act.APPROVE: _("phê duyệt"),
    Act.REQUEST_SUPPLEMENT: _("yêu cầu bổ sung hồ sơ"),
    Act.COMPLETE_SUPPLEMENT: _("nhận hồ sơ bổ sung"),
    Act.REQUEST_FINANCIAL_OBLIGATION: _("yêu cầu thực hiện nghĩa vụ tài chính"),
    Act.FULFIL_FINANCIAL_OBLIGATION: _("xác nhận hoàn thành nghĩa vụ tài chính"),
    Act.RESCHEDULE: _("xin lỗi và hẹn lại ngày trả kết quả"),
    Act.ISSUE_RESULT: _("hoàn thành xử lý, có kết quả"),
    Act.REFUSE: _("từ chối giải quyết"),
    Act.WITHDRAW: _("rút hồ sơ"),
    Act.RETURN_RESULT: _("trả kết quả"),
    Act.RECORD_PAYMENT: _("ghi nhận thanh toán phí, lệ phí"),
    Act.CONSULT: _("xin ý kiến cơ quan khác"),
    Act.ANSWER_CONSULTATION: _("trả lời xin ý kiến"),
}
