"""Every legal transition, performed by the role the law gives it to, with its event and its effects."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.models import ClockPause, DossierEvent, StepInstance
from motcua.dossiers.states import Status
from tests.dossiers.helpers import at, dossier_in

S = Status


def last_event(dossier) -> DossierEvent:
    return dossier.events.order_by("-pk").first()


def test_online_submission_then_acceptance(province):
    p = province
    d = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=at(0))
    assert (d.status, d.appointment_at, d.applicant_user) == (S.NEW_ONLINE, None, p.citizen)
    d = services.accept(dossier=d, acting_user=p.counter, now=at(1))
    assert d.status == S.ACCEPTED and d.appointment_at is not None
    event = last_event(d)
    assert (event.act, event.from_status, event.to_status, event.actor) == ("accept", 1, 2, p.counter)


def test_online_dossier_refused_at_reception(province):
    d = dossier_in(province, S.NEW_ONLINE)
    d = services.refuse_reception(dossier=d, acting_user=province.counter, reason="Sai cơ quan", now=at(1))
    assert d.status == S.NOT_ACCEPTED and d.closed_at == at(1)
    assert last_event(d).reason == "Sai cơ quan"


def test_ask_to_complete_keeps_status_one_and_lists_everything(province):
    d = dossier_in(province, S.NEW_ONLINE)
    d = services.ask_to_complete(
        dossier=d,
        acting_user=province.counter,
        missing=["Giấy chứng sinh", "Tờ khai"],
        reason="Thiếu",
        now=at(1),
    )
    assert d.status == S.NEW_ONLINE
    assert last_event(d).data == {"missing": ["Giấy chứng sinh", "Tờ khai"]}


def test_counter_refusal_is_still_recorded(province):
    d = dossier_in(province, S.NOT_ACCEPTED)
    assert d.status == S.NOT_ACCEPTED and d.code and d.steps.count() == 0
    assert last_event(d).act == "refuse_at_counter"


def test_inter_agency_journey(province):
    p = province
    d = p.processing(p.inter_agency, now=at(0))
    steps = list(d.steps.order_by("position"))
    assert [s.unit for s in steps] == [p.commune, p.justice, p.justice]
    assert d.current_step == steps[0] and steps[0].state == StepInstance.State.ACTIVE
    d = services.complete_step(dossier=d, acting_user=p.specialist, opinion="Đủ điều kiện", now=at(1))
    assert d.current_step.unit == p.justice
    d = services.assign_step(
        dossier=d, acting_user=p.justice_leader, assignee=p.justice_specialist, now=at(2)
    )
    d = services.return_step(dossier=d, acting_user=p.justice_specialist, reason="Xã xác minh lại", now=at(3))
    assert d.current_step.position == 1
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at(4))
    d = services.complete_step(dossier=d, acting_user=p.justice_specialist, now=at(5))
    with pytest.raises(ValidationFailed):
        services.complete_step(dossier=d, acting_user=p.justice_leader, now=at(6))  # an approval step
    d = services.approve(dossier=d, acting_user=p.justice_leader, opinion="Đồng ý", now=at(6))
    d = services.issue_result(dossier=d, acting_user=p.justice_leader, now=at(7))
    assert d.status == S.FINISHED and d.ended_at == at(7)
    d = services.return_result(dossier=d, acting_user=p.counter, now=at(8))
    assert d.status == S.RETURNED and d.returned_at == at(8)
    acts = list(d.events.values_list("act", flat=True))
    assert acts == [
        "receive",
        "start_processing",
        "complete_step",
        "assign_step",
        "return_step",
        "complete_step",
        "complete_step",
        "approve",
        "issue_result",
        "return_result",
    ]


def test_result_cannot_be_issued_before_every_step_is_done(province):
    d = dossier_in(province, S.PROCESSING)
    with pytest.raises(ValidationFailed):
        services.issue_result(dossier=d, acting_user=province.leader, now=at(2))


def test_supplement_round_trip(province):
    p = province
    d = dossier_in(p, S.SUPPLEMENT_REQUESTED)
    pause = d.pauses.get()
    assert (pause.kind, pause.ended_at, pause.missing_items) == (
        ClockPause.Kind.SUPPLEMENT,
        None,
        ["Giấy chứng sinh"],
    )
    d = services.complete_supplement(dossier=d, acting_user=p.counter, now=at(30))
    assert d.status == S.PROCESSING
    assert d.pauses.get().ended_at == at(30)


def test_financial_obligation_round_trip(province):
    d = dossier_in(province, S.FINANCIAL_OBLIGATION)
    d = services.fulfil_financial_obligation(dossier=d, acting_user=province.counter, now=at(2))
    assert d.status == S.PROCESSING and d.pauses.get().ended_at == at(2)


@pytest.mark.parametrize("status", [S.PROCESSING, S.SUPPLEMENT_REQUESTED])
def test_refusal_after_appraisal(province, status):
    d = dossier_in(province, status)
    d = services.refuse(dossier=d, acting_user=province.leader, reason="Không đủ điều kiện", now=at(5))
    assert d.status == S.STOPPED and d.ended_at == at(5)
    assert not d.pauses.filter(ended_at__isnull=True).exists()
    d = services.return_result(dossier=d, acting_user=province.counter, now=at(6))
    assert d.status == S.RETURNED


@pytest.mark.parametrize("status", [S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION])
def test_withdrawal_by_the_applicant(province, status):
    d = dossier_in(province, status)
    d.applicant_user = province.citizen
    d.save(update_fields=["applicant_user"])
    d = services.withdraw(dossier=d, acting_user=province.citizen, reason="Không còn nhu cầu", now=at(5))
    assert d.status == S.WITHDRAWN and d.closed_at == at(5)


def test_reasons_and_missing_items_are_required(province):
    d = dossier_in(province, S.PROCESSING)
    with pytest.raises(ValidationFailed):
        services.refuse(dossier=d, acting_user=province.leader, reason="  ")
    with pytest.raises(ValidationFailed):
        services.request_supplement(dossier=d, acting_user=province.specialist, missing=[], reason="Thiếu")
    d.refresh_from_db()
    assert d.status == S.PROCESSING and d.version == 2
