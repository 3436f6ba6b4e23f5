"""The back office tells the truth about the clock: a paused dossier is never overdue, a dossier past its
appointment is overdue at any hour, and the apology form is offered exactly when the dossier is at risk."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from motcua.backoffice import display
from motcua.backoffice.views.worklists import Row
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from tests.backoffice.helpers import BASE, client_for, dossier_url, post_act, working_moment_later
from tests.dossiers.helpers import dossier_in
from tests.factories import local

S = Status
SUPPLEMENT_TEXT = "Tạm dừng tính thời hạn, chờ bổ sung từ 02/03/2026"


def _results(client, name: str) -> str:
    """Only the work list's table (the navigation names the list "Quá hạn")."""
    response = client.get(BASE, {"list": name}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    return response.content.decode()


def test_a_paused_dossier_past_its_old_appointment_is_paused_in_the_work_list(province):
    supplement = dossier_in(province, S.SUPPLEMENT_REQUESTED)  # paused on 02/03/2026, due 05/03/2026
    financial = dossier_in(province, S.FINANCIAL_OBLIGATION)
    client = client_for(province.leader)
    waiting = _results(client, "bo-sung")
    assert supplement.code in waiting
    assert SUPPLEMENT_TEXT in waiting and "Tạm dừng tính thời hạn" in waiting
    assert "quá hạn" not in waiting and "sắp đến hạn" not in waiting.lower()
    paying = _results(client, "nghia-vu-tai-chinh")
    assert "Tạm dừng tính thời hạn, chờ thực hiện nghĩa vụ tài chính từ 02/03/2026" in paying
    assert "quá hạn" not in paying
    overdue = _results(client, "qua-han")
    assert supplement.code not in overdue and financial.code not in overdue
    counts = dict((w.name, n) for w, n in client.get(BASE).context["nav_lists"])
    assert counts["qua-han"] == 0 and counts["bo-sung"] == 1


def test_the_page_of_a_paused_dossier_says_paused_not_overdue(province):
    dossier = dossier_in(province, S.SUPPLEMENT_REQUESTED)
    body = client_for(province.leader).get(dossier_url(dossier)).content.decode()
    assert SUPPLEMENT_TEXT in body
    assert "quá hạn" not in body and "Hồ sơ sắp đến hạn" not in body
    assert "/xu-ly/reschedule/" not in body


def test_past_the_appointment_in_the_evening_is_overdue_not_due_soon(province):
    # Received Monday 02/03/2026 07:30: three working days end Wednesday 04/03 at 17:00.
    dossier = province.processing(now=local(2026, 3, 2, 7, 30))
    assert dossier.appointment_at == local(2026, 3, 4, 17)
    evening = local(2026, 3, 4, 20)  # no working time since the appointment, yet it has passed
    clock = display.clock_of(dossier, now=evening)
    assert clock.overdue and not clock.at_risk
    assert clock.remaining_text == "quá hạn"
    assert "sắp đến hạn" not in clock.remaining_text and "còn" not in clock.remaining_text
    html = render_to_string(
        "backoffice/_worklist_results.html",
        {
            "rows": [Row(dossier=dossier, clock=clock)],
            "page": Paginator([dossier], 25).get_page(1),
            "current": None,
        },
        request=RequestFactory().get(BASE),
    )
    assert "quá hạn" in html and "Sắp đến hạn" not in html and "còn 0 phút" not in html
    assert 'class="late"' in html
    next_morning = display.clock_of(dossier, now=local(2026, 3, 5, 9, 30))
    assert next_morning.remaining_text == "quá hạn 2 giờ"
    before = display.clock_of(dossier, now=local(2026, 3, 4, 16))
    assert before.at_risk and not before.overdue and before.remaining_text == "còn 1 giờ"


def test_the_apology_form_is_absent_with_three_working_days_left(province):
    dossier = province.processing()  # received now: the full 3 working days are left
    body = client_for(province.leader).get(dossier_url(dossier)).content.decode()
    assert "/xu-ly/reschedule/" not in body
    assert "Hồ sơ đã quá hạn" not in body and "Hồ sơ sắp đến hạn" not in body


def test_the_apology_form_is_present_for_an_overdue_dossier(province):
    dossier = dossier_in(province, S.PROCESSING)  # due 05/03/2026
    body = client_for(province.leader).get(dossier_url(dossier)).content.decode()
    assert "Hồ sơ đã quá hạn" in body and "/xu-ly/reschedule/" in body


def test_no_apology_form_for_a_settled_dossier(province):
    dossier = dossier_in(province, S.FINISHED)
    body = client_for(province.leader).get(dossier_url(dossier)).content.decode()
    assert "/xu-ly/reschedule/" not in body and "quá hạn" not in body


def test_the_apology_form_follows_the_rule_when_only_the_step_is_late(province):
    # Step 1 has 2 of the 3 working days (due Tuesday 17:00); the dossier is due Wednesday 17:00.
    dossier = province.processing(now=local(2026, 3, 2, 7, 30))
    assert dossier.current_step.due_at == local(2026, 3, 3, 17)
    assert display.apology_due(dossier, now=local(2026, 3, 3, 17)) is False  # a full working day left
    wednesday = local(2026, 3, 4, 7, 30)  # still a full working day left, but the step is late
    assert display.apology_due(dossier, now=wednesday) is True
    assert not display.clock_of(dossier, now=wednesday).late


def test_an_apology_for_a_dossier_not_at_risk_is_refused_and_says_why(province):
    dossier = province.processing()
    later = working_moment_later()
    response = post_act(
        client_for(province.leader),
        dossier,
        "reschedule",
        new_date=later.strftime("%d/%m/%Y"),
        new_time=later.strftime("%H:%M"),
        reason="Cần xác minh thêm với Sở Tư pháp",
    )
    assert response.status_code == 400
    assert "Hồ sơ chưa có nguy cơ trễ hạn" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
