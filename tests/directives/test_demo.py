"""The demo's sample directive: fanned out to the demo province's departments and communes, a year of
quarterly reports with some late, missing and returned; loaded once."""

import pytest

from motcua.core.models import OrgUnit
from motcua.demo.directives import NUMBER, load_demo_directives
from motcua.demo.org import load_org
from motcua.directives import selectors
from motcua.directives.models import Assignment, Directive, ReportStatus
from motcua.directives.rules import Standing
from tests.factories import local

pytestmark = pytest.mark.django_db


def test_the_sample_directive_and_its_year_of_reports():
    org = load_org()
    assert load_demo_directives(org) > 1000
    assert load_demo_directives(org) == 0  # a second load writes nothing
    directive = Directive.objects.get(number=NUMBER)
    assert "mẫu" in directive.title and directive.signed_document is not None
    departments = OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT, is_active=True).count()
    assert Assignment.objects.filter(task__directive=directive).count() == departments + 2 * 130 + 1

    at = local(2025, 1, 15)
    year = [
        selectors.consolidate(directive=directive, key=selectors.PeriodKey("quarterly", 2024, q), now=at)
        for q in (1, 2, 3, 4)
    ]
    for quarter in year:
        t = quarter.totals
        assert t.assigned == departments + 2 * 130
        assert t.late > 0 and t.missing > 0 and t.on_time > t.late + t.missing
        assert t.pending == 0
    assert sum(q.totals.returned for q in year) > 0
    q4 = {(s.assignment.task.position, s.assignment.unit_id): s for s in year[3].slots}
    mine = org.first_commune.pk
    assert q4[(2, mine)].report.status == ReportStatus.RETURNED
    assert q4[(3, mine)].standing == Standing.MISSING
