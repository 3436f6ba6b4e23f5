"""The dossier's clock: appointment, start-of-clock rules, pauses, restart, apology, early/on-time/late."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.core.models import CalendarException
from motcua.dossiers import services
from motcua.dossiers.clock import Timeliness
from motcua.dossiers.models import Channel
from motcua.dossiers.selectors import dossier_timeliness, remaining_time, step_timeliness
from tests.factories import local


def finish(p, d, at):
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at)
    d = services.approve(dossier=d, acting_user=p.leader, now=at)
    return services.issue_result(dossier=d, acting_user=p.leader, now=at)


def test_appointment_skips_tet_2026(province):
    d = province.receive(now=local(2026, 2, 13, 10))  # Friday before Tết; 3 working days
    assert d.appointment_at == local(2026, 2, 25, 10)
    assert d.code == "001.00.50.H40-260213-0001"


def test_paper_dossier_after_15h_counts_from_next_working_day(province):
    d = province.receive(now=local(2026, 3, 2, 15, 30))
    assert d.clock_started_at == local(2026, 3, 3, 7, 30)
    assert d.appointment_at == local(2026, 3, 5, 17)


def test_online_dossier_after_15h_counts_at_once(province):
    p = province
    d = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=local(2026, 3, 2, 15))
    d = services.accept(dossier=d, acting_user=p.counter, now=local(2026, 3, 2, 15, 30))
    assert d.appointment_at == local(2026, 3, 5, 15, 30)


def test_reception_at_lunch_and_weekend_starts_next_session(province):
    assert province.receive(now=local(2026, 3, 2, 12)).clock_started_at == local(2026, 3, 2, 13)
    assert province.receive(now=local(2026, 3, 7, 9)).clock_started_at == local(2026, 3, 9, 7, 30)


def test_province_day_off_moves_the_appointment(province):
    CalendarException.objects.create(day=local(2026, 3, 4).date(), kind="day_off", reason="Bão số 3")
    d = province.receive(now=local(2026, 3, 2, 9))
    assert d.appointment_at == local(2026, 3, 6, 9)


def test_supplement_restarts_the_clock_from_zero(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    assert d.appointment_at == local(2026, 3, 5, 9)
    d = services.request_supplement(
        dossier=d,
        acting_user=p.specialist,
        missing=["Giấy chứng sinh"],
        reason="Thiếu",
        now=local(2026, 3, 3, 9),
    )
    d = services.complete_supplement(dossier=d, acting_user=p.counter, now=local(2026, 3, 9, 10))
    assert d.appointment_at == d.original_appointment_at == local(2026, 3, 12, 10)
    assert d.current_step.due_at == local(2026, 3, 11, 10)  # the step's 2 days, restarted too


def test_financial_pause_pushes_deadlines_by_the_paused_working_time(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    step_due = d.current_step.due_at
    d = services.request_financial_obligation(
        dossier=d, acting_user=p.specialist, reason="Nộp thuế", now=local(2026, 3, 2, 10)
    )
    d = services.fulfil_financial_obligation(dossier=d, acting_user=p.counter, now=local(2026, 3, 2, 14))
    assert d.appointment_at == local(2026, 3, 5, 11, 30)  # + 2.5 working hours (lunch excluded)
    d.current_step.refresh_from_db()
    assert d.current_step.due_at > step_due


def test_lawful_apology_moves_the_judged_appointment(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = services.reschedule(
        dossier=d,
        acting_user=p.leader,
        new_appointment_at=local(2026, 3, 6, 17),
        reason="Chờ xác minh",
        now=local(2026, 3, 4, 16),  # at risk: the first step (due 04/03 09:00) overran
    )
    assert d.reschedule.lawful and d.reschedule.responsible_unit == p.commune
    assert d.reschedule.step == d.current_step
    d = finish(p, d, local(2026, 3, 6, 10))
    assert dossier_timeliness(d) == Timeliness.ON_TIME


def test_late_apology_does_not_excuse_lateness(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = services.reschedule(
        dossier=d,
        acting_user=p.leader,
        new_appointment_at=local(2026, 3, 6, 17),
        reason="Chờ xác minh",
        now=local(2026, 3, 5, 8),
    )
    assert not d.reschedule.lawful
    d = finish(p, d, local(2026, 3, 6, 10))
    assert dossier_timeliness(d) == Timeliness.LATE


def test_appointment_is_rescheduled_only_once_and_only_later(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    with pytest.raises(ValidationFailed):
        services.reschedule(
            dossier=d,
            acting_user=p.leader,
            new_appointment_at=local(2026, 3, 4, 9),
            reason="Cần xác minh thêm với cơ quan liên quan",
            now=local(2026, 3, 4, 16),
        )
    d = services.reschedule(
        dossier=d,
        acting_user=p.leader,
        new_appointment_at=local(2026, 3, 9, 9),
        reason="Cần xác minh thêm với cơ quan liên quan",
        now=local(2026, 3, 4, 16),
    )
    with pytest.raises(ValidationFailed):
        services.reschedule(
            dossier=d,
            acting_user=p.leader,
            new_appointment_at=local(2026, 3, 10, 9),
            reason="Cần xác minh thêm với cơ quan liên quan",
            now=local(2026, 3, 4, 16, 30),
        )
    d.refresh_from_db()
    assert d.appointment_at == local(2026, 3, 9, 9)


@pytest.mark.parametrize(
    ("ended", "expected"),
    [
        (local(2026, 3, 4, 16), Timeliness.EARLY),  # the day before the appointment's day
        (local(2026, 3, 5, 8), Timeliness.ON_TIME),  # the same day, before the hour
        (local(2026, 3, 5, 9), Timeliness.ON_TIME),
        (local(2026, 3, 5, 9, 1), Timeliness.LATE),
    ],
)
def test_early_on_time_late(province, ended, expected):
    d = finish(province, province.processing(now=local(2026, 3, 2, 9)), ended)
    assert dossier_timeliness(d) == expected


def test_open_dossier_is_judged_at_the_end_of_the_period(province):
    d = province.processing(now=local(2026, 3, 2, 9))
    assert dossier_timeliness(d, as_of=local(2026, 3, 5, 9)) == Timeliness.IN_TIME
    assert dossier_timeliness(d, as_of=local(2026, 3, 5, 10)) == Timeliness.OVERDUE
    assert remaining_time(d, now=local(2026, 3, 4, 9)).total_seconds() == 8 * 3600
    assert remaining_time(d, now=local(2026, 3, 5, 10)).total_seconds() == -3600


def test_second_supplement_request_counts_as_late(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    for day in (2, 3):
        d = services.request_supplement(
            dossier=d,
            acting_user=p.specialist,
            missing=["Tờ khai"],
            reason="Thiếu",
            now=local(2026, 3, day, 10),
        )
        d = services.complete_supplement(dossier=d, acting_user=p.counter, now=local(2026, 3, day, 11))
    assert d.events.filter(act="request_supplement").last().data["repeated"] is True
    d = finish(p, d, local(2026, 3, 3, 14))
    assert dossier_timeliness(d) == Timeliness.LATE


def test_each_step_is_judged_against_its_own_share(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    first = d.current_step
    assert first.due_at == local(2026, 3, 4, 9)
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=local(2026, 3, 4, 10))
    first.refresh_from_db()
    assert step_timeliness(first) == Timeliness.LATE
    assert step_timeliness(d.current_step, as_of=local(2026, 3, 4, 11)) == Timeliness.IN_TIME


def test_postal_dossier_uses_the_paper_rule(province):
    p = province
    d = services.receive(
        intake=p.intake(), channel=Channel.POST, acting_user=p.counter, now=local(2026, 3, 2, 16)
    )
    assert d.channel == "post" and d.clock_started_at == local(2026, 3, 3, 7, 30)


def test_supplement_request_records_whether_it_came_within_three_working_days(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = services.request_supplement(
        dossier=d, acting_user=p.specialist, missing=["Tờ khai"], reason="Thiếu", now=local(2026, 3, 5, 9)
    )  # exactly 3 working days
    assert d.events.get(act="request_supplement").data["within_legal_window"] is True
    d = services.complete_supplement(dossier=d, acting_user=p.counter, now=local(2026, 3, 5, 10))
    d = services.request_supplement(
        dossier=d, acting_user=p.specialist, missing=["Tờ khai"], reason="Thiếu", now=local(2026, 3, 11, 9)
    )
    assert d.events.filter(act="request_supplement").last().data["within_legal_window"] is False


def test_restart_after_a_late_apology_is_judged_against_the_new_appointment(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))  # due Thu 5 March 09:00
    d = services.reschedule(
        dossier=d,
        acting_user=p.leader,
        new_appointment_at=local(2026, 3, 6, 17),
        reason="Chờ xác minh",
        now=local(2026, 3, 5, 8),
    )  # too late to count
    d = services.request_supplement(
        dossier=d,
        acting_user=p.specialist,
        missing=["Tờ khai"],
        reason="Cần xác minh thêm với cơ quan liên quan",
        now=local(2026, 3, 5, 9),
    )
    d = services.complete_supplement(dossier=d, acting_user=p.counter, now=local(2026, 3, 9, 9))
    assert d.appointment_at == local(2026, 3, 12, 9)  # the clock restarted from zero
    d = finish(p, d, local(2026, 3, 11, 10))
    assert dossier_timeliness(d) == Timeliness.EARLY
