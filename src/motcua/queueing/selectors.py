"""Reads of the queue: who may operate a counter, what a counter and the display board show."""

from datetime import date, datetime
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.timezone import localtime

from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.queueing.models import CounterArea, ServiceArea, ServiceCounter, Ticket

OPERATOR_ROLES = (Role.COUNTER_OFFICER, Role.CENTER_ADMIN)
OPEN_STATUSES = (Ticket.Status.WAITING, Ticket.Status.CALLED)
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


def area_is_served(area: ServiceArea) -> bool:
    """An open counter serves the area: a ticket of it will be called."""
    return CounterArea.objects.filter(area=area, counter__is_open=True).exists()


def kiosk_areas(unit: OrgUnit) -> QuerySet[ServiceArea]:
    """The service areas a person may choose at the kiosk: the unit's active ones an open counter serves."""
    served = CounterArea.objects.filter(area=OuterRef("pk"), counter__is_open=True)
    return (
        ServiceArea.objects.filter(unit=unit, is_active=True)
        .filter(Q(Exists(served)))
        .order_by("position", "name")
    )


def transfer_targets(counter: ServiceCounter) -> tuple[QuerySet[ServiceCounter], QuerySet[ServiceArea]]:
    """Where a counter may send its called ticket: the unit's other open counters, its served areas."""
    counters = ServiceCounter.objects.filter(unit_id=counter.unit_id, is_open=True).exclude(pk=counter.pk)
    return counters.order_by("number"), kiosk_areas(counter.unit)


def next_for(counter: ServiceCounter, day: date) -> QuerySet[Ticket]:
    """The waiting tickets `counter` may call, in the order it calls them: those transferred to it, then
    priority tickets, then its areas by their priority for it (CounterArea.priority), then by number."""
    served = CounterArea.objects.filter(counter=counter, area=OuterRef("area"))
    return (
        Ticket.objects.filter(unit_id=counter.unit_id, day=day, status=Ticket.Status.WAITING)
        # A ticket transferred to this counter is its own, whatever its area.
        .filter(Q(Exists(served), reserved_counter__isnull=True) | Q(reserved_counter=counter))
        .annotate(
            reserved_here=Case(
                When(reserved_counter=counter, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            ordinary=Case(When(priority="", then=Value(1)), default=Value(0), output_field=IntegerField()),
            area_priority=Subquery(served.values("priority")[:1]),
        )
        .order_by("reserved_here", "ordinary", "area_priority", "number")
    )


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
    """How many waiting tickets of its area came before this one (priority tickets may pass it)."""
    return Ticket.objects.filter(
        area_id=ticket.area_id, day=ticket.day, status=Ticket.Status.WAITING, number__lt=ticket.number
    ).count()


def current_ticket(counter: ServiceCounter) -> Ticket | None:
    return Ticket.objects.filter(counter=counter, status=Ticket.Status.CALLED).order_by("-called_at").first()


def board_state(unit: OrgUnit, *, now: datetime) -> dict[str, Any]:
    """What the display board shows, as plain JSON-able data (also the payload of its server-sent events):
    numbers, the holders' initials and counters, never a name or an ID number."""
    day = queue_day(now)
    counters = list(ServiceCounter.objects.filter(unit=unit, is_open=True).order_by("number"))
    called = {
        t.counter_id: t
        for t in Ticket.objects.filter(unit=unit, day=day, status=Ticket.Status.CALLED).order_by("called_at")
    }
    recent = (
        Ticket.objects.filter(unit=unit, day=day, called_at__isnull=False, counter__isnull=False)
        .select_related("counter")
        .annotate(announced_at=Coalesce("recalled_at", "called_at"))
        .order_by("-announced_at", "-number")[:RECENT_CALLS]
    )
    recent_calls = [
        {
            "ticket": t.label,
            "initials": t.initials,
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
                "initials": called[c.pk].initials if c.pk in called else "",
            }
            for c in counters
        ],
        "recent": recent_calls,
    }
