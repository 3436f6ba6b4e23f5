"""The apology letter (form 04): a test on dates, for a dossier at risk, a working new date, a real reason.

Birth registration received Mon 02/03/2026 09:00 → appointment Thu 05/03 09:00; its first step (2 working
days) is due Wed 04/03 09:00.
"""

import pytest

from motcua.core.errors import InvalidTransition, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.clock import Timeliness, apology_is_lawful
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_timeliness
from tests.factories import local

REASON = "Cần xác minh thêm thông tin với công an xã"


NEW_DATE = local(2026, 3, 10, 9)


def apologise(p, d, *, now, new=NEW_DATE, reason=REASON):
    return services.reschedule(
        dossier=d, acting_user=p.leader, new_appointment_at=new, reason=reason, now=now
    )


def settle(p, d, at):
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at)
    d = services.approve(dossier=d, acting_user=p.leader, now=at)
    return services.issue_result(dossier=d, acting_user=p.leader, now=at)


@pytest.mark.parametrize(
    ("issued", "due", "lawful"),
    [
        (local(2026, 3, 4, 16, 30), local(2026, 3, 5, 7, 45), True),  # the afternoon before a morning due
        (local(2026, 3, 4, 23, 59), local(2026, 3, 5, 7, 30), True),
        (local(2026, 3, 5, 7, 0), local(2026, 3, 5, 17, 0), False),  # the due date itself
        (local(2026, 3, 6, 9, 0), local(2026, 3, 5, 17, 0), False),
    ],
)
def test_lawful_is_a_test_on_calendar_dates(issued, due, lawful):
    assert apology_is_lawful(issued, due) is lawful


def test_a_letter_the_afternoon_before_a_morning_due_time_moves_the_date(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = apologise(p, d, now=local(2026, 3, 4, 16, 30))
    assert d.reschedule.lawful is True
    d = settle(p, d, local(2026, 3, 9, 10))  # after the old date, before the new one
    assert dossier_timeliness(d) == Timeliness.ON_TIME


def test_refused_when_the_dossier_is_not_at_risk(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    with pytest.raises(ValidationFailed) as refused:
        apologise(p, d, now=local(2026, 3, 2, 10))  # 3 working days left, first step within its time
    assert refused.value.code == "not_at_risk"
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_an_overrunning_step_puts_the_dossier_at_risk(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    d = apologise(p, d, now=local(2026, 3, 4, 9, 30))  # step due 04/03 09:00 passed, 1 day + 1.5 h left
    assert d.reschedule.lawful is True


@pytest.mark.parametrize("new", [local(2026, 3, 7, 9), local(2026, 3, 9, 12), local(2026, 3, 9, 18)])
def test_the_new_date_is_a_working_moment(province, new):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    with pytest.raises(ValidationFailed) as refused:
        apologise(p, d, now=local(2026, 3, 4, 16), new=new)  # Saturday, lunch break, evening
    assert refused.value.field_codes() == {"new_appointment_at": "not_working_time"}
    assert not Dossier.objects.get(pk=d.pk).events.filter(act="reschedule").exists()


@pytest.mark.parametrize("reason", ["x", "   ", "Chậm", "1234567890 ..."])
def test_the_reason_is_real_text(province, reason):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    with pytest.raises(ValidationFailed):
        apologise(p, d, now=local(2026, 3, 4, 16), reason=reason)
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_refused_for_a_settled_or_paused_dossier(province):
    p = province
    settled = settle(p, p.processing(now=local(2026, 3, 2, 9)), local(2026, 3, 4, 10))
    with pytest.raises(InvalidTransition):
        apologise(p, settled, now=local(2026, 3, 4, 16))
    paused = p.processing(now=local(2026, 3, 2, 9))
    paused = services.request_financial_obligation(
        dossier=paused, acting_user=p.specialist, reason="Nộp thuế", now=local(2026, 3, 3, 9)
    )
    with pytest.raises(InvalidTransition):
        apologise(p, paused, now=local(2026, 3, 4, 16))
    supplement = p.processing(now=local(2026, 3, 2, 9))
    supplement = services.request_supplement(
        dossier=supplement,
        acting_user=p.specialist,
        missing=["Tờ khai"],
        reason="Thiếu",
        now=local(2026, 3, 3, 9),
    )
    with pytest.raises(InvalidTransition):
        apologise(p, supplement, now=local(2026, 3, 4, 16))


def test_ask_to_complete_is_allowed_once(province):
    p = province
    d = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=local(2026, 3, 2, 9))
    d = services.ask_to_complete(
        dossier=d,
        acting_user=p.counter,
        missing=["Tờ khai"],
        reason="Thiếu tờ khai",
        now=local(2026, 3, 2, 10),
    )
    with pytest.raises(ValidationFailed) as refused:
        services.ask_to_complete(
            dossier=d,
            acting_user=p.counter,
            missing=["Giấy chứng sinh"],
            reason="Thiếu",
            now=local(2026, 3, 2, 11),
        )
    assert refused.value.code == "already_asked_to_complete"
    assert Dossier.objects.get(pk=d.pk).version == d.version
    from motcua.dossiers.selectors import available_acts
    from motcua.dossiers.states import Act

    assert Act.ASK_TO_COMPLETE not in available_acts(p.counter, d)
    assert Act.ACCEPT in available_acts(p.counter, d)
