"""`motcua demo`: the demo province of Nghệ An, loaded twice without changes."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.catalog.models import Fee, Procedure, ProcedureComponent, ProcessStep
from motcua.catalog.selectors import process_total
from motcua.core.models import OrgUnit, User, unit_code_validator
from motcua.demo.catalogue import CHOSEN_TIME_LIMITS, DATA_FILE, read_procedures
from motcua.demo.org import DEMO_PASSWORD
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Consultation, Dossier, StepInstance
from motcua.dossiers.states import Status
from motcua.interop.ministries.services import may_send
from tests.factories import local

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "procedures.json"
MODELS = (OrgUnit, User, Procedure, ProcedureComponent, Fee, ProcessStep, Dossier)


def load() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _loaded_once(module_db) -> str:
    return load()


@pytest.fixture
def loaded(_loaded_once, db) -> str:
    """The demo province, loaded once for the module (its tests read it; what one writes is rolled back)."""
    return _loaded_once


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_json_copy_is_identical_to_the_shared_data():
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data/procedures.json is not on this machine")
    assert DATA_FILE.read_bytes() == SHARED_DATA.read_bytes()


def test_demo_org_units(loaded):
    K = OrgUnit.Kind
    province = OrgUnit.objects.get(code="000.00.00.H40", kind=K.PROVINCE)
    assert province.name == "Tỉnh Nghệ An"
    center = OrgUnit.objects.get(code="000.00.01.H40", kind=K.CENTER)
    assert center.parent == province
    assert OrgUnit.objects.filter(kind=K.DEPARTMENT, parent=province).count() >= 15
    communes = OrgUnit.objects.filter(kind=K.COMMUNE, parent=province)
    assert communes.count() == 130
    assert communes.exclude(ward_code=None).count() == 130
    assert OrgUnit.objects.filter(kind=K.COMMUNE_POLICE, parent__kind=K.COMMUNE).count() == 130
    first = OrgUnit.objects.get(code="001.00.50.H40")
    assert first.name == "Phường Thành Vinh"
    assert first.children.get().name == "Công an phường Thành Vinh"
    land_office = OrgUnit.objects.get(name="Văn phòng Đăng ký đất đai tỉnh")
    assert land_office.kind == K.SUB_UNIT and land_office.parent.name == "Sở Nông nghiệp và Môi trường"
    for unit in OrgUnit.objects.all():
        unit_code_validator(unit.code)
        assert unit.path.startswith(province.path)


def test_demo_procedures(loaded):
    output = loaded
    items = {item["code"]: item for item in read_procedures()}
    assert Procedure.objects.count() == len(items) == 25
    for procedure in Procedure.objects.prefetch_related("steps", "fees"):
        steps = list(procedure.steps.all())
        assert procedure.has_time_limit, procedure.code
        assert steps, procedure.code
        assert all(step.duration > 0 for step in steps)
        assert process_total(steps) == procedure.time_limit_amount, procedure.code
        assert steps[-1].is_approval, procedure.code
        assert procedure.online_level_is_demo_choice
        published = items[procedure.code]["time_limit"]["amount"]
        assert procedure.time_limit_is_demo_choice == (published is None)
        if published is not None:
            assert procedure.time_limit_amount == Decimal(str(published))
        else:
            assert procedure.time_limit_note
        if procedure.level == Procedure.Level.PROVINCE:
            assert procedure.responsible_unit is not None, procedure.code
        expected_fees = [fee["amount_vnd"] for fee in items[procedure.code]["fees"]]
        # Post rows are the loader's own (one published paper fee split by channel, test_fees_by_channel).
        assert [fee.amount_vnd for fee in procedure.fees.exclude(channel="post")] == expected_fees
    assert set(CHOSEN_TIME_LIMITS) == {c for c, i in items.items() if i["time_limit"]["amount"] is None}
    assert Procedure.objects.get(code="2.000815").time_limit_unit == "working_hours"
    assert Fee.objects.filter(amount_vnd=None).exists()
    assert not ProcedureComponent.objects.filter(procedure__code="1.014199").exists()
    assert Procedure.objects.get(code="3.000333").responsible_unit.name == "Công an tỉnh"
    land = [
        s.unit.name if s.unit else s.unit_kind for s in Procedure.objects.get(code="1.013978").steps.all()
    ]
    assert "Văn phòng Đăng ký đất đai tỉnh" in land
    assert "Đăng nhập quản trị hệ thống (superuser): admin / motcua-demo" in output
    assert (
        "Đăng nhập Phó Giám đốc Sở Nội vụ (chỉ thị cải cách hành chính): lanhdao.noivu / motcua-demo"
        in output
    )


def test_conditional_components_are_not_mandatory(loaded):
    def mandatory(code: str) -> list[int]:
        components = ProcedureComponent.objects.filter(procedure__code=code, is_mandatory=True)
        return list(components.values_list("position", flat=True))

    assert mandatory("1.001193") == [3]  # the birth certificate; forms per channel, proxies, cases: not
    assert mandatory("1.013978") == [1, 2]
    assert mandatory("3.000347") == [1]
    birth_id = ProcedureComponent.objects.get(procedure__code="1.001193", position=7)
    assert birth_id.form == ProcedureComponent.Form.PRESENT


def test_demo_users(loaded):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="quantri").has_perm("catalog.change_procedure")
    citizen = User.objects.get(username="congdan")
    assert citizen.citizen_id == "040090001234" and citizen.role == "citizen"
    assert User.objects.get(username="congan.thanhvinh").org_unit.kind == OrgUnit.Kind.COMMUNE_POLICE
    assert User.objects.get(username="lanhdao.vpdkdd").org_unit.name == "Văn phòng Đăng ký đất đai tỉnh"


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    birth = Procedure.objects.get(code="1.001193")
    thanh_vinh = OrgUnit.objects.get(code="001.00.50.H40")
    output = load()
    assert counts() == before
    assert "0 dòng được tạo hoặc cập nhật" in output
    again = Procedure.objects.get(code="1.001193")
    assert (again.pk, again.name, again.time_limit_amount, again.notes) == (
        birth.pk,
        birth.name,
        birth.time_limit_amount,
        birth.notes,
    )
    assert OrgUnit.objects.get(code="001.00.50.H40").path == thanh_vinh.path
    assert User.objects.get(username="tiepnhan.thanhvinh").check_password(DEMO_PASSWORD)


def test_the_land_procedure_runs_three_agencies_in_parallel(loaded):
    steps = list(Procedure.objects.get(code="1.013978").steps.select_related("unit").order_by("position"))
    assert [(s.parallel_group, s.duration) for s in steps] == [
        (1, Decimal(5)),
        (1, Decimal(12)),
        (1, Decimal(5)),
        (None, Decimal(3)),
        (None, Decimal(2)),
        (None, Decimal(3)),
    ]
    assert [s.unit.name for s in steps[1:3]] == ["Văn phòng Đăng ký đất đai tỉnh", "Thuế tỉnh Nghệ An"]
    assert process_total(steps) == Decimal(20)  # 12 + 3 + 2 + 3


def test_the_demo_land_dossier_is_in_its_parallel_stage(loaded):
    dossier = Dossier.objects.get(procedure__code="1.013978")
    steps = [(s.kind, s.stage, s.state) for s in dossier.steps.order_by("position")]
    done, active, pending = (StepInstance.State.DONE, StepInstance.State.ACTIVE, StepInstance.State.PENDING)
    assert steps == [
        ("transfer", 0, done),  # the commune's one-stop section handed it over
        ("process", 1, done),  # the commune's own part
        ("process", 1, active),  # the land registration office ...
        ("process", 1, active),  # ... and the tax office, at once
        ("process", 4, pending),
        ("process", 5, pending),
        ("process", 6, pending),
    ]


def test_demo_consultations_one_answered_one_late(loaded):
    answered, late = Consultation.objects.order_by("asked_at").reverse()
    assert answered.dossier.procedure.code == "1.013978"
    assert answered.answered_at is not None and answered.answered_at <= answered.due_at
    assert late.consulted_unit.name == "Sở Tư pháp" and late.asking_unit.name == "Công an tỉnh"
    assert late.answered_at is None and late.due_at < timezone.now()


def test_demo_dossiers_cover_several_states(loaded):
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.NEW_ONLINE, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.RETURNED} <= statuses


def test_counter_of_thanh_vinh_receives_a_birth_registration(loaded):
    counter = User.objects.get(username="tiepnhan.thanhvinh")
    birth = Procedure.objects.get(code="1.001193")
    intake = services.Intake(
        procedure=birth,
        applicant=services.Applicant(kind="citizen", name="Nguyễn Thị Bích", id_number="040190004321"),
        receiving_unit=counter.org_unit,
        components=[services.ProvidedComponent(c.pk) for c in birth.components.filter(is_mandatory=True)],
    )
    now = local(2026, 3, 2, 9)
    dossier = services.receive(intake=intake, channel=Channel.COUNTER, acting_user=counter, now=now)
    dossier = services.start_processing(dossier=dossier, acting_user=counter, now=now)
    assert dossier.status == Status.PROCESSING
    assert dossier.code.startswith("001.00.50.H40-260302-")
    assert dossier.current_step.unit == counter.org_unit
    assert dossier.current_step.due_at == local(2026, 3, 2, 14, 30)  # half a working day: 4 hours
    dossier = services.complete_step(
        dossier=dossier, acting_user=User.objects.get(username="chuyenvien.thanhvinh"), now=now
    )
    assert dossier.current_step.unit.name == "Công an phường Thành Vinh"


# The demo's dossiers for the ministries' systems (#19): at the appraisal step of the unit whose officer
# sends them over the axis, one per connected procedure (a second load adds none:
# test_loading_twice_changes_nothing).
@pytest.mark.parametrize(
    ("code", "officer", "others", "count"),
    [
        # the demo's two judicial records at the provincial police (one waits on a consultation too)
        ("3.000333", "chuyenvien.congantinh", "chuyenvien.taichinh", 2),
        ("2.001610", "chuyenvien.taichinh", "chuyenvien.csgt", 1),
        ("3.000347", "chuyenvien.csgt", "tiepnhan.tinh", 1),
    ],
)
def test_each_connected_procedure_has_a_dossier_its_officer_may_send(loaded, code, officer, others, count):
    waiting = [
        d
        for d in Dossier.objects.filter(procedure__code=code, status=Status.PROCESSING).select_related(
            "procedure"
        )
        if may_send(dossier=d, acting_user=User.objects.get(username=officer))
    ]

    assert len(waiting) == count
    assert not any(may_send(dossier=d, acting_user=User.objects.get(username=others)) for d in waiting)
