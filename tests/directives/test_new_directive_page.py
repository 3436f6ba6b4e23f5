"""Entering a directive on its page: the coordinating unit chosen by MOTCUA_DIRECTIVES_COORDINATOR, its
tasks fanned out; bad input answered on the form with nothing saved."""

import pytest
from django.test import Client
from django.urls import reverse

from motcua.directives.models import Assignment, Directive, TaskPeriod
from tests.directives.helpers import build_reform

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**tasks) -> dict[str, object]:
    data = {
        "number": "12/CT-UBND",
        "signed_on": "05/02/2026",
        "issuer": "Ủy ban nhân dân tỉnh Nghệ An",
        "title": "Về đẩy mạnh dịch vụ công trực tuyến",
        "tasks-TOTAL_FORMS": "2",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "30",
        "tasks-1-target": "units",
        "tasks-1-recurrence": "once",
        "tasks-1-report_days": "0",
    }
    return data | {f"tasks-0-{name}": value for name, value in tasks.items()}


def test_the_coordinator_enters_a_directive(settings):
    r = build_reform()
    settings.MOTCUA_DIRECTIVES_COORDINATOR = r.home_affairs.code
    office = client_for(r.coordinator)
    assert "Nhập chỉ thị mới" in office.get(reverse("directives:home")).content.decode()
    assert "Nhiệm vụ 5" in office.get(reverse("directives:new")).content.decode()  # five rows to fill
    quarterly = {
        "title": "Báo cáo kết quả hằng quý",
        "target": "all_communes",
        "recurrence": "quarterly",
        "starts_on": "01/04/2026",
        "ends_on": "31/12/2026",
        "report_days": "5",
    }
    answer = office.post(reverse("directives:new"), form(**quarterly))
    directive = Directive.objects.get(number="12/CT-UBND")
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "directives:dashboard", args=[directive.pk]
    )
    assert directive.coordinating_unit == r.home_affairs
    assert Assignment.objects.filter(task__directive=directive).count() == 2  # the two communes
    assert TaskPeriod.objects.filter(task__directive=directive).count() == 3  # quarters 2, 3, 4


def test_bad_input_and_other_units_are_answered_on_the_form(settings):
    r = build_reform()
    settings.MOTCUA_DIRECTIVES_COORDINATOR = r.home_affairs.code
    office = client_for(r.coordinator)
    no_task = office.post(reverse("directives:new"), form())
    assert no_task.status_code == 400 and "Chỉ thị cần ít nhất một nhiệm vụ." in no_task.content.decode()
    no_span = office.post(
        reverse("directives:new"),
        form(title="Thiếu khoảng", target="all_communes", recurrence="monthly", report_days="0"),
    )
    assert "cần khoảng thời gian báo cáo" in no_span.content.decode()
    commune = client_for(r.p.leader)
    refused = commune.post(
        reverse("directives:new"),
        form(title="X", target="all_communes", recurrence="once", deadline="30/06/2026", report_days="0"),
    )
    assert refused.status_code == 400
    assert "Chỉ lãnh đạo, chuyên viên của đơn vị đầu mối được nhập chỉ thị." in refused.content.decode()
    assert not Directive.objects.exists()
