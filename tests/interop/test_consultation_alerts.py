"""A consultation answered late, or not answered by its deadline, alerts the asking unit (the asker, the
asking step's assignee, the asking unit's leaders) and the one-stop head (the receiving unit's leaders), by
email through the outbox: nobody else, and each overdue question once (interop.staff_alerts)."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers import services
from motcua.dossiers.models import Consultation, Dossier
from motcua.interop.staff_alerts import alert_overdue
from motcua.outbox.services import dispatch_pending
from tests.dossiers.test_access import police_of
from tests.factories import Province, local, make_user

QUESTION = "Đề nghị Công an phường xác nhận nơi cư trú của người yêu cầu."
# Asked on Tuesday 3 March 2026 at 10:00 for 2 working days: due Thursday 5 March at 10:00.
ASKED, DUE = local(2026, 3, 3, 10), local(2026, 3, 5, 10)
TOLD = [
    "lanhdao.phuong@example.vn",  # the one-stop head: the commune received the dossier
    "lanhdao.so@example.vn",  # the asker, a leader of the asking department
    "thuly.so@example.vn",  # the department's step is assigned to them
]


def _at_the_department_asking_the_police(p: Province) -> tuple[Dossier, Consultation]:
    """An inter-agency dossier received at the commune, at the department's step (assigned to a second
    specialist there), whose leader asks the commune police's opinion."""
    police_of(p)
    handler = make_user("justice_handler", Role.SPECIALIST, p.justice)
    emails = {
        p.leader: "lanhdao.phuong@example.vn",
        p.specialist: "chuyenvien.phuong@example.vn",
        p.counter: "motcua.phuong@example.vn",
        p.justice_leader: "lanhdao.so@example.vn",
        p.justice_specialist: "chuyenvien.so@example.vn",
        handler: "thuly.so@example.vn",
        p.admin: "quantri@example.vn",
    }
    for user, email in emails.items():
        User.objects.filter(pk=user.pk).update(email=email)
    User.objects.filter(org_unit=p.commune_police).update(email="congan.phuong@example.vn")
    d = p.processing(p.inter_agency, now=local(2026, 3, 2, 9))
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=local(2026, 3, 2, 15))
    d = services.assign_step(dossier=d, acting_user=p.justice_leader, assignee=handler, now=ASKED)
    d = services.consult(
        dossier=d,
        acting_user=p.justice_leader,
        consulted_units=[p.commune_police],
        content=QUESTION,
        working_days=2,
        now=ASKED,
    )
    dispatch_pending()  # the applicant's own notifications so far
    mail.outbox.clear()
    return d, Consultation.objects.get(dossier=d)


def test_an_unanswered_question_past_its_deadline_alerts_the_asking_unit_and_the_one_stop_head(province):
    p = province
    d, question = _at_the_department_asking_the_police(p)
    assert question.due_at == DUE
    assert alert_overdue(DUE) == 0  # due at 10:00: not late yet
    assert alert_overdue(local(2026, 3, 5, 10, 5)) == 1
    assert alert_overdue(local(2026, 3, 5, 10, 10)) == 0  # once
    question.refresh_from_db()
    assert question.late_alerted_at == local(2026, 3, 5, 10, 5)
    dispatch_pending()
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert sorted(alert.to) == TOLD
    assert alert.subject == f"Hồ sơ {d.code}: Công an phường Thành Vinh chưa trả lời xin ý kiến, đã quá hạn"
    assert "hạn trả lời là 05/03/2026 10:00" in alert.body and QUESTION in alert.body


def test_a_late_answer_alerts_the_same_people(province):
    p = province
    d, question = _at_the_department_asking_the_police(p)
    police = User.objects.get(username="police_specialist")
    services.answer_consultation(
        dossier=d,
        acting_user=police,
        consultation_id=question.pk,
        answer="Người yêu cầu cư trú tại địa bàn.",
        now=local(2026, 3, 5, 14),
    )
    dispatch_pending()
    assert len(mail.outbox) == 1
    alert = mail.outbox[0]
    assert sorted(alert.to) == TOLD
    assert alert.subject == f"Hồ sơ {d.code}: Công an phường Thành Vinh trả lời xin ý kiến trễ hạn"
    assert "lúc 05/03/2026 14:00, sau hạn trả lời 05/03/2026 10:00" in alert.body
    assert alert_overdue(local(2026, 3, 6, 9)) == 0  # answered: nothing overdue


def test_an_answer_on_time_alerts_nobody(province):
    p = province
    d, question = _at_the_department_asking_the_police(p)
    police = User.objects.get(username="police_leader")
    services.answer_consultation(
        dossier=d, acting_user=police, consultation_id=question.pk, answer="Đồng ý.", now=local(2026, 3, 5, 9)
    )
    dispatch_pending()
    assert mail.outbox == []


@pytest.mark.parametrize("answered", [False, True])
def test_the_command_alerts_what_is_overdue_now(province, answered):
    p = province
    _d, question = _at_the_department_asking_the_police(p)
    if answered:
        Consultation.objects.filter(pk=question.pk).update(answered_at=local(2026, 3, 4, 9), answer="x")
    out = StringIO()
    call_command("consultation_alerts", stdout=out)  # now: December 2026, long past the deadline
    assert out.getvalue() == ("0" if answered else "1") + " overdue consultations alerted\n"
