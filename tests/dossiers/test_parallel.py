"""Inter-agency processing (#17): a parallel group with one slow agency, the transfer step and its 15:00
deadline, the result returning to the section that received the dossier, the early-result notice.

Times are written by hand on the working calendar: 07:30–11:30 and 13:00–17:00, Monday to Friday."""

from dataclasses import dataclass
from datetime import datetime

import pytest

from motcua.backoffice.selectors import work_list
from motcua.catalog.models import Procedure, ProcessStep
from motcua.core.calendar import transfer_deadline
from motcua.core.errors import PermissionDenied
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.dossiers import services
from motcua.dossiers.clock import Timeliness
from motcua.dossiers.models import Dossier, Reschedule, StepInstance
from motcua.dossiers.payloads import HandedOver, payload_of
from motcua.dossiers.selectors import handovers, stage_timeliness, step_timeliness
from motcua.dossiers.states import Act, Status
from motcua.interop.models import Notification
from tests.factories import Province, local, make_procedure, make_unit, make_user

K = ProcessStep.UnitKind


@dataclass
class Land:
    """A land procedure received at the commune: the land registry office, the tax office and the commune
    check it at once (3, 2 and 3 working days), then the department's leader approves (2 days)."""

    procedure: Procedure
    department: OrgUnit
    land_office: OrgUnit
    tax: OrgUnit
    land_specialist: User
    tax_specialist: User
    director: User


def land_of(p: Province) -> Land:
    department = make_unit(
        "000.00.20.H40", "Sở Nông nghiệp và Môi trường", OrgUnit.Kind.DEPARTMENT, p.province
    )
    land_office = make_unit("000.20.20.H40", "Văn phòng đăng ký đất đai", OrgUnit.Kind.SUB_UNIT, department)
    tax = make_unit("000.00.30.H40", "Thuế tỉnh", OrgUnit.Kind.DEPARTMENT, p.province)
    procedure = make_procedure(
        "1.004227",
        level="commune",
        amount="5",
        steps=[
            ("Văn phòng đăng ký đất đai thẩm định", K.FIXED, land_office, Role.SPECIALIST, "3", False),
            ("Cơ quan thuế xác định nghĩa vụ tài chính", K.FIXED, tax, Role.SPECIALIST, "2", False),
            ("UBND xã xác nhận hiện trạng", K.RECEIVING_COMMUNE, None, Role.SPECIALIST, "3", False),
            ("Lãnh đạo Sở phê duyệt", K.FIXED, department, Role.UNIT_LEADER, "2", True),
        ],
    )
    procedure.steps.filter(position__lte=3).update(parallel_group=1)
    return Land(
        procedure=procedure,
        department=department,
        land_office=land_office,
        tax=tax,
        land_specialist=make_user("land_specialist", Role.SPECIALIST, land_office),
        tax_specialist=make_user("tax_specialist", Role.SPECIALIST, tax),
        director=make_user("director", Role.UNIT_LEADER, department),
    )


MON = local(2026, 3, 2, 9)  # received Monday 02/03/2026 09:00; appointment Monday 09/03 09:00


def steps_of(d: Dossier) -> dict[str, StepInstance]:
    return {s.name: s for s in d.steps.select_related("unit")}


def started(p: Province, land: Land) -> Dossier:
    d = p.receive(land.procedure, now=MON)
    return services.start_processing(dossier=d, acting_user=p.counter, now=local(2026, 3, 2, 10))


def test_a_parallel_group_starts_at_once_and_ends_with_its_slowest_step(province):
    p = province
    land = land_of(p)
    d = started(p, land)
    steps = steps_of(d)
    transfer = steps["Chuyển hồ sơ đến cơ quan giải quyết"]
    names = (
        "Văn phòng đăng ký đất đai thẩm định",
        "Cơ quan thuế xác định nghĩa vụ tài chính",
        "UBND xã xác nhận hiện trạng",
    )
    group = [steps[name] for name in names]
    approval = steps["Lãnh đạo Sở phê duyệt"]
    assert (transfer.kind, transfer.unit, transfer.state) == ("transfer", p.commune, "done")
    assert transfer.due_at == local(2026, 3, 2, 17)  # received before 15:00: the same working day
    # All three start together, each due after its own share: 3 days → Thu 10:00, 2 days → Wed 10:00.
    assert {s.state for s in group} == {"active"} and {s.started_at for s in group} == {local(2026, 3, 2, 10)}
    assert [s.due_at for s in group] == [local(2026, 3, 5, 10), local(2026, 3, 4, 10), local(2026, 3, 5, 10)]
    assert approval.state == "pending" and len({s.stage for s in group}) == 1 != approval.stage
    # Every unit of the group has the dossier in its processing list, at once.
    tuesday = local(2026, 3, 3, 8)
    for officer in (land.land_specialist, land.tax_specialist, p.specialist):
        assert d in work_list(officer, "xu-ly", now=tuesday)
    assert d not in work_list(p.justice_specialist, "xu-ly", now=tuesday)

    d = services.complete_step(
        dossier=d, acting_user=land.land_specialist, opinion="Đủ điều kiện", now=tuesday
    )
    assert d not in work_list(land.land_specialist, "xu-ly", now=tuesday)
    with pytest.raises(PermissionDenied):  # its part is done; it cannot act for the tax office
        services.complete_step(dossier=d, acting_user=land.land_specialist, now=tuesday)
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=local(2026, 3, 4, 9))
    assert steps_of(d)["Lãnh đạo Sở phê duyệt"].state == "pending"  # the tax office is still at it
    # The tax office overruns its share by a day; the apology letter names it as the cause.
    thursday = local(2026, 3, 5, 11)
    d = services.reschedule(
        dossier=d,
        acting_user=p.counter,
        new_appointment_at=local(2026, 3, 10, 9),
        reason="Cơ quan thuế chậm xác định nghĩa vụ tài chính",
        now=thursday,
    )
    letter = Reschedule.objects.get(dossier=d)
    assert (letter.responsible_unit, letter.step.name) == (
        land.tax,
        "Cơ quan thuế xác định nghĩa vụ tài chính",
    )
    d = services.complete_step(dossier=d, acting_user=land.tax_specialist, now=local(2026, 3, 5, 15))
    approval = steps_of(d)["Lãnh đạo Sở phê duyệt"]
    assert (approval.state, approval.started_at, approval.due_at) == (
        "active",
        local(2026, 3, 5, 15),
        local(2026, 3, 9, 15),
    )
    d = services.approve(dossier=d, acting_user=land.director, now=local(2026, 3, 6, 10))
    d = services.issue_result(dossier=d, acting_user=land.director, now=local(2026, 3, 6, 10, 30))

    steps = steps_of(d)
    judged = {name: step_timeliness(step) for name, step in steps.items()}
    assert judged == {
        "Chuyển hồ sơ đến cơ quan giải quyết": Timeliness.ON_TIME,
        "Văn phòng đăng ký đất đai thẩm định": Timeliness.EARLY,
        "Cơ quan thuế xác định nghĩa vụ tài chính": Timeliness.LATE,
        "UBND xã xác nhận hiện trạng": Timeliness.EARLY,
        "Lãnh đạo Sở phê duyệt": Timeliness.EARLY,
    }
    # The group ends with its slowest step (Thu 15:00), after its latest due moment (Thu 10:00): late.
    assert stage_timeliness([steps[s.name] for s in group]) == Timeliness.LATE
    assert steps["Cơ quan thuế xác định nghĩa vụ tài chính"].finished_by == land.tax_specialist
    # The dossier itself ended Friday, before its appointment day (Tuesday 10/03 after the letter).
    assert Dossier.objects.get(pk=d.pk).status == Status.FINISHED


def test_the_control_slip_hands_the_dossier_to_every_unit_of_the_group_then_to_the_lead(province):
    p = province
    land = land_of(p)
    d = started(p, land)
    d = services.complete_step(dossier=d, acting_user=land.land_specialist, now=local(2026, 3, 3, 8))
    d = services.complete_step(dossier=d, acting_user=land.tax_specialist, now=local(2026, 3, 3, 9))
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=local(2026, 3, 3, 10))
    d = services.approve(dossier=d, acting_user=land.director, now=local(2026, 3, 3, 14))
    rows = [(h.act, h.giver_unit, h.receiver_unit) for h in handovers(d)]
    assert rows == [
        ("receive", "Phường Thành Vinh", "Phường Thành Vinh"),
        ("start_processing", "Phường Thành Vinh",
         "Văn phòng đăng ký đất đai, Thuế tỉnh, Phường Thành Vinh"),
        ("complete_step", "Văn phòng đăng ký đất đai", "Sở Nông nghiệp và Môi trường"),
        ("complete_step", "Thuế tỉnh", "Sở Nông nghiệp và Môi trường"),
        ("complete_step", "Phường Thành Vinh", "Sở Nông nghiệp và Môi trường"),
        # The approval hands the dossier back to the one-stop section that received it.
        ("approve", "Sở Nông nghiệp và Môi trường", "Phường Thành Vinh"),
    ]  # fmt: skip
    moves = [payload_of(e) for e in d.events.filter(act__in=[Act.START_PROCESSING, Act.COMPLETE_STEP])]
    assert [len(m.to_steps) for m in moves if isinstance(m, HandedOver)] == [3, 0, 0, 1]


def test_returning_from_the_lead_reopens_the_whole_group(province):
    p = province
    land = land_of(p)
    d = started(p, land)
    for officer, hour in ((land.land_specialist, 8), (land.tax_specialist, 9), (p.specialist, 10)):
        d = services.complete_step(dossier=d, acting_user=officer, now=local(2026, 3, 3, hour))
    d = services.return_step(
        dossier=d, acting_user=land.director, reason="Thiếu trích đo", now=local(2026, 3, 3, 14)
    )
    steps = steps_of(d)
    assert steps["Lãnh đạo Sở phê duyệt"].state == "pending"
    group = [s for s in steps.values() if s.kind == "process" and s.name != "Lãnh đạo Sở phê duyệt"]
    assert {(s.state, s.started_at, s.finished_at) for s in group} == {
        ("active", local(2026, 3, 3, 14), None)
    }


def test_a_supplement_requested_by_one_agency_restarts_every_step_still_under_way(province):
    p = province
    land = land_of(p)
    d = started(p, land)
    d = services.complete_step(dossier=d, acting_user=land.land_specialist, now=local(2026, 3, 2, 14))
    d = services.request_supplement(
        dossier=d,
        acting_user=land.tax_specialist,
        missing=["Tờ khai lệ phí trước bạ"],
        reason="Thiếu tờ khai",
        now=local(2026, 3, 3, 8),
    )
    assert d.pauses.get().step.unit == land.tax
    d = services.complete_supplement(dossier=d, acting_user=p.counter, now=local(2026, 3, 4, 9))
    steps = steps_of(d)
    assert steps["Văn phòng đăng ký đất đai thẩm định"].finished_at == local(2026, 3, 2, 14)
    restarted = [steps["Cơ quan thuế xác định nghĩa vụ tài chính"], steps["UBND xã xác nhận hiện trạng"]]
    # From zero at the complete dossier: 2 and 3 working days from Wed 09:00.
    assert [(s.started_at, s.due_at) for s in restarted] == [
        (local(2026, 3, 4, 9), local(2026, 3, 6, 9)),
        (local(2026, 3, 4, 9), local(2026, 3, 9, 9)),
    ]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2026, 3, 2, 14, 59), local(2026, 3, 2, 17)),  # before 15:00: the same working day
        (local(2026, 3, 2, 15), local(2026, 3, 3, 17)),  # at 15:00: the next working day
        (local(2026, 3, 2, 6), local(2026, 3, 2, 17)),  # before office hours on a working day
        (local(2026, 3, 6, 16), local(2026, 3, 9, 17)),  # Friday afternoon: Monday
        (local(2026, 3, 7, 10), local(2026, 3, 9, 17)),  # Saturday: Monday
        (local(2026, 4, 29, 15, 30), local(2026, 5, 4, 17)),  # before 30/4 and 1/5: Monday 04/05
    ],
)
def test_the_transfer_deadline(received: datetime, due: datetime):
    assert transfer_deadline(received) == due


def test_a_transfer_after_its_deadline_is_a_late_step_of_the_transferring_section(province):
    p = province
    land = land_of(p)
    d = p.receive(land.procedure, now=local(2026, 3, 2, 15, 30))  # after 15:00: due Tuesday 17:00
    transfer = d.steps.get(kind="transfer")
    assert (transfer.state, transfer.due_at) == ("active", local(2026, 3, 3, 17))
    assert step_timeliness(transfer, as_of=local(2026, 3, 3, 16)) == Timeliness.IN_TIME
    assert step_timeliness(transfer, as_of=local(2026, 3, 4, 8)) == Timeliness.OVERDUE
    d = services.start_processing(dossier=d, acting_user=p.counter, now=local(2026, 3, 4, 8))
    transfer = d.steps.get(kind="transfer")
    assert (step_timeliness(transfer), transfer.unit, transfer.finished_by) == (
        Timeliness.LATE,
        p.commune,
        p.counter,
    )


def test_no_transfer_step_when_the_receiving_unit_processes_the_dossier_itself(province):
    p = province
    d = p.processing(p.birth, now=MON)
    assert list(d.steps.values_list("kind", flat=True)) == ["process", "process"]


def test_an_online_dossier_s_transfer_starts_at_its_acceptance(province):
    p = province
    land = land_of(p)
    d = services.submit_online(
        intake=p.intake(land.procedure), acting_user=p.citizen, now=local(2026, 3, 1, 20)
    )
    assert d.steps.get(kind="transfer").state == "pending"
    d = services.accept(dossier=d, acting_user=p.counter, now=local(2026, 3, 2, 9))
    transfer = d.steps.get(kind="transfer")
    assert (transfer.state, transfer.started_at, transfer.due_at) == (
        "active",
        local(2026, 3, 2, 9),
        local(2026, 3, 2, 17),
    )


def test_a_result_of_a_provincial_department_returns_to_the_commune_that_received_it(province):
    p = province
    procedure = make_procedure(
        "1.005136b",
        level="commune",
        amount="5",
        steps=[
            ("Chuyên viên Sở thẩm định", K.FIXED, p.justice, Role.SPECIALIST, "4", False),
            ("Lãnh đạo Sở phê duyệt", K.FIXED, p.justice, Role.UNIT_LEADER, "1", True),
        ],
    )
    d = p.processing(procedure, now=MON)
    d = services.complete_step(dossier=d, acting_user=p.justice_specialist, now=local(2026, 3, 3, 9))
    d = services.approve(dossier=d, acting_user=p.justice_leader, now=local(2026, 3, 3, 10))
    d = services.issue_result(dossier=d, acting_user=p.justice_leader, now=local(2026, 3, 3, 10, 30))
    assert handovers(d)[-2].receiver_unit == "Phường Thành Vinh"  # approved: back to the commune's section
    later = local(2026, 3, 3, 11)
    assert d in work_list(p.counter, "tra-ket-qua", now=later)
    assert d not in work_list(p.center_counter, "tra-ket-qua", now=later)
    with pytest.raises(PermissionDenied):  # another one-stop section cannot hand it over
        services.return_result(dossier=d, acting_user=p.center_counter, now=later)
    d = services.return_result(dossier=d, acting_user=p.counter, now=later)
    assert d.status == Status.RETURNED


@pytest.fixture
def notified(settings, django_capture_on_commit_callbacks):
    """Run the acts given with their notifications sent (after commit), as production does."""
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"

    def run(*acts):
        with django_capture_on_commit_callbacks(execute=True):
            for act in acts:
                act()

    return run


def test_a_result_ready_before_the_appointment_day_tells_the_applicant_to_collect_it_early(
    province, notified
):
    p = province
    d = p.processing(p.birth, now=MON)  # 3 working days: appointment Thursday 05/03 09:00
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=local(2026, 3, 2, 14))
    d = services.approve(dossier=d, acting_user=p.leader, now=local(2026, 3, 3, 9))
    notified(lambda: services.issue_result(dossier=d, acting_user=p.leader, now=local(2026, 3, 3, 9, 30)))
    sms = Notification.objects.filter(dossier_code=d.code, channel="sms").order_by("pk").last()
    assert "da co ket qua truoc hen, moi den nhan som" in sms.body  # one SMS segment: the day is in the email
    email = Notification.objects.filter(dossier_code=d.code).exclude(channel="sms").order_by("pk").last()
    assert "trước ngày hẹn trả (05/03/2026)" in email.body


def test_a_result_on_the_appointment_day_is_not_called_early(province, notified):
    p = province
    d = p.processing(p.birth, now=MON)
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=local(2026, 3, 3, 14))
    d = services.approve(dossier=d, acting_user=p.leader, now=local(2026, 3, 5, 8))
    notified(lambda: services.issue_result(dossier=d, acting_user=p.leader, now=local(2026, 3, 5, 8, 30)))
    sms = Notification.objects.filter(dossier_code=d.code, channel="sms").order_by("pk").last()
    assert "truoc hen" not in sms.body and "ket qua" in sms.body
