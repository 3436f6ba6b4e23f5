"""Issuing a directive: its tasks fanned out to the units active then, its periods on the calendar."""

from dataclasses import replace
from datetime import date

import pytest

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.models import OrgUnit
from motcua.directives.models import Assignment, Recurrence, Target, TaskPeriod
from motcua.directives.services import TaskSpec
from tests.directives.helpers import build_reform, issue, quarterly
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def assigned(directive, position):
    return set(
        Assignment.objects.filter(task__directive=directive, task__position=position).values_list(
            "unit__name", flat=True
        )
    )


def test_all_departments_and_all_communes_go_to_the_active_units_of_the_day():
    r = build_reform()
    merged = make_unit("003.00.50.H40", "Xã Đã Sáp Nhập", OrgUnit.Kind.COMMUNE, r.p.province)
    OrgUnit.objects.filter(pk=merged.pk).update(is_active=False)
    directive = issue(
        r,
        tasks=[
            quarterly("Cho các sở", target=Target.ALL_DEPARTMENTS),
            quarterly("Cho các xã", target=Target.ALL_COMMUNES),
            quarterly("Cho hai đơn vị", units=[r.p.justice, r.p.commune, r.p.justice]),
        ],
    )
    # A unit created after the directive is not given its tasks.
    make_unit("000.00.20.H40", "Sở Mới", OrgUnit.Kind.DEPARTMENT, r.p.province)
    make_unit("004.00.50.H40", "Xã Mới", OrgUnit.Kind.COMMUNE, r.p.province)

    assert assigned(directive, 1) == {"Sở Tư pháp", "Sở Nội vụ"}
    assert assigned(directive, 2) == {"Phường Thành Vinh", "Xã Hưng Nguyên"}  # not the commune police
    assert assigned(directive, 3) == {"Sở Tư pháp", "Phường Thành Vinh"}
    assert Assignment.objects.filter(task__directive=directive).count() == 6


def test_quarterly_periods_follow_the_decree_09_cut_off_and_the_days_to_report():
    r = build_reform()
    directive = issue(r)
    periods = TaskPeriod.objects.filter(task__directive=directive, task__position=1).order_by("index")
    assert [(p.number, p.starts_on, p.ends_on, p.due_on) for p in periods] == [
        (1, date(2023, 12, 15), date(2024, 3, 14), date(2024, 3, 19)),
        (2, date(2024, 3, 15), date(2024, 6, 14), date(2024, 6, 19)),
        (3, date(2024, 6, 15), date(2024, 9, 14), date(2024, 9, 19)),
        (4, date(2024, 9, 15), date(2024, 12, 14), date(2024, 12, 19)),
    ]


def test_a_report_due_on_a_holiday_is_due_on_the_next_working_day():
    r = build_reform()
    monthly = TaskSpec(
        title="Báo cáo tháng",
        recurrence=Recurrence.MONTHLY,
        units=[r.p.commune],
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 5, 31),
        report_days=16,
    )
    deadline = TaskSpec(
        title="Hoàn thành trước 30/4",
        recurrence=Recurrence.ONCE,
        units=[r.p.commune],
        deadline=date(2026, 4, 30),
    )
    directive = issue(r, tasks=[monthly, deadline])
    periods = TaskPeriod.objects.filter(task__directive=directive).order_by("task__position", "index")
    assert [(p.task.position, p.starts_on, p.ends_on, p.due_on) for p in periods] == [
        # 14/04 + 16 days = 30/04 (Reunification Day), 01/05 Labour Day, then the weekend: Monday 04/05
        (1, date(2026, 3, 15), date(2026, 4, 14), date(2026, 5, 4)),
        # 14/05 + 16 days = Saturday 30/05: Monday 01/06
        (1, date(2026, 4, 15), date(2026, 5, 14), date(2026, 6, 1)),
        (2, date(2026, 4, 30), date(2026, 4, 30), date(2026, 5, 4)),
    ]


def test_only_the_coordinating_unit_enters_a_directive():
    r = build_reform()
    with pytest.raises(PermissionDenied):
        issue(replace(r, coordinator=r.p.specialist))  # a commune's specialist
    with pytest.raises(PermissionDenied):
        issue(replace(r, coordinator=r.p.justice_leader))
    assert not TaskPeriod.objects.exists()


def test_bad_input_changes_nothing():
    r = build_reform()
    issue(r)
    with pytest.raises(ValidationFailed) as refused:
        issue(r)  # the same number again
    assert refused.value.code == "duplicate"
    no_units = quarterly("Chưa giao", units=[])
    with pytest.raises(ValidationFailed) as refused:
        issue(r, number="06/CT-UBND", tasks=[no_units])
    assert refused.value.code == "no_assignee"
    backwards = TaskSpec(
        title="Sai khoảng",
        recurrence=Recurrence.QUARTERLY,
        units=[r.p.commune],
        starts_on=date(2024, 12, 31),
        ends_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationFailed) as refused:
        issue(r, number="07/CT-UBND", tasks=[backwards])
    assert refused.value.code == "reporting_span_required"
    assert TaskPeriod.objects.filter(task__directive__number__in=["06/CT-UBND", "07/CT-UBND"]).count() == 0
