"""The synthetic history of parallel stages, transfer steps and consultations obeys the services' rules."""

import itertools
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.catalog.models import ProcessStep
from motcua.core import calendar
from motcua.core.models import OrgUnit
from motcua.core.roles import Role
from motcua.core.workcalendar import current_calendar
from motcua.demo import synthetic
from motcua.dossiers import clock
from motcua.dossiers.models import Consultation, Dossier, DossierEvent, DossierUnit, StepInstance
from motcua.dossiers.payloads import ConsultationAnswered, ConsultationAsked, HandedOver
from motcua.dossiers.states import Act
from motcua.quality import services
from motcua.quality.verify import verify
from tests.factories import local, make_procedure, make_unit

UNTIL = local(2026, 4, 1, 12)
HAND_OVERS = {Act.START_PROCESSING, Act.COMPLETE_STEP, Act.APPROVE, Act.RETURN_STEP}


@pytest.fixture
def generated(province):
    land = make_unit(
        "000.00.20.H40", "Sở Nông nghiệp và Môi trường", OrgUnit.Kind.DEPARTMENT, province.province
    )
    registry = make_unit("000.20.20.H40", "Văn phòng đăng ký đất đai", OrgUnit.Kind.SUB_UNIT, land)
    tax = make_unit("000.00.30.H40", "Thuế tỉnh", OrgUnit.Kind.DEPARTMENT, province.province)
    K = ProcessStep.UnitKind
    procedure = make_procedure(
        "1.012345",
        level="province",
        amount="6",
        responsible_unit=land,
        steps=[
            ("Văn phòng đăng ký đất đai kiểm tra", K.FIXED, registry, Role.SPECIALIST, "3", False),
            ("Cơ quan thuế xác định nghĩa vụ tài chính", K.FIXED, tax, Role.SPECIALIST, "2", False),
            ("Xã xác nhận hiện trạng", K.FIXED, province.other_commune, Role.SPECIALIST, "2.5", False),
            ("Sở tổng hợp, trình", K.FIXED, land, Role.SPECIALIST, "2", False),
            ("Lãnh đạo Sở phê duyệt", K.FIXED, land, Role.UNIT_LEADER, "1", True),
        ],
    )
    procedure.steps.filter(position__lte=3).update(parallel_group=1)
    rates = synthetic.Rates(slow_step=0.3, late_transfer=0.3, consultation=0.5, consultation_late=0.4)
    gen = synthetic.Generator(seed=11, since=date(2026, 1, 1), until=UNTIL, rates=rates)
    # Half the dossiers are of the land procedure.
    weights = [
        w if p.pk != procedure.pk else 0 for p, w in zip(gen.procedures, gen.procedure_weights, strict=True)
    ]
    weights = [w or sum(weights) for w in weights]
    gen.procedure_cum = list(itertools.accumulate(weights))
    made = gen.run(500)
    services.rebuild()
    return made, procedure


def _events() -> dict[int, list[DossierEvent]]:
    out: dict[int, list[DossierEvent]] = defaultdict(list)
    for e in DossierEvent.objects.order_by("at", "pk"):
        out[e.dossier_id].append(e)
    return out


def test_parallel_stages_start_together_and_end_with_their_last_step(generated):
    _made, procedure = generated
    dossiers = Dossier.objects.filter(procedure=procedure, steps__state=StepInstance.State.DONE).distinct()
    assert dossiers.count() > 30
    slow_in_parallel = 0
    for d in dossiers:
        steps = [s for s in d.steps.order_by("position") if s.kind == StepInstance.Kind.PROCESS]
        assert [s.stage for s in steps] == [1, 1, 1, 4, 5]
        group = steps[:3]
        if group[0].started_at is None:
            continue
        assert {s.started_at for s in group} == {group[0].started_at}  # one start for the whole stage
        for s in group:  # each step its own share of the time limit
            assert s.due_at == clock.step_due(s.started_at, s.duration, procedure)
        if all(s.state == StepInstance.State.DONE for s in group) and steps[3].started_at is not None:
            assert steps[3].started_at == max(s.finished_at for s in group)
        late = [s for s in group if s.finished_at and s.finished_at > s.due_at]
        on_time = [s for s in group if s.finished_at and s.finished_at <= s.due_at]
        slow_in_parallel += bool(late and on_time)
    assert slow_in_parallel >= 3  # one agency overran while the others were on time


def test_transfer_steps_follow_the_three_pm_rule(generated):
    events = _events()
    transfers = list(StepInstance.objects.filter(kind=StepInstance.Kind.TRANSFER).select_related("dossier"))
    assert len(transfers) > 30
    late = 0
    for t in transfers:
        d = t.dossier
        assert (t.position, t.stage, t.role, t.duration) == (0, 0, Role.COUNTER_OFFICER, Decimal(0))
        assert t.unit_id == d.receiving_unit_id
        if d.received_at is None:
            assert t.state == StepInstance.State.PENDING
            continue
        assert t.started_at == d.received_at
        assert t.due_at == clock.transfer_due(d.received_at)
        started = [e for e in events[d.pk] if e.act == Act.START_PROCESSING]
        if started:
            assert t.state == StepInstance.State.DONE
            assert t.finished_at == started[0].at
            assert t.finished_by_id == started[0].actor_id
            late += t.finished_at > t.due_at
    assert late >= 3
    # A dossier whose first stage is at the receiving unit has none.
    commune_only = Dossier.objects.filter(
        receiving_unit__kind=OrgUnit.Kind.COMMUNE, procedure__code="1.001193"
    )
    assert commune_only.exists()
    assert not StepInstance.objects.filter(dossier__in=commune_only, kind=StepInstance.Kind.TRANSFER).exists()


def test_hand_overs_name_the_finished_and_the_started_steps(generated):
    steps = StepInstance.objects.in_bulk()
    checked = 0
    for chain in _events().values():
        for e in chain:
            if e.act not in HAND_OVERS:
                continue
            moved = HandedOver.from_data(e.data)
            started = [steps[pk] for pk in moved.to_steps]
            assert all(s.started_at == e.at or s.started_at is None or s.started_at >= e.at for s in started)
            if e.act == Act.START_PROCESSING:
                first = min(
                    s.stage for s in steps.values() if s.dossier_id == e.dossier_id and s.kind == "process"
                )
                assert sorted(moved.to_steps) == sorted(
                    pk for pk, s in steps.items() if s.dossier_id == e.dossier_id and s.stage == first
                )
                if moved.from_step is not None:
                    assert steps[moved.from_step].kind == StepInstance.Kind.TRANSFER
            else:
                done = steps[moved.from_step]
                assert done.dossier_id == e.dossier_id and done.finished_at == e.at
                assert done.finished_by_id == e.actor_id
                if started:
                    assert {s.stage for s in started} == {min(s.stage for s in started)} != {done.stage}
            if started:
                assert e.step_id == started[0].pk
            checked += 1
    assert checked > 500


def test_consultations_are_asked_and_answered_as_the_services_write_them(generated):
    events = _events()
    consultations = list(Consultation.objects.select_related("consulted_unit", "step"))
    assert len(consultations) > 20
    late = 0
    for c in consultations:
        assert c.asking_unit_id == c.step.unit_id != c.consulted_unit_id
        due = calendar.add_working_time(
            c.asked_at, c.working_days, calendar.TimeUnit.WORKING_DAYS, calendar=current_calendar()
        )
        assert c.due_at == due
        asked = [e for e in events[c.dossier_id] if e.act == Act.CONSULT]
        assert ConsultationAsked.from_data(asked[0].data) == ConsultationAsked(
            c.pk, c.consulted_unit.name, due
        )
        assert asked[0].at == c.asked_at and asked[0].step_id == c.step_id
        answered = [e for e in events[c.dossier_id] if e.act == Act.ANSWER_CONSULTATION]
        if c.answered_at is None:
            assert not answered
        else:
            assert answered[0].at == c.answered_at and answered[0].actor_id == c.answered_by_id
            assert ConsultationAnswered.from_data(answered[0].data).late == (c.answered_at > c.due_at)
            assert c.step.finished_at is None or c.step.finished_at > c.answered_at  # the step waited
            late += c.answered_at > c.due_at
        if c.late_alerted_at is not None:
            assert c.late_alerted_at == c.due_at + timedelta(minutes=10)
        assert DossierUnit.objects.filter(dossier_id=c.dossier_id, unit_id=c.consulted_unit_id).exists()
    assert late >= 3


def test_the_statistics_still_agree_with_the_events(generated):
    report = verify()
    assert report.ok, report.fact_mismatches + report.count_mismatches
