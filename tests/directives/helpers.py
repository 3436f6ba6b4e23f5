"""A province with its Department of Home Affairs (the coordinator) and a directive with quarterly reports
for 2024: task 1 for all communes, task 2 for the Department of Justice."""

from dataclasses import dataclass
from datetime import date

from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.directives import services
from motcua.directives.models import Assignment, Directive, Recurrence, Target, TaskPeriod
from tests.factories import Province, build_province, local, make_unit, make_user

ISSUED = local(2024, 1, 10, 9)


@dataclass
class Reform:
    p: Province
    home_affairs: OrgUnit
    coordinator: User  # the Department of Home Affairs' specialist
    coordinator_leader: User
    other_commune_specialist: User


def build_reform() -> Reform:
    p = build_province()
    User.objects.filter(pk=p.specialist.pk).update(email="cv@thanhvinh.vn", phone="0912000001")
    home_affairs = make_unit("000.00.03.H40", "Sở Nội vụ", OrgUnit.Kind.DEPARTMENT, p.province)
    return Reform(
        p=p,
        home_affairs=home_affairs,
        coordinator=make_user("noivu_cv", Role.SPECIALIST, home_affairs, email="cv@noivu.vn"),
        coordinator_leader=make_user("noivu_ld", Role.UNIT_LEADER, home_affairs),
        other_commune_specialist=make_user("hn_cv", Role.SPECIALIST, p.other_commune),
    )


def quarterly(title: str, **kw) -> services.TaskSpec:
    return services.TaskSpec(
        title=title,
        recurrence=Recurrence.QUARTERLY,
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        report_days=5,
        **kw,
    )


def issue(r: Reform, number: str = "05/CT-UBND", tasks=None) -> Directive:
    return services.issue_directive(
        acting_user=r.coordinator,
        number=number,
        signed_on=date(2024, 1, 8),
        issuer="Ủy ban nhân dân tỉnh Nghệ An",
        title="Về khắc phục hạn chế trong công tác cải cách hành chính năm 2023",
        coordinating_unit=r.home_affairs,
        tasks=tasks
        or [
            quarterly("Cải thiện tỷ lệ hồ sơ đúng hạn", target=Target.ALL_COMMUNES),
            quarterly("Rà soát thủ tục hành chính", units=[r.p.justice]),
        ],
        now=ISSUED,
    )


def slot_of(directive: Directive, position: int, unit: OrgUnit, index: int = 1):
    assignment = Assignment.objects.get(task__directive=directive, task__position=position, unit=unit)
    return assignment, TaskPeriod.objects.get(task=assignment.task, index=index)
