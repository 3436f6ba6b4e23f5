"""The state machine is docs/domain.md's status table, and nothing else."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.errors import InvalidTransition
from motcua.dossiers.states import RULES, TERMINAL, Act, Status, allowed_acts, next_status

S = Status
# docs/domain.md "Statuses": code → the codes it may move to.
DOMAIN_TABLE = {
    S.NEW_ONLINE: {S.ACCEPTED, S.NOT_ACCEPTED, S.WITHDRAWN},  # withdrawn before reception (#13 item 5)
    S.ACCEPTED: {S.PROCESSING, S.WITHDRAWN},
    S.NOT_ACCEPTED: set(),
    S.PROCESSING: {S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION, S.STOPPED, S.FINISHED, S.WITHDRAWN},
    S.SUPPLEMENT_REQUESTED: {S.PROCESSING, S.WITHDRAWN, S.STOPPED},
    S.FINANCIAL_OBLIGATION: {S.PROCESSING, S.WITHDRAWN},
    S.WITHDRAWN: set(),
    S.STOPPED: {S.RETURNED},
    S.FINISHED: {S.RETURNED},
    S.RETURNED: set(),
}


def test_every_status_change_is_in_the_domain_table():
    edges: dict[Status, set[Status]] = {status: set() for status in DOMAIN_TABLE}
    for rule in RULES.values():
        for source in rule.sources - {S.DRAFT}:
            if rule.target is not None and rule.target != source:
                edges[source].add(rule.target)
    assert edges == DOMAIN_TABLE


def test_creation_acts_start_in_the_right_status():
    assert next_status(Act.SUBMIT_ONLINE, S.DRAFT) == S.NEW_ONLINE
    assert next_status(Act.RECEIVE, S.DRAFT) == S.ACCEPTED
    assert next_status(Act.REFUSE_AT_COUNTER, S.DRAFT) == S.NOT_ACCEPTED


@pytest.mark.parametrize("status", list(TERMINAL))
def test_terminal_statuses_allow_nothing(status):
    assert allowed_acts(status) == []


def test_rescheduling_and_step_moves_keep_the_status():
    for act in (Act.RESCHEDULE, Act.COMPLETE_STEP, Act.RETURN_STEP, Act.APPROVE, Act.ASSIGN_STEP):
        for source in RULES[act].sources:
            assert next_status(act, source) == source


def test_refused_transition_names_the_act_and_the_status():
    with pytest.raises(InvalidTransition) as refused:
        next_status(Act.RETURN_RESULT, S.PROCESSING)
    assert "trả kết quả" in str(refused.value.message)
    assert refused.value.details == {"act": "return_result", "status": 4}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list(Act)), max_size=40), st.sampled_from([S.NEW_ONLINE, S.ACCEPTED]))
def test_random_walks_follow_the_table(acts, start):
    status = start
    for act in acts:
        try:
            after = next_status(act, status)
        except InvalidTransition:
            assert status not in RULES[act].sources
            continue
        assert after == status or after in DOMAIN_TABLE[status]
        assert status not in TERMINAL
        status = after
