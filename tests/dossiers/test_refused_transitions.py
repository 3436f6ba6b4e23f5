"""Every act refused from every status the state machine does not allow it from, changing nothing."""

import pytest

from motcua.core.errors import InvalidTransition
from motcua.dossiers import services
from motcua.dossiers.models import Reschedule
from motcua.dossiers.states import RULES, Act, Status
from tests.dossiers.helpers import at, dossier_in
from tests.factories import Province

CALLS = {
    Act.ACCEPT: lambda p, d, u: services.accept(dossier=d, acting_user=u),
    Act.REFUSE_RECEPTION: lambda p, d, u: services.refuse_reception(dossier=d, acting_user=u, reason="x"),
    Act.ASK_TO_COMPLETE: lambda p, d, u: services.ask_to_complete(
        dossier=d, acting_user=u, missing=["a"], reason="x"
    ),
    Act.START_PROCESSING: lambda p, d, u: services.start_processing(dossier=d, acting_user=u),
    Act.ASSIGN_STEP: lambda p, d, u: services.assign_step(dossier=d, acting_user=u, assignee=p.specialist),
    Act.COMPLETE_STEP: lambda p, d, u: services.complete_step(dossier=d, acting_user=u),
    Act.RETURN_STEP: lambda p, d, u: services.return_step(dossier=d, acting_user=u, reason="x"),
    Act.APPROVE: lambda p, d, u: services.approve(dossier=d, acting_user=u),
    Act.REQUEST_SUPPLEMENT: lambda p, d, u: services.request_supplement(
        dossier=d, acting_user=u, missing=["a"], reason="x"
    ),
    Act.COMPLETE_SUPPLEMENT: lambda p, d, u: services.complete_supplement(dossier=d, acting_user=u),
    Act.REQUEST_FINANCIAL_OBLIGATION: lambda p, d, u: services.request_financial_obligation(
        dossier=d, acting_user=u, reason="x"
    ),
    Act.FULFIL_FINANCIAL_OBLIGATION: lambda p, d, u: services.fulfil_financial_obligation(
        dossier=d, acting_user=u
    ),
    Act.RESCHEDULE: lambda p, d, u: services.reschedule(
        dossier=d, acting_user=u, new_appointment_at=at(500), reason="Cần xác minh thêm với cơ quan liên quan"
    ),
    Act.ISSUE_RESULT: lambda p, d, u: services.issue_result(dossier=d, acting_user=u),
    Act.REFUSE: lambda p, d, u: services.refuse(dossier=d, acting_user=u, reason="x"),
    Act.WITHDRAW: lambda p, d, u: services.withdraw(dossier=d, acting_user=u, reason="x"),
    Act.RETURN_RESULT: lambda p, d, u: services.return_result(dossier=d, acting_user=u),
    Act.RECORD_PAYMENT: lambda p, d, u: services.record_payment(
        dossier=d, acting_user=u, reference="TT1", amount_vnd=10000, provider="cash"
    ),
    Act.CONSULT: lambda p, d, u: services.consult(
        dossier=d, acting_user=u, consulted_units=[p.other_commune], content="x", working_days=3
    ),
    Act.ANSWER_CONSULTATION: lambda p, d, u: services.answer_consultation(
        dossier=d, acting_user=u, consultation_id=0, answer="x"
    ),
}


@pytest.fixture
def province(module_province, db) -> Province:
    # The 151 tests build their dossiers on one province (tests/conftest.py module_province).
    return module_province


STATUSES = [s for s in Status if s != Status.DRAFT]
REFUSED = [(act, status) for act in CALLS for status in STATUSES if status not in RULES[act].sources]


def test_every_act_on_an_existing_dossier_is_covered():
    creation = {Act.SUBMIT_ONLINE, Act.RECEIVE, Act.REFUSE_AT_COUNTER}
    assert set(CALLS) == set(Act) - creation


@pytest.mark.parametrize(("act", "status"), REFUSED, ids=[f"{a.value}-from-{s.value}" for a, s in REFUSED])
def test_refused(province, act, status):
    dossier = dossier_in(province, status)
    events_before = dossier.events.count()
    # The center administrator may do any act, so only the state machine can refuse here.
    with pytest.raises(InvalidTransition):
        CALLS[act](province, dossier, province.admin)
    dossier.refresh_from_db()
    assert dossier.status == status
    assert dossier.events.count() == events_before
    assert not Reschedule.objects.filter(dossier=dossier).exists()
