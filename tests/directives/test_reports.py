"""A unit's report: sent, judged on time / late / missing, returned for revision, sent again, accepted; and
the consolidation of a directive's period, its figures counted by hand."""

import pytest

from motcua.core.errors import ConflictError, PermissionDenied, ValidationFailed
from motcua.directives import selectors, services
from motcua.directives.models import Progress, ReportEvent, ReportStatus
from motcua.directives.rules import Standing
from motcua.outbox.models import OutboxMessage
from tests.directives.helpers import build_reform, issue, slot_of
from tests.factories import local

pytestmark = pytest.mark.django_db

Q1 = selectors.PeriodKey("quarterly", 2024, 1)  # due 19/03/2024


def submit(user, assignment, period, at, progress=Progress.IN_PROGRESS, **kw):
    return services.submit_report(
        acting_user=user,
        assignment=assignment,
        period=period,
        progress=progress,
        content=kw.pop("content", "Đã triển khai."),
        figures=kw.pop("figures", [("Hồ sơ đúng hạn (%)", "97,5")]),
        now=at,
        **kw,
    )


def standing_of(directive, unit, at):
    return next(
        s.standing
        for s in selectors.consolidate(directive=directive, key=Q1, now=at).slots
        if s.assignment.unit == unit and s.assignment.task.position == 1
    )


def test_on_time_late_missing_and_pending_around_the_due_date():
    r = build_reform()
    directive = issue(r)
    assignment, period = slot_of(directive, 1, r.p.commune)
    before_end_of_due_day = local(2024, 3, 19, 23, 59)
    assert standing_of(directive, r.p.commune, before_end_of_due_day) == Standing.PENDING
    assert standing_of(directive, r.p.commune, local(2024, 3, 20)) == Standing.MISSING
    submit(r.p.specialist, assignment, period, before_end_of_due_day)
    assert standing_of(directive, r.p.commune, local(2024, 4, 1)) == Standing.ON_TIME
    other, other_period = slot_of(directive, 1, r.p.other_commune)
    submit(r.other_commune_specialist, other, other_period, local(2024, 3, 20, 0, 0))
    assert standing_of(directive, r.p.other_commune, local(2024, 4, 1)) == Standing.LATE


def test_returned_then_sent_again_then_accepted():
    r = build_reform()
    directive = issue(r)
    assignment, period = slot_of(directive, 1, r.p.commune)
    report = submit(r.p.specialist, assignment, period, local(2024, 3, 18, 10), figures=[("Tỷ lệ", "90")])
    assert (report.status, report.version, report.figures) == (ReportStatus.SUBMITTED, 1, [["Tỷ lệ", "90"]])

    with pytest.raises(ValidationFailed) as refused:
        services.return_report(acting_user=r.coordinator, report=report, version=1, reason="  ")
    assert refused.value.code == "reason_required"
    returned = services.return_report(
        acting_user=r.coordinator,
        report=report,
        version=1,
        reason="Thiếu số liệu quý",
        now=local(2024, 3, 19, 8),
    )
    assert (returned.status, returned.version, returned.return_reason) == (
        ReportStatus.RETURNED,
        2,
        "Thiếu số liệu quý",
    )
    # The unit's reporters are told by email (interop's staff-alert sender).
    told = OutboxMessage.objects.filter(topic="notify.staff").latest("pk").payload
    assert "bị trả lại" in told["subject"] and "Thiếu số liệu quý" in told["body"]

    with pytest.raises(ConflictError):  # sent again from a page loaded before the return
        submit(r.p.leader, assignment, period, local(2024, 3, 20, 9), version=1)
    again = submit(
        r.p.leader, assignment, period, local(2024, 3, 20, 9), version=2, progress=Progress.COMPLETED
    )
    assert (again.status, again.version, again.submitted_by) == (ReportStatus.SUBMITTED, 3, r.p.leader)
    # Late is judged by the first sending (18/03, before the due date 19/03), not by the one after the return.
    assert standing_of(directive, r.p.commune, local(2024, 4, 1)) == Standing.ON_TIME

    accepted = services.accept_report(acting_user=r.coordinator_leader, report=again, version=3)
    assert (accepted.status, accepted.version) == (ReportStatus.ACCEPTED, 4)
    assert list(accepted.events.values_list("act", flat=True)) == [
        ReportEvent.Act.SUBMIT,
        ReportEvent.Act.RETURN,
        ReportEvent.Act.RESUBMIT,
        ReportEvent.Act.ACCEPT,
    ]
    with pytest.raises(ConflictError):  # a second acceptance from a stale page
        services.accept_report(acting_user=r.coordinator, report=again, version=3)
    with pytest.raises(ValidationFailed) as refused:  # nothing to send again once accepted
        submit(r.p.leader, assignment, period, local(2024, 3, 21), version=4)
    assert refused.value.code == "already_submitted"


def test_who_may_report_and_who_may_review():
    r = build_reform()
    directive = issue(r)
    assignment, period = slot_of(directive, 1, r.p.commune)
    with pytest.raises(PermissionDenied):  # another commune's officer
        submit(r.other_commune_specialist, assignment, period, local(2024, 3, 1))
    with pytest.raises(PermissionDenied):  # the commune's counter officer
        submit(r.p.counter, assignment, period, local(2024, 3, 1))
    report = submit(r.p.specialist, assignment, period, local(2024, 3, 1))
    with pytest.raises(ValidationFailed) as refused:  # a report once sent is not sent twice
        submit(r.p.leader, assignment, period, local(2024, 3, 2))
    assert refused.value.code == "already_submitted"
    with pytest.raises(PermissionDenied):  # the assignee does not accept its own report
        services.accept_report(acting_user=r.p.leader, report=report, version=1)
    with pytest.raises(ValidationFailed) as refused:
        submit(r.p.specialist, assignment, period, local(2024, 3, 1), figures=[("Tỷ lệ", "nhiều")], version=1)
    assert refused.value.code in {"invalid_figure", "already_submitted"}


def test_bad_figures_and_early_reports_change_nothing():
    r = build_reform()
    directive = issue(r)
    assignment, q2 = slot_of(directive, 1, r.p.commune, index=2)
    with pytest.raises(ValidationFailed) as refused:
        submit(r.p.specialist, assignment, q2, local(2024, 3, 14))  # Q2 opens on 15/03
    assert refused.value.code == "period_not_started"
    with pytest.raises(ValidationFailed) as refused:
        submit(r.p.specialist, assignment, q2, local(2024, 3, 15), figures=[("Tỷ lệ", "nhiều")])
    assert refused.value.code == "invalid_figure"
    assert not assignment.reports.exists()


def test_the_consolidated_report_of_a_quarter():
    r = build_reform()
    directive = issue(r)
    commune, commune_q1 = slot_of(directive, 1, r.p.commune)
    justice, justice_q1 = slot_of(directive, 2, r.p.justice)
    # Phường Thành Vinh: on time (18/03), completed, accepted.
    report = submit(r.p.specialist, commune, commune_q1, local(2024, 3, 18, 10), progress=Progress.COMPLETED)
    services.accept_report(acting_user=r.coordinator, report=report, version=1)
    # Sở Tư pháp: late (20/03), returned, sent again: waiting for review.
    report = submit(r.p.justice_specialist, justice, justice_q1, local(2024, 3, 20, 9))
    services.return_report(acting_user=r.coordinator, report=report, version=1, reason="Bổ sung")
    submit(r.p.justice_leader, justice, justice_q1, local(2024, 3, 22, 9), version=2)
    # Xã Hưng Nguyên: nothing sent. Q2 of every unit: not due yet on 01/04/2024.

    c = selectors.consolidate(directive=directive, key=Q1, now=local(2024, 4, 1, 8))
    t = c.totals
    assert (t.assigned, t.reported, t.on_time, t.late, t.missing, t.pending) == (3, 2, 1, 1, 1, 0)
    assert (t.awaiting_review, t.returned, t.accepted, t.completed) == (1, 0, 1, 1)
    assert t.completion_percent == 33.3
    assert [
        (line.position, line.totals.assigned, line.totals.completed, line.totals.completion_percent)
        for line in c.tasks
    ] == [(1, 2, 1, 50.0), (2, 1, 0, 0.0)]
    assert [s.assignment.unit.name for s in c.late] == ["Sở Tư pháp"]
    assert [s.assignment.unit.name for s in c.missing] == ["Xã Hưng Nguyên"]

    q2 = selectors.consolidate(
        directive=directive, key=selectors.PeriodKey("quarterly", 2024, 2), now=local(2024, 4, 1, 8)
    )
    assert (q2.totals.assigned, q2.totals.pending, q2.totals.missing) == (3, 3, 0)
