"""Reads of directives, scoped to the acting officer: the directives one sees (the coordinating unit's,
and those with a task for one's unit), a unit's report slots, and the consolidation of a directive's period
(who reported, on time or late, who is missing, the tasks' completion), read by the dashboard and the
DOCX/XLSX exports alike."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.core.models import User
from motcua.directives import rules
from motcua.directives.models import (
    Assignment,
    Directive,
    Progress,
    Report,
    ReportStatus,
    TaskPeriod,
)
from motcua.directives.rules import Standing


def is_coordinator(user: User, directive: Directive) -> bool:
    return rules.reports_for(user, directive.coordinating_unit_id)


def visible_directives(user: User) -> QuerySet[Directive]:
    if not user.is_active or user.role not in rules.REPORTING_ROLES or user.org_unit_id is None:
        return Directive.objects.none()
    assigned = Assignment.objects.filter(task__directive=OuterRef("pk"), unit_id=user.org_unit_id)
    return Directive.objects.filter(Q(coordinating_unit_id=user.org_unit_id) | Q(Exists(assigned)))


@dataclass(frozen=True)
class PeriodKey:
    recurrence: str
    year: int
    number: int

    @property
    def slug(self) -> str:
        return f"{self.recurrence}-{self.year}-{self.number}"

    @property
    def label(self) -> str:
        return rules.period_label(self.recurrence, self.year, self.number)

    @classmethod
    def parse(cls, slug: str) -> "PeriodKey | None":
        parts = slug.split("-")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(parts[0], int(parts[1]), int(parts[2]))


def period_keys(directive: Directive) -> list[PeriodKey]:
    """The directive's reporting periods, in the order they fall due."""
    rows = (
        TaskPeriod.objects.filter(task__directive=directive)
        .order_by("due_on", "task__recurrence")
        .values_list("task__recurrence", "year", "number")
    )
    return list(dict.fromkeys(PeriodKey(r, y, n) for r, y, n in rows))


def current_key(directive: Directive, today: date) -> PeriodKey | None:
    """The period that fell due last by `today`, else the first one."""
    due = (
        TaskPeriod.objects.filter(task__directive=directive, due_on__lte=today)
        .order_by("due_on", "pk")
        .values_list("task__recurrence", "year", "number")
        .last()
    )
    if due is not None:
        return PeriodKey(*due)
    keys = period_keys(directive)
    return keys[0] if keys else None


@dataclass(frozen=True)
class Slot:
    """One assignee's report for one period of one task, judged at a moment."""

    assignment: Assignment
    period: TaskPeriod
    report: Report | None
    standing: Standing

    @property
    def completed(self) -> bool:
        r = self.report
        return r is not None and r.status == ReportStatus.ACCEPTED and r.progress == Progress.COMPLETED

    @property
    def period_label(self) -> str:
        task = self.assignment.task
        return rules.period_label(task.recurrence, self.period.year, self.period.number)

    @property
    def standing_label(self) -> str:
        return str(rules.STANDING_LABELS[self.standing])


def _slots(assignments: QuerySet[Assignment], periods: QuerySet[TaskPeriod], now: datetime) -> list[Slot]:
    by_task: dict[int, list[TaskPeriod]] = defaultdict(list)
    for period in periods:
        by_task[period.task_id].append(period)
    assigned = list(assignments.select_related("task__directive", "unit"))
    reports = {
        (r.assignment_id, r.period_id): r
        for r in Report.objects.filter(
            assignment__in=[a.pk for a in assigned], period__in=[p.pk for ps in by_task.values() for p in ps]
        )
    }
    slots = []
    for assignment in assigned:
        for period in by_task[assignment.task_id]:
            report = reports.get((assignment.pk, period.pk))
            judged = rules.standing(
                due_on=period.due_on,
                first_submitted_at=report.first_submitted_at if report else None,
                now=now,
            )
            slots.append(Slot(assignment, period, report, judged))
    return slots


def unit_slots(user: User, *, now: datetime | None = None) -> list[Slot]:
    """Every period of every task of the officer's unit, the ones due first first."""
    if user.org_unit_id is None or user.role not in rules.REPORTING_ROLES:
        return []
    assignments = Assignment.objects.filter(unit_id=user.org_unit_id)
    periods = TaskPeriod.objects.filter(task__assignments__unit_id=user.org_unit_id)
    slots = _slots(assignments, periods, now or timezone.now())
    return sorted(
        slots, key=lambda s: (s.period.due_on, s.assignment.task.directive_id, s.assignment.task.position)
    )


def slot(assignment_id: int, period_id: int, *, now: datetime | None = None) -> Slot | None:
    assignments = Assignment.objects.filter(pk=assignment_id)
    periods = TaskPeriod.objects.filter(pk=period_id, task__assignments=assignment_id)
    found = _slots(assignments, periods, now or timezone.now())
    return found[0] if found else None


def may_see_slot(user: User, found: Slot) -> bool:
    unit_id = found.assignment.unit_id
    return rules.reports_for(user, unit_id) or is_coordinator(user, found.assignment.task.directive)


@dataclass
class Totals:
    assigned: int = 0
    reported: int = 0  # sent at least once
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    awaiting_review: int = 0
    returned: int = 0
    accepted: int = 0
    completed: int = 0  # accepted and reported completed

    def add(self, s: Slot) -> None:
        self.assigned += 1
        self.reported += s.report is not None
        self.on_time += s.standing == Standing.ON_TIME
        self.late += s.standing == Standing.LATE
        self.missing += s.standing == Standing.MISSING
        self.pending += s.standing == Standing.PENDING
        status = s.report.status if s.report else None
        self.awaiting_review += status == ReportStatus.SUBMITTED
        self.returned += status == ReportStatus.RETURNED
        self.accepted += status == ReportStatus.ACCEPTED
        self.completed += s.completed

    @property
    def completion_percent(self) -> float | None:
        return round(100 * self.completed / self.assigned, 1) if self.assigned else None


@dataclass
class TaskLine:
    position: int
    title: str
    totals: Totals = field(default_factory=Totals)


@dataclass
class Consolidation:
    directive: Directive
    key: PeriodKey
    judged_at: datetime
    slots: list[Slot]
    totals: Totals
    tasks: list[TaskLine]

    def of(self, standing: Standing) -> list[Slot]:
        return [s for s in self.slots if s.standing == standing]

    @property
    def late(self) -> list[Slot]:
        return self.of(Standing.LATE)

    @property
    def missing(self) -> list[Slot]:
        return self.of(Standing.MISSING)


def consolidate(*, directive: Directive, key: PeriodKey, now: datetime | None = None) -> Consolidation:
    """Every assignee's report for the directive's period `key`, judged at `now`, with the totals and
    each task's line."""
    now = now or timezone.now()
    periods = TaskPeriod.objects.filter(
        task__directive=directive, task__recurrence=key.recurrence, year=key.year, number=key.number
    )
    assignments = Assignment.objects.filter(task__directive=directive, task__periods__in=periods).distinct()
    slots = sorted(
        _slots(assignments, periods, now),
        key=lambda s: (s.assignment.task.position, s.assignment.unit.path, s.period.index),
    )
    totals = Totals()
    lines: dict[int, TaskLine] = {}
    for s in slots:
        task = s.assignment.task
        totals.add(s)
        lines.setdefault(task.pk, TaskLine(task.position, task.title)).totals.add(s)
    return Consolidation(directive, key, now, slots, totals, list(lines.values()))
