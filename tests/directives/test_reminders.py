"""Reminders: once before the due date, once when late, by email and SMS through the outbox."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.directives import reminders, services
from motcua.directives.models import Progress, Reminder
from motcua.interop.sms import MemorySms
from motcua.outbox.models import OutboxMessage
from tests.directives.helpers import build_reform, issue, slot_of
from tests.factories import local

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"
    settings.MOTCUA_DIRECTIVE_REMINDER_DAYS = 3
    MemorySms.outbox.clear()


def test_before_due_then_late_each_once_to_units_that_have_not_reported(django_capture_on_commit_callbacks):
    r = build_reform()
    directive = issue(r)
    commune, q1 = slot_of(directive, 1, r.p.commune)
    # Q1 is due Tuesday 19/03/2024. Wednesday 13/03: 4 working days to go (14, 15, 18, 19) — too early.
    assert reminders.send_reminders(now=local(2024, 3, 13, 8)) == 0
    # Thursday 14/03: 3 working days to go: the three units are reminded.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_reminders(now=local(2024, 3, 14, 8)) == 3
    assert reminders.send_reminders(now=local(2024, 3, 15, 8)) == 0  # once
    subjects = [m.subject for m in mail.outbox]
    assert "Chỉ thị 05/CT-UBND: hạn báo cáo nhiệm vụ 1 (Quý 1/2024)" in subjects
    assert [m.to for m in mail.outbox] == [["cv@thanhvinh.vn"]]  # the only reporter with an email
    assert MemorySms.outbox == [("0912000001", "CT 05/CT-UBND NV1 Quy 1/2024: han bao cao 19/03/2024.")]

    services.submit_report(
        acting_user=r.p.specialist,
        assignment=commune,
        period=q1,
        progress=Progress.IN_PROGRESS,
        content="Đang triển khai.",
        now=local(2024, 3, 18, 9),
    )
    mail.outbox.clear()
    # Wednesday 20/03: late for the two units that sent nothing; the commune that reported is left alone.
    assert reminders.send_reminders(now=local(2024, 3, 20, 8)) == 2
    assert sorted(Reminder.objects.filter(kind="late").values_list("assignment__unit__name", flat=True)) == [
        "Sở Tư pháp",
        "Xã Hưng Nguyên",
    ]
    assert OutboxMessage.objects.filter(topic="directives.sms").count() == 1  # only the commune has a phone
    out = StringIO()
    call_command("directive_reminders", stdout=out)
    assert out.getvalue() == "0 directive report reminders queued\n"
    assert Reminder.objects.count() == 5


def test_periods_long_overdue_are_not_reminded():
    r = build_reform()
    issue(r)
    # 01/06/2024: Q1 fell due on 19/03, more than 30 days before; Q2 (due 19/06) is 14 working days away.
    assert reminders.send_reminders(now=local(2024, 6, 1, 8)) == 0
