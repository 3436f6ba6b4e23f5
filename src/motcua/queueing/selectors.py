"""Reads of the queue: who may operate a counter, what a counter and the display board show."""

from datetime import date, datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils.timezone import localtime

from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.queueing.models import ServiceCounter, Ticket

OPERATOR_ROLES = (Role.COUNTER_OFFICER, Role.CENTER_ADMIN)
RECENT_CALLS = 6


def queue_day(moment: datetime) -> date:
    """Numbers restart each local (Asia/Ho_Chi_Minh) day."""
    return localtime(moment).date()


def covers(user: User, unit: OrgUnit) -> bool:
    # The unit scope of dossiers.access.unit_covers: the user's unit or below it.
    return bool(user.org_unit and unit.path.startswith(user.org_unit.path))


def can_operate(user: User, counter: ServiceCounter) -> bool:
    """Counter officers (and the center's administrators) of the counter's unit or a unit above it."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role in OPERATOR_ROLES
        and covers(user, counter.unit)
    )


def can_manage(user: User, unit: OrgUnit) -> bool:
    """The center's administrators set up the counters of their unit and the units below it."""
    return user.is_authenticated and user.is_active and user.role == Role.CENTER_ADMIN and covers(user, unit)


def manageable_units(user: User) -> QuerySet[OrgUnit]:
    if user.role != Role.CENTER_ADMIN or user.org_unit is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=user.org_unit.path, is_active=True).order_by("path")


def counter_officers(user: User) -> QuerySet[User]:
    """Who an administrator may seat at a counter: the operators of the units they manage."""
    if user.role != Role.CENTER_ADMIN or user.org_unit is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, role__in=OPERATOR_ROLES, org_unit__path__startswith=user.org_unit.path
    ).order_by("last_name", "first_name", "username")


def counters_for(user: User) -> QuerySet[ServiceCounter]:
    if user.role not in OPERATOR_ROLES or user.org_unit is None:
        return ServiceCounter.objects.none()
    return ServiceCounter.objects.select_related("unit", "officer").filter(
        unit__path__startswith=user.org_unit.path
    )


def has_open_counter(unit: OrgUnit) -> bool:
    return ServiceCounter.objects.filter(unit=unit, is_open=True).exists()


def kiosk_fields(unit: OrgUnit) -> list[str]:
    """The service areas a person may choose at the kiosk: those of the unit's open counters."""
    fields = (
        ServiceCounter.objects.filter(unit=unit, is_open=True)
        .exclude(field="")
        .values_list("field", flat=True)
    )
    return sorted(set(fields))


def waiting_count(unit: OrgUnit, day: date) -> int:
    return Ticket.objects.filter(unit=unit, day=day, status=Ticket.Status.WAITING).count()


def waiting_by_unit(day: date) -> dict[str, int]:
    """The waiting tickets of `day` per unit code (units with none left out): the metrics' queue lengths."""
    rows = (
        Ticket.objects.filter(day=day, status=Ticket.Status.WAITING)
        .values_list("unit__code")
        .annotate(waiting=Count("pk"))
        .order_by()
    )
    return dict(rows)


def waiting_before(ticket: Ticket) -> int:
    """How many waiting tickets will be called before this one."""
    return Ticket.objects.filter(
        unit_id=ticket.unit_id, day=ticket.day, status=Ticket.Status.WAITING, number__lt=ticket.number
    ).count()


def current_ticket(counter: ServiceCounter) -> Ticket | None:
    return Ticket.objects.filter(counter=counter, status=Ticket.Status.CALLED).order_by("-called_at").first()


def board_state(unit: OrgUnit, *, now: datetime) -> dict[str, Any]:
    """What the display board shows, as plain JSON-able data (also the payload of its server-sent events)."""
    day = queue_day(now)
    counters = list(ServiceCounter.objects.filter(unit=unit, is_open=True).order_by("number"))
    called = {
        t.counter_id: t
        for t in Ticket.objects.filter(unit=unit, day=day, status=Ticket.Status.CALLED).order_by("called_at")
    }
    recent = (
        Ticket.objects.filter(unit=unit, day=day, called_at__isnull=False)
        .select_related("counter")
        .annotate(announced_at=Coalesce("recalled_at", "called_at"))
        .order_by("-announced_at", "-number")[:RECENT_CALLS]
    )
    recent_calls = [
        {
            "ticket": t.label,
            "counter": t.counter.number if t.counter else None,
            "counter_name": t.counter.name if t.counter else "",
            "at": localtime(t.announced_at).strftime("%H:%M:%S"),
        }
        for t in recent
    ]
    return {
        "unit": unit.code,
        "day": day.isoformat(),
        "waiting": waiting_count(unit, day),
        "counters": [
            {
                "number": c.number,
                "name": c.name,
                "ticket": called[c.pk].label if c.pk in called else None,
            }
            for c in counters
        ],
        "recent": recent_calls,
    }
