"""Officers act only within their unit's scope; applicants only on their own dossiers."""

import pytest

from motcua.core.errors import PermissionDenied
from motcua.dossiers import services
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.states import Status
from tests.dossiers.helpers import at, dossier_in


def test_counter_officer_of_another_commune_can_neither_receive_nor_act(province):
    p = province
    with pytest.raises(PermissionDenied):
        services.receive(intake=p.intake(), channel="counter", acting_user=p.other_counter)
    d = dossier_in(p, Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        services.start_processing(dossier=d, acting_user=p.other_counter)
    assert d not in visible_dossiers(p.other_counter)


def test_only_the_unit_holding_the_step_processes_it(province):
    p = province
    d = p.processing(p.inter_agency, now=at(0))
    with pytest.raises(PermissionDenied):
        services.complete_step(dossier=d, acting_user=p.justice_specialist)  # not yet at the department
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at(1))
    with pytest.raises(PermissionDenied):
        services.complete_step(dossier=d, acting_user=p.specialist)  # now the department's
    assert d in visible_dossiers(p.justice_specialist) and d in visible_dossiers(p.specialist)


def test_a_step_assigned_to_a_named_specialist_is_theirs(province):
    p = province
    other = type(p.specialist).objects.create_user("specialist2", role="specialist", org_unit=p.commune)
    d = p.processing(now=at(0))
    d = services.assign_step(dossier=d, acting_user=p.leader, assignee=p.specialist, now=at(1))
    with pytest.raises(PermissionDenied):
        services.complete_step(dossier=d, acting_user=other)
    services.complete_step(dossier=d, acting_user=p.specialist, now=at(2))


def test_citizens_cannot_process_and_withdraw_only_their_own(province):
    p = province
    d = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=at(0))
    with pytest.raises(PermissionDenied):
        services.accept(dossier=d, acting_user=p.citizen)
    d = services.accept(dossier=d, acting_user=p.counter, now=at(1))
    with pytest.raises(PermissionDenied):
        services.withdraw(dossier=d, acting_user=p.other_citizen, reason="x")
    assert d not in visible_dossiers(p.other_citizen) and d in visible_dossiers(p.citizen)
    assert (
        services.withdraw(dossier=d, acting_user=p.citizen, reason="Thôi", now=at(2)).status
        == Status.WITHDRAWN
    )


def test_leader_of_the_unit_sees_received_dossiers_but_the_admin_sees_all(province):
    p = province
    d = dossier_in(p, Status.ACCEPTED)
    assert set(visible_dossiers(p.admin)) == {d} == set(visible_dossiers(p.leader))
    assert not visible_dossiers(p.justice_leader).exists()
