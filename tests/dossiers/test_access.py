"""Officers act only within their unit's scope; applicants only on their own dossiers."""

from dataclasses import dataclass

import pytest

from motcua.catalog.models import Procedure, ProcessStep
from motcua.core.errors import PermissionDenied
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import services
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import available_acts
from motcua.dossiers.states import Act, Status
from tests.dossiers.helpers import at, dossier_in
from tests.factories import Province, make_procedure, make_user


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


# --- acting on a step needs the step's own unit (issue #10) ------------------------------------------


@dataclass
class Police:
    """A commune procedure processed by the commune's police, a unit under the commune (tree by `path`)."""

    procedure: Procedure
    specialist: User
    leader: User


def police_of(p: Province) -> Police:
    K = ProcessStep.UnitKind
    procedure = make_procedure(
        "1.010730",
        level="commune",
        amount="5",
        steps=[
            ("Công an xã thẩm định", K.COMMUNE_POLICE, None, Role.SPECIALIST, "3", False),
            ("Trưởng Công an xã phê duyệt", K.COMMUNE_POLICE, None, Role.UNIT_LEADER, "1", True),
        ],
    )
    return Police(
        procedure=procedure,
        specialist=make_user("police_specialist", Role.SPECIALIST, p.commune_police),
        leader=make_user("police_leader", Role.UNIT_LEADER, p.commune_police),
    )


def test_the_commune_sees_its_police_step_but_only_the_police_acts_on_it(province):
    p = province
    police = police_of(p)
    d = p.processing(police.procedure, now=at(0))
    assert d.current_step.unit == p.commune_police
    # The commune is the police's parent unit: it sees the dossier, it does not act for the police.
    assert d in visible_dossiers(p.specialist) and d in visible_dossiers(p.leader)
    for officer in (p.specialist, p.leader):
        assert Act.COMPLETE_STEP not in available_acts(officer, d)
        with pytest.raises(PermissionDenied):
            services.complete_step(dossier=d, acting_user=officer, opinion="Đủ điều kiện")
    unchanged = Dossier.objects.get(pk=d.pk)
    assert (unchanged.version, unchanged.current_step.position) == (d.version, 1)
    assert Act.COMPLETE_STEP in available_acts(police.specialist, d)
    d = services.complete_step(dossier=d, acting_user=police.specialist, opinion="Đủ điều kiện", now=at(1))
    with pytest.raises(PermissionDenied):
        services.approve(dossier=d, acting_user=p.leader)
    d = services.approve(dossier=d, acting_user=police.leader, now=at(2))
    # The commune's one-stop section handed it to the police (the transfer step), then both police steps.
    assert list(d.steps.filter(state="done").values_list("kind", "unit")) == [
        ("transfer", p.commune.pk),
        ("process", p.commune_police.pk),
        ("process", p.commune_police.pk),
    ]


def test_a_specialist_cannot_refuse_the_leader_of_the_step_unit_can(province):
    p = province
    d = dossier_in(p, Status.PROCESSING)
    assert Act.REFUSE not in available_acts(p.specialist, d)
    with pytest.raises(PermissionDenied) as refused:
        services.refuse(dossier=d, acting_user=p.specialist, reason="Không đủ điều kiện")
    assert "từ chối giải quyết" in str(refused.value.message)
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING
    # The leader of another unit (the department) cannot either; the commune's leader decides.
    with pytest.raises(PermissionDenied):
        services.refuse(dossier=d, acting_user=p.justice_leader, reason="Không đủ điều kiện")
    assert Act.REFUSE in available_acts(p.leader, d)
    d = services.refuse(dossier=d, acting_user=p.leader, reason="Không đủ điều kiện", now=at(2))
    assert d.status == Status.STOPPED
    assert d.events.get(act=Act.REFUSE).actor == p.leader


def test_the_police_leader_refuses_at_the_police_step_not_the_commune_leader(province):
    p = province
    police = police_of(p)
    d = p.processing(police.procedure, now=at(0))
    with pytest.raises(PermissionDenied):
        services.refuse(dossier=d, acting_user=p.leader, reason="Không đủ điều kiện")
    with pytest.raises(PermissionDenied):
        services.refuse(dossier=d, acting_user=police.specialist, reason="Không đủ điều kiện")
    d = services.refuse(dossier=d, acting_user=police.leader, reason="Không đủ điều kiện", now=at(1))
    assert d.status == Status.STOPPED
