"""One guard (`dossiers.access.may`): for every act, in every status and situation, for every person,
`available_acts` (the API's `allowed_acts`, the back office's forms) offers the act exactly when its service
accepts it with valid input."""

from collections.abc import Callable

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import services
from motcua.dossiers.access import PAYMENT_GATEWAY_ACCOUNT
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.selectors import available_acts
from motcua.dossiers.states import RULES, Act, Status
from tests.backoffice.helpers import working_moment_later
from tests.dossiers.helpers import at, dossier_in
from tests.dossiers.test_access import police_of
from tests.dossiers.test_refused_transitions import CALLS as REFUSED_CALLS
from tests.factories import Province, make_user

REASON = "Cần xác minh thêm với cơ quan liên quan"


def _assignee(p: Province, d: Dossier) -> User:
    """A specialist of the unit holding the step (a valid assignee whenever assigning is allowed)."""
    unit = d.current_step.unit if d.current_step else p.commune
    return User.objects.filter(role=Role.SPECIALIST, org_unit=unit).first() or p.specialist


# Every act with valid input: only whether the act may happen (and who does it) can make it fail.
CALLS = REFUSED_CALLS | {
    Act.ASSIGN_STEP: lambda p, d, u: services.assign_step(dossier=d, acting_user=u, assignee=_assignee(p, d)),
    Act.RESCHEDULE: lambda p, d, u: services.reschedule(
        dossier=d, acting_user=u, new_appointment_at=working_moment_later(), reason=REASON
    ),
    Act.RECORD_PAYMENT: lambda p, d, u: services.record_payment(
        dossier=d, acting_user=u, reference="BL 0001", amount_vnd=4000, provider="cash"
    ),
    # A unit no situation processes in, so never the asking unit itself.
    Act.CONSULT: lambda p, d, u: services.consult(
        dossier=d, acting_user=u, consulted_units=[p.other_commune], content=REASON, working_days=5
    ),
    Act.ANSWER_CONSULTATION: lambda p, d, u: services.answer_consultation(
        dossier=d, acting_user=u, consultation_id=_question_for(d, u), answer="Thống nhất"
    ),
}


def _question_for(d: Dossier, u: User) -> int:
    """The open consultation `u`'s unit is asked (any open one for an administrator), else any."""
    asked = Consultation.objects.filter(dossier=d).order_by("answered_at", "pk")
    own = asked.filter(consulted_unit_id=u.org_unit_id, answered_at__isnull=True).first()
    return (own or asked.first() or Consultation(pk=0)).pk


def _consulting_the_department(p: Province) -> Dossier:
    d = dossier_in(p, Status.PROCESSING)
    return services.consult(
        dossier=d, acting_user=p.specialist, consulted_units=[p.justice], content=REASON, working_days=5
    )


def _consultation_answered(p: Province) -> Dossier:
    d = _consulting_the_department(p)
    question = Consultation.objects.get(dossier=d)
    return services.answer_consultation(
        dossier=d, acting_user=p.justice_specialist, consultation_id=question.pk, answer="Thống nhất"
    )


def _consulted_then_waiting_for_a_supplement(p: Province) -> Dossier:
    d = _consulting_the_department(p)
    return services.request_supplement(
        dossier=d, acting_user=p.specialist, missing=["Giấy chứng sinh"], reason="Thiếu giấy"
    )


def _at_approval(p: Province) -> Dossier:
    return services.complete_step(dossier=dossier_in(p, Status.PROCESSING), acting_user=p.specialist)


def _steps_done(p: Province) -> Dossier:
    return services.approve(dossier=_at_approval(p), acting_user=p.leader)


def _asked_to_complete(p: Province) -> Dossier:
    d = dossier_in(p, Status.NEW_ONLINE)
    return services.ask_to_complete(dossier=d, acting_user=p.counter, missing=["Tờ khai"], reason="Thiếu")


def _rescheduled(p: Province) -> Dossier:
    d = dossier_in(p, Status.PROCESSING)  # received March 2026: overdue, so at risk
    return services.reschedule(
        dossier=d, acting_user=p.leader, new_appointment_at=working_moment_later(), reason=REASON
    )


def _not_at_risk(p: Province) -> Dossier:
    return p.processing()  # received now: three working days left


def _assigned(p: Province) -> Dossier:
    d = dossier_in(p, Status.PROCESSING)
    return services.assign_step(dossier=d, acting_user=p.leader, assignee=p.specialist)


def _at_the_police(p: Province) -> Dossier:
    return p.processing(police_of(p).procedure, now=at(0))


def _at_the_department(p: Province) -> Dossier:
    d = p.processing(p.inter_agency, now=at(0))
    return services.complete_step(dossier=d, acting_user=p.specialist, now=at(1))


def _partly_paid(p: Province) -> Dossier:
    d = dossier_in(p, Status.PROCESSING)
    return services.record_payment(
        dossier=d, acting_user=p.counter, reference="BL 1", amount_vnd=6000, provider="cash"
    )


def _paid(p: Province) -> Dossier:
    d = dossier_in(p, Status.PROCESSING)
    return services.record_payment(
        dossier=d, acting_user=p.counter, reference="BL 1", amount_vnd=10000, provider="cash"
    )


SITUATIONS: dict[str, Callable[[Province], Dossier]] = {
    **{f"status-{s.value}": (lambda p, s=s: dossier_in(p, s)) for s in Status if s != Status.DRAFT},
    "at-the-approval-step": _at_approval,
    "every-step-done": _steps_done,
    "asked-to-complete-once": _asked_to_complete,
    "rescheduled-once": _rescheduled,
    "not-at-risk": _not_at_risk,
    "assigned-to-a-specialist": _assigned,
    "at-the-commune-police": _at_the_police,
    "at-the-department": _at_the_department,
    "partly-paid": _partly_paid,
    "paid": _paid,
    "consulting-the-department": _consulting_the_department,
    "consultation-answered": _consultation_answered,
    "consulted-then-supplement": _consulted_then_waiting_for_a_supplement,
}


@pytest.fixture
def province(module_province, db) -> Province:
    # The 24 situations' tests build their dossiers on one province (tests/conftest.py module_province).
    return module_province


class _Undo(Exception):
    pass


def refusal_of(act: Act, p: Province, dossier: Dossier, person: User) -> DomainError | None:
    """Run the act's service and undo it: None when it accepted the act, else its refusal."""
    try:
        with transaction.atomic():
            CALLS[act](p, Dossier.objects.get(pk=dossier.pk), person)
            raise _Undo
    except _Undo:
        return None
    except DomainError as refusal:
        return refusal


def test_every_act_is_tried():
    creation = {Act.SUBMIT_ONLINE, Act.RECEIVE, Act.REFUSE_AT_COUNTER}
    assert set(CALLS) == set(RULES) - creation


@pytest.mark.parametrize("situation", SITUATIONS)
def test_an_act_is_offered_exactly_when_its_service_accepts_it(province, situation):
    p = province
    dossier = SITUATIONS[situation](p)
    police = User.objects.filter(org_unit=p.commune_police)
    people = [
        *(
            getattr(p, name)
            for name in ("citizen", "other_citizen", "counter", "center_counter", "other_counter")
        ),
        *(getattr(p, name) for name in ("specialist", "leader", "justice_specialist", "justice_leader")),
        *police,
        p.admin,
        p.system,
        make_user(PAYMENT_GATEWAY_ACCOUNT, Role.SYSTEM),
    ]
    mismatches = []
    offered_to_someone = set()
    for person in people:
        offered = set(available_acts(person, Dossier.objects.get(pk=dossier.pk), now=timezone.now()))
        offered_to_someone |= offered
        for act in CALLS:
            refusal = refusal_of(act, p, dossier, person)
            if (act in offered) != (refusal is None):
                mismatches.append((person.username, act.value, refusal.code if refusal else "accepted"))
    assert mismatches == []
    # Whatever its status allows is done by someone, unless it needs something the dossier lacks now.
    assert offered_to_someone <= {act for act, rule in RULES.items() if dossier.status in rule.sources}
