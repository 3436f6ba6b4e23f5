"""The alert to the center's head when an area's expected wait passes its target (`target_wait_minutes`).

One alert per episode: the first check that finds the wait over the target marks the area (`alerted_at`, a
conditional update, so two checks at once send one alert) and queues the email in the same transaction; the
area is unmarked when a check finds the wait back at or under the target, and the next episode alerts again.
The email goes to the unit's center administrators and leaders, through the outbox (sent after commit).

`check_waits` runs from `motcua queue_alerts` (cron every few minutes, README "Operations")."""

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from motcua.core.models import User
from motcua.core.roles import Role
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles
from motcua.queueing.measures import ExpectedWait, expected_waits
from motcua.queueing.models import ServiceArea

WAIT_ALERT = "queueing.wait_alert"
HEAD_ROLES = (Role.CENTER_ADMIN, Role.UNIT_LEADER)


def recipients(area: ServiceArea) -> list[str]:
    """The email addresses of the area's unit's center administrators and leaders."""
    people = User.objects.filter(is_active=True, role__in=HEAD_ROLES, org_unit_id=area.unit_id).exclude(
        email=""
    )
    return sorted(set(people.values_list("email", flat=True)))


def alert_payload(wait: ExpectedWait, *, now: datetime) -> dict[str, Any]:
    """The email's recipients and words, fixed when the alert is queued (in Vietnamese)."""
    area = wait.area
    with translation.override("vi"):
        facts = {
            "area": area.name,
            "unit": area.unit.name,
            "minutes": "∞" if math.isinf(wait.minutes) else f"{wait.minutes:.0f}",
            "target": area.target_wait_minutes,
            "waiting": wait.waiting,
            "counters": wait.open_counters,
            "service": f"{wait.service_minutes:.1f}",
            "at": date_format(localtime(now), "DATETIME_FORMAT"),
        }
        subject = _("%(unit)s – %(area)s: thời gian chờ dự kiến %(minutes)s phút, vượt mục tiêu") % facts
        body = "\n\n".join(
            [
                _(
                    "Lúc %(at)s, khu vực %(area)s có %(waiting)s người đang chờ, %(counters)s quầy đang mở; "
                    "thời gian phục vụ trung bình gần đây %(service)s phút."
                )
                % facts,
                _(
                    "Thời gian chờ dự kiến %(minutes)s phút, vượt mục tiêu %(target)s phút. "
                    "Đề nghị mở thêm quầy hoặc điều động cán bộ."
                )
                % facts,
            ]
        )
    return {"area": area.pk, "emails": recipients(area), "subject": subject, "body": body}


@dataclass(frozen=True)
class CheckSummary:
    checked: int
    alerted: int  # areas whose alert was queued by this check
    cleared: int  # areas back under their target


def check_waits(now: datetime | None = None) -> CheckSummary:
    """Check every active area: alert those newly over their target, unmark those back under it."""
    now = now or timezone.now()
    alerted = cleared = checked = 0
    areas = list(ServiceArea.objects.filter(is_active=True).select_related("unit"))
    for wait in expected_waits(areas, now=now):
        area = wait.area
        checked += 1
        if not wait.over_target:
            if area.alerted_at is not None:  # as read: the row is written only when it changes
                cleared += ServiceArea.objects.filter(pk=area.pk, alerted_at__isnull=False).update(
                    alerted_at=None
                )
            continue
        if area.alerted_at is not None:  # the episode's alert went out
            continue
        with transaction.atomic():  # marked and queued together
            if ServiceArea.objects.filter(pk=area.pk, alerted_at__isnull=True).update(alerted_at=now):
                enqueue(WAIT_ALERT, alert_payload(wait, now=now))
                alerted += 1
    return CheckSummary(checked=checked, alerted=alerted, cleared=cleared)


@handles(WAIT_ALERT)
def send_wait_alert(message: OutboxMessage) -> None:
    emails = [str(email) for email in message.payload.get("emails", [])]
    if emails:
        send_mail(str(message.payload["subject"]), str(message.payload["body"]), None, emails)
