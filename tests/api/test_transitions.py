"""Every legal act through its endpoint, on the happy path, and the state machine's refusals."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from motcua.dossiers.clock import is_working_moment
from motcua.dossiers.models import Dossier, Reschedule
from motcua.dossiers.states import Status
from tests.api.conftest import DOSSIERS, act, client_for, create, create_body, ok
from tests.backoffice.helpers import next_saturday, working_moment_later
from tests.dossiers.helpers import dossier_in


def test_full_journey_from_counter_to_returned_result(province, received):
    p = province
    counter, specialist, leader = client_for(p.counter), client_for(p.specialist), client_for(p.leader)
    d = ok(act(counter, received, "start-processing"))
    assert (d["status"], d["version"]) == (4, 2)
    assert d["current_step"]["name"] == "Thẩm định"
    assert d["current_step"]["unit"]["code"] == "001.00.50.H40"
    assert d["current_step"]["due_at"] is not None
    assert isinstance(d["current_step"]["remaining_working_hours"], float)
    d = ok(act(leader, d, "assign-step", assignee="specialist"))
    assert d["current_step"]["assignee"] == "specialist"
    seen_by_specialist = ok(specialist.get(f"/api/v1/dossiers/{d['code']}/"))
    assert "complete-step" in {a["act"] for a in seen_by_specialist["allowed_acts"]}
    d = ok(act(specialist, d, "complete-step", opinion="Đủ điều kiện"))
    assert d["current_step"]["name"] == "Phê duyệt"
    assert d["steps"][0]["opinion"] == "Đủ điều kiện"
    d = ok(act(leader, d, "approve", opinion="Đồng ý"))
    d = ok(act(leader, d, "issue-result", note="Giấy khai sinh"))
    assert d["status"] == 9
    assert d["ended_at"] is not None
    assert d["timeliness"] in {"early", "on_time"}
    d = ok(act(counter, d, "return-result", note="Trả tại quầy"))
    assert d["status"] == 10
    assert d["status_label"] == "Đã trả kết quả"
    assert d["returned_at"] is not None
    assert d["allowed_acts"] == []
    assert [e["act"] for e in d["events"]] == [
        "receive",
        "start_processing",
        "assign_step",
        "complete_step",
        "approve",
        "issue_result",
        "return_result",
    ]
    assert d["events"][-1]["actor"] == "counter"
    assert Dossier.objects.get(code=d["code"]).status == 10


def test_online_dossier_is_accepted_by_the_counter(province):
    online = ok(create(client_for(province.citizen), create_body(province, channel="online")), 201)
    d = ok(act(client_for(province.counter), online, "accept"))
    assert d["status"] == 2
    assert d["received_at"] is not None and d["appointment_at"] is not None


def test_ask_to_complete_then_refuse_reception(province):
    online = ok(create(client_for(province.citizen), create_body(province, channel="online")), 201)
    counter = client_for(province.counter)
    d = ok(
        act(counter, online, "ask-to-complete", missing=["Giấy chứng sinh"], reason="Thiếu giấy chứng sinh")
    )
    assert (d["status"], d["version"]) == (1, 2)
    assert d["events"][-1]["data"] == {"missing": ["Giấy chứng sinh"]}
    d = ok(act(counter, d, "refuse-reception", reason="Không bổ sung"))
    assert d["status"] == 3
    assert d["events"][-1]["reason"] == "Không bổ sung"


def test_ask_to_complete_needs_the_missing_items(province):
    online = ok(create(client_for(province.citizen), create_body(province, channel="online")), 201)
    response = act(client_for(province.counter), online, "ask-to-complete", missing=[], reason="Thiếu")
    assert response.status_code == 400
    assert response.json()["code"] == "missing_items_required"
    assert response.json()["field_codes"] == {"missing": "required"}
    assert response.json()["fields"]["missing"] == response.json()["message"]


def test_return_step_sends_back_to_the_previous_step(province, processing):
    d = ok(act(client_for(province.specialist), processing, "complete-step"))
    d = ok(act(client_for(province.leader), d, "return-step", reason="Cần thẩm định lại"))
    assert d["status"] == 4
    assert d["current_step"]["name"] == "Thẩm định"
    assert [s["state"] for s in d["steps"]] == ["active", "pending"]


def test_supplement_request_and_completion_restart_the_clock(province, processing):
    d = ok(
        act(
            client_for(province.specialist),
            processing,
            "request-supplement",
            missing=["Giấy chứng sinh"],
            reason="Bản sao không rõ",
        )
    )
    assert d["status"] == 5
    assert d["supplement_requests"] == 1
    d = ok(act(client_for(province.counter), d, "complete-supplement", note="Đã nộp bản rõ"))
    assert d["status"] == 4
    assert d["appointment_at"] == d["original_appointment_at"]
    assert d["appointment_at"] >= processing["appointment_at"]


def test_a_paused_dossier_past_its_old_appointment_is_paused_not_overdue(province):
    viewer = client_for(province.specialist)
    for status, code in (
        (Status.SUPPLEMENT_REQUESTED, "paused"),
        (Status.FINANCIAL_OBLIGATION, "paused"),
        (Status.PROCESSING, "overdue"),
    ):
        dossier = dossier_in(province, status)  # received 02/03/2026, due 05/03/2026
        d = ok(viewer.get(f"{DOSSIERS}{dossier.code}/"))
        assert d["timeliness"] == code, status
        if code == "paused":
            assert d["timeliness_label"] == "Tạm dừng tính thời hạn"
            assert d["paused_since"] is not None
            assert datetime.fromisoformat(d["paused_since"]).date().isoformat() == "2026-03-02"
            assert d["current_step"]["remaining_working_hours"] is None
        else:
            assert d["paused_since"] is None
            assert d["current_step"]["remaining_working_hours"] < 0


def test_financial_obligation_requested_and_fulfilled(province, processing):
    d = ok(
        act(client_for(province.specialist), processing, "request-financial-obligation", reason="Nộp lệ phí")
    )
    assert d["status"] == 6
    assert d["status_label"] == "Chờ thực hiện nghĩa vụ tài chính"
    d = ok(act(client_for(province.counter), d, "fulfil-financial-obligation", note="Biên lai 0001"))
    assert d["status"] == 4


@pytest.fixture
def overdue(province) -> dict[str, Any]:
    """A dossier in processing received 20 days ago: past its appointment, so at risk of being late."""
    dossier = province.processing(now=timezone.now() - timedelta(days=20))
    return ok(client_for(province.specialist).get(f"{DOSSIERS}{dossier.code}/"))


def test_reschedule_sets_the_new_appointment_once(province, overdue):
    new = working_moment_later()
    d = ok(
        act(
            client_for(province.specialist),
            overdue,
            "reschedule",
            new_appointment_at=new.isoformat(),
            reason="Chờ xác minh",
        )
    )
    assert datetime.fromisoformat(d["appointment_at"]) == new
    assert d["original_appointment_at"] == overdue["appointment_at"]
    assert d["reschedule"]["reason"] == "Chờ xác minh"
    assert d["reschedule"]["responsible_unit"]["code"] == "001.00.50.H40"
    assert isinstance(d["reschedule"]["lawful"], bool)
    later = working_moment_later(6).isoformat()
    again = act(
        client_for(province.specialist),
        d,
        "reschedule",
        new_appointment_at=later,
        reason="Lần hai xin hẹn lại",
    )
    assert again.status_code == 400
    assert again.json()["code"] == "already_rescheduled"


def test_reschedule_refuses_naive_unparsable_and_earlier_dates(province, overdue):
    specialist = client_for(province.specialist)
    for value in ("2026-12-30T10:00:00", "30/12/2026", "2026-02-30T10:00:00+07:00", 12):
        response = act(specialist, overdue, "reschedule", new_appointment_at=value, reason="x")
        assert response.status_code == 400, value
        assert "new_appointment_at" in response.json()["fields"]
    earlier = act(
        specialist,
        overdue,
        "reschedule",
        new_appointment_at="2020-01-01T08:00:00+07:00",
        reason="Chờ xác minh thêm",
    )
    assert earlier.status_code == 400
    assert earlier.json()["field_codes"] == {"new_appointment_at": "must_be_later"}
    assert Dossier.objects.get(code=overdue["code"]).version == overdue["version"]


def test_reschedule_refuses_a_reason_without_letters(province, overdue):
    response = act(
        client_for(province.specialist),
        overdue,
        "reschedule",
        new_appointment_at=working_moment_later().isoformat(),
        reason="x",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "reason_too_short" and body["field_codes"] == {"reason": "too_short"}
    assert body["fields"] == {"reason": body["message"]}
    assert "ít nhất 10 chữ cái" in body["message"]
    assert Dossier.objects.get(code=overdue["code"]).version == overdue["version"]
    assert not Reschedule.objects.exists()


def test_reschedule_refuses_a_saturday(province, overdue):
    saturday = next_saturday()
    assert not is_working_moment(saturday)
    response = act(
        client_for(province.specialist),
        overdue,
        "reschedule",
        new_appointment_at=saturday.isoformat(),
        reason="Chờ xác minh thêm",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_new_appointment"
    assert body["field_codes"] == {"new_appointment_at": "not_working_time"}
    assert "ngày, giờ làm việc" in body["message"]
    assert Dossier.objects.get(code=overdue["code"]).version == overdue["version"]
    assert not Reschedule.objects.exists()


def test_reschedule_refuses_a_dossier_not_at_risk(province, processing):
    response = act(
        client_for(province.specialist),
        processing,  # received now: three working days left
        "reschedule",
        new_appointment_at=working_moment_later().isoformat(),
        reason="Chờ xác minh thêm",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_at_risk"
    assert Dossier.objects.get(code=processing["code"]).version == processing["version"]


def test_refusal_after_appraisal_is_returned(province, processing):
    d = ok(act(client_for(province.leader), processing, "refuse", reason="Không đủ điều kiện"))
    assert d["status"] == 8
    assert d["ended_at"] is not None
    d = ok(act(client_for(province.counter), d, "return-result", note="Trả phiếu từ chối"))
    assert d["status"] == 10


def test_withdraw_by_the_counter_and_by_the_applicant(province, received):
    d = ok(act(client_for(province.counter), received, "withdraw", reason="Công dân xin rút"))
    assert d["status"] == 7
    online = ok(create(client_for(province.citizen), create_body(province, channel="online")), 201)
    accepted = ok(act(client_for(province.counter), online, "accept"))
    mine = ok(client_for(province.citizen).get(f"/api/v1/dossiers/{accepted['code']}/"))
    assert {a["act"] for a in mine["allowed_acts"]} == {"withdraw"}
    d = ok(act(client_for(province.citizen), mine, "withdraw", reason="Không cần nữa"))
    assert d["status"] == 7


def test_wrong_state_is_409_invalid_transition_in_vietnamese(province, received):
    response = act(client_for(province.counter), received, "accept")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["message"].startswith("Không thể thực hiện “tiếp nhận hồ sơ trực tuyến”")
    assert body["message_vi"] == body["message"]
    assert body["details"] == {"act": "accept", "status": 2}


def test_required_reason_and_version(province, received):
    counter = client_for(province.counter)
    response = act(counter, received, "withdraw")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"reason"}
    response = counter.post(f"/api/v1/dossiers/{received['code']}/start-processing", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"version"}


def test_assign_to_an_unknown_or_foreign_officer_is_400(province, processing):
    leader = client_for(province.leader)
    unknown = act(leader, processing, "assign-step", assignee="nobody")
    assert unknown.status_code == 400
    assert set(unknown.json()["fields"]) == {"assignee"}
    foreign = act(leader, processing, "assign-step", assignee="justice_specialist")
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "bad_assignee"


def test_a_step_is_assigned_only_to_officers_of_its_own_unit_as_the_form_lists_them(province, processing):
    """The officers who may act on a step work in its unit (not the commune's police below it, nor a unit
    above it): the form offers exactly them and the act accepts no one else."""
    from motcua.backoffice.selectors import assignable_officers
    from motcua.core.roles import Role
    from tests.factories import make_user

    make_user("police_specialist", Role.SPECIALIST, province.commune_police)
    make_user("province_specialist", Role.SPECIALIST, province.province)
    dossier = Dossier.objects.get(code=processing["code"])
    listed = set(assignable_officers(dossier, province.leader).values_list("username", flat=True))
    assert listed == {"specialist", "leader"}
    leader = client_for(province.leader)
    for outsider in ("police_specialist", "province_specialist"):
        refused = act(leader, processing, "assign-step", assignee=outsider)
        assert refused.status_code == 400 and refused.json()["code"] == "bad_assignee"
    assert ok(act(leader, processing, "assign-step", assignee="specialist"))["current_step"]["assignee"] == (
        "specialist"
    )
