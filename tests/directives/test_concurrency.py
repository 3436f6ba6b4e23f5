"""Two coordinators accept the same report at once: one wins, the other is told someone else acted.

Runs on SQLite (IMMEDIATE transactions) and on PostgreSQL (row locks)."""

import pytest

from motcua.core.errors import ConflictError
from motcua.directives import services
from motcua.directives.models import Progress, Report, ReportEvent, ReportStatus
from tests.concurrency import run_at_once
from tests.directives.helpers import build_reform, issue, slot_of
from tests.factories import local

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_accepts_at_once_one_wins():
    r = build_reform()
    directive = issue(r)
    assignment, period = slot_of(directive, 1, r.p.commune)
    report = services.submit_report(
        acting_user=r.p.specialist,
        assignment=assignment,
        period=period,
        progress=Progress.COMPLETED,
        content="Hoàn thành.",
        now=local(2024, 3, 18, 10),
    )
    outcomes = run_at_once(
        *[
            lambda user=user: services.accept_report(
                acting_user=user, report=Report.objects.get(pk=report.pk), version=1
            )
            for user in (r.coordinator, r.coordinator_leader)
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["ConflictError", "Report"], outcomes
    conflict = next(o for o in outcomes if isinstance(o, ConflictError))
    assert "người khác cập nhật" in conflict.message
    report.refresh_from_db()
    assert (report.status, report.version) == (ReportStatus.ACCEPTED, 2)
    assert report.events.filter(act=ReportEvent.Act.ACCEPT).count() == 1


def test_two_officers_send_the_first_report_at_once():
    r = build_reform()
    directive = issue(r)
    assignment, period = slot_of(directive, 1, r.p.commune)
    outcomes = run_at_once(
        *[
            lambda user=user: services.submit_report(
                acting_user=user,
                assignment=assignment,
                period=period,
                progress=Progress.IN_PROGRESS,
                content=f"Báo cáo của {user.username}",
                now=local(2024, 3, 18, 10),
            )
            for user in (r.p.specialist, r.p.leader)
        ]
    )
    assert sorted(type(o).__name__ for o in outcomes) in (
        ["ConflictError", "Report"],
        ["Report", "ValidationFailed"],  # the second saw the first's report: "already sent"
    ), outcomes
    assert Report.objects.filter(assignment=assignment, period=period).count() == 1
