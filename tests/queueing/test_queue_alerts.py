"""The long-wait alert: once per episode, to the unit's center administrators and leaders, through the
outbox."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from motcua.core.roles import Role
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import dispatch_pending
from motcua.queueing.models import ServiceArea, Ticket
from motcua.queueing.wait_alerts import WAIT_ALERT, check_waits
from tests.factories import local, make_user
from tests.queueing.test_measures import NEXT, make_hall, the_day, ticket

pytestmark = pytest.mark.django_db


def queue_of(unit, area, count, *, first=1):
    for number in range(first, first + count):
        ticket(unit, area, number, local(2026, 3, 3, 8, number % 60), day=NEXT)


def test_an_area_over_its_target_is_alerted_once_per_episode_to_the_centers_head(province):
    center = province.center
    civil = the_day(center)[0]  # 2 March: Hộ tịch's services take 12 minutes on average
    province.admin.email = "quantri@example.vn"
    province.admin.save(update_fields=["email"])
    make_user("center_leader", Role.UNIT_LEADER, center, email="lanhdao@example.vn")
    make_user("center_officer", Role.COUNTER_OFFICER, center, email="quay@example.vn")  # not told
    province.leader.email = "lanhdao.xa@example.vn"  # another unit's leader: not told
    province.leader.save(update_fields=["email"])

    # 4 waiting × 12 minutes ÷ 2 counters = 24 minutes > 15: alerted.
    queue_of(center, civil, 4)
    summary = check_waits(local(2026, 3, 3, 9, 0))
    assert (summary.alerted, summary.cleared) == (1, 0)
    civil.refresh_from_db()
    assert civil.alerted_at == local(2026, 3, 3, 9, 0)
    message = OutboxMessage.objects.get(topic=WAIT_ALERT)
    assert message.payload["emails"] == ["lanhdao@example.vn", "quantri@example.vn"]
    assert "Hộ tịch" in message.payload["subject"] and "24 phút" in message.payload["subject"]

    # Still over a few minutes later (one more waiting): the same episode, no second alert.
    queue_of(center, civil, 1, first=5)
    assert check_waits(local(2026, 3, 3, 9, 5)).alerted == 0
    assert OutboxMessage.objects.filter(topic=WAIT_ALERT).count() == 1

    # Back under the target (one person left: 6 minutes): the episode ends.
    Ticket.objects.filter(area=civil, day=NEXT, number__lte=4).update(status=Ticket.Status.SERVED)
    summary = check_waits(local(2026, 3, 3, 9, 30))
    assert (summary.alerted, summary.cleared) == (0, 1)
    civil.refresh_from_db()
    assert civil.alerted_at is None

    # Over again: a new episode, a new alert.
    queue_of(center, civil, 4, first=10)
    assert check_waits(local(2026, 3, 3, 10, 0)).alerted == 1
    assert OutboxMessage.objects.filter(topic=WAIT_ALERT).count() == 2

    # Sent after commit by the outbox: one email per alert, to the two heads.
    while dispatch_pending():
        pass
    assert len(mail.outbox) == 2
    assert sorted(mail.outbox[0].to) == ["lanhdao@example.vn", "quantri@example.vn"]
    assert "vượt mục tiêu 15 phút" in mail.outbox[0].body


def test_an_area_under_its_target_or_inactive_is_not_alerted(province):
    civil = the_day(province.center)[0]
    queue_of(province.center, civil, 2)  # 2 × 12 ÷ 2 = 12 minutes ≤ 15
    assert check_waits(local(2026, 3, 3, 9, 0)).alerted == 0
    ServiceArea.objects.filter(pk=civil.pk).update(target_wait_minutes=10)
    assert check_waits(local(2026, 3, 3, 9, 1)).alerted == 1
    ServiceArea.objects.filter(pk=civil.pk).update(is_active=False, alerted_at=None)
    assert check_waits(local(2026, 3, 3, 9, 2)).alerted == 0


def test_the_command_checks_the_queues_of_now(province):
    civil = make_hall(province.center)[0]
    province.admin.email = "quantri@example.vn"
    province.admin.save(update_fields=["email"])
    now = timezone.now()
    today = timezone.localdate()
    for number in range(1, 5):  # no recent service: 10 minutes each, 4 × 10 ÷ 2 counters = 20 > 15
        ticket(province.center, civil, number, now, day=today)
    out = io.StringIO()
    call_command("queue_alerts", stdout=out)
    assert "1 cảnh báo mới" in out.getvalue()
    assert OutboxMessage.objects.get(topic=WAIT_ALERT).payload["emails"] == ["quantri@example.vn"]
    call_command("queue_alerts", stdout=out)
    assert OutboxMessage.objects.filter(topic=WAIT_ALERT).count() == 1
