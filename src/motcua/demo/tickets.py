"""Synthetic ticket history of a reception hall, for the demo and the bench (`motcua generate_tickets`).

Per working day of the last `weeks` weeks (days that already have tickets are left alone), per service area:
- arrivals are a Poisson process in office hours (07:30–11:30, 13:00–17:00) whose rate is the area's base
  rate × an hour profile (mornings busy, lunch and closing quiet) × a weekday profile (Monday busiest) × a
  surge on the month's last working days and the working days before Tết (`queueing.forecast`'s definitions);
- the counters (those serving the area, `CounterArea`) call the tickets as the hall does: a free counter takes
  the oldest waiting ticket of its first-priority areas, then of the others, in its shifts of the day (the
  roster, `CounterShift`; office hours without one): nobody is called at lunch or after 17:00, so a busy day
  ends with tickets never called (left waiting, as the hall leaves them);
- a called person is served (a gamma-distributed service time around the area's mean) or, in NO_SHOW_SHARE
  of calls, is not present and the ticket is closed a few minutes later;
- each ticket has a holder (a synthetic ID number unique in the day, a name, a birth date).
Seeded: the same seed, unit, weeks and end day give the same rows. Written in bulk.

An area's base rate keeps its priority counters busy about BUSY of the time on an ordinary day's average
hour: the peaks overrun them, and queues form.
"""

import random
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from motcua.core.calendar import WorkCalendar
from motcua.core.models import OrgUnit
from motcua.core.workcalendar import current_calendar
from motcua.queueing.forecast import is_before_tet, is_month_end
from motcua.queueing.models import CounterArea, ServiceArea, ServiceCounter, Ticket

# The relative arrival rate of each office hour (the hour 7 and 11 windows are half hours: 07:30, 11:00).
HOUR_PROFILE = {7: 0.8, 8: 1.4, 9: 1.5, 10: 1.3, 11: 0.7, 13: 0.7, 14: 1.1, 15: 1.0, 16: 0.5}
WEEKDAY_PROFILE = {0: 1.3, 1: 1.1, 2: 1.0, 3: 0.95, 4: 0.8, 5: 0.6, 6: 0.6}
MONTH_END_SURGE = 1.4
BEFORE_TET_SURGE = 1.7
NO_SHOW_SHARE = 0.05
NO_SHOW_MINUTES = 3.0  # called, recalled, then closed as not present
BUSY = 0.65
SESSIONS = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
BATCH = 5000

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Trang",
]


@dataclass
class _Waiting:
    ticket: Ticket
    area_id: int


@dataclass(frozen=True)
class _AreaPlan:
    area: ServiceArea
    per_hour: float  # arrivals in an ordinary hour of weight 1
    service_minutes: float


def _plans(unit: OrgUnit, rng: random.Random) -> tuple[list[_AreaPlan], dict[int, dict[int, int]]]:
    """Each active area's rates, and each counter's areas with their priority."""
    areas = list(ServiceArea.objects.filter(unit=unit, is_active=True).order_by("position", "pk"))
    if not areas:
        raise ValueError(f"{unit.code}: chưa có khu vực phục vụ nào đang hoạt động")
    links = CounterArea.objects.filter(area__in=areas, counter__unit=unit).values_list(
        "counter_id", "area_id", "priority"
    )
    served: dict[int, dict[int, int]] = {}
    for counter_id, area_id, priority in links:
        served.setdefault(counter_id, {})[area_id] = priority
    if not served:
        raise ValueError(f"{unit.code}: chưa có quầy nào phục vụ các khu vực")
    plans = []
    for area in areas:
        first = sum(1 for areas_of in served.values() if areas_of.get(area.pk) == 1)
        service = round(rng.uniform(7.0, 14.0), 1)
        plans.append(_AreaPlan(area, BUSY * max(first, 1) * 60.0 / service, service))
    return plans, served


def _arrivals(day: date, rate: float, rng: random.Random, tz: ZoneInfo) -> list[datetime]:
    """A Poisson process over the day's office hours, `rate` × the hour profile arrivals an hour."""
    moments: list[datetime] = []
    for start, end in SESSIONS:
        for hour in range(start.hour, end.hour + (1 if end.minute else 0)):
            window_start = max(datetime.combine(day, time(hour), tz), datetime.combine(day, start, tz))
            window_end = min(
                datetime.combine(day, time(hour), tz) + timedelta(hours=1), datetime.combine(day, end, tz)
            )
            per_minute = rate * HOUR_PROFILE.get(hour, 0.0) / 60.0
            if per_minute <= 0 or window_end <= window_start:
                continue
            moment = window_start + timedelta(minutes=rng.expovariate(per_minute))
            while moment < window_end:
                moments.append(moment)
                moment += timedelta(minutes=rng.expovariate(per_minute))
    return moments


def _windows(counter: ServiceCounter, day: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """When the counter calls on `day`: its shifts that weekday (the roster), or office hours without any."""
    shifts = [(s.starts, s.ends) for s in counter.shifts.all() if s.weekday == day.weekday()]
    if not counter.shifts.all():
        shifts = list(SESSIONS)
    return sorted((datetime.combine(day, a, tz), datetime.combine(day, b, tz)) for a, b in shifts)


def _holder(ticket: Ticket, day: date, rng: random.Random) -> None:
    ticket.holder_id_number = f"04{day:%y%m%d}{ticket.number:04d}"
    ticket.holder_name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    age = rng.randint(18, 85)
    ticket.holder_birth_date = date(day.year - age, rng.randint(1, 12), rng.randint(1, 28))
    ticket.identified_by = Ticket.Identified.CARD_QR if rng.random() < 0.7 else Ticket.Identified.TYPED
    ticket.priority = Ticket.Priority.ELDERLY if age >= 60 else Ticket.Priority.NONE


def _serve_day(
    day: date,
    waiting: list[_Waiting],
    counters: list[ServiceCounter],
    served: dict[int, dict[int, int]],
    plans: dict[int, _AreaPlan],
    rng: random.Random,
    tz: ZoneInfo,
) -> None:
    """Call the day's tickets as the counters come free (the module's docstring says how)."""
    queues: dict[int, deque[_Waiting]] = {area_id: deque() for area_id in plans}
    for w in sorted(waiting, key=lambda w: w.ticket.issued_at):
        queues[w.area_id].append(w)
    windows = {c.pk: _windows(c, day, tz) for c in counters if c.pk in served}
    free_at = {pk: spans[0][0] for pk, spans in windows.items() if spans}
    by_pk = {c.pk: c for c in counters}
    while free_at:
        counter_id = min(free_at, key=lambda pk: (free_at[pk], pk))
        opening = next((span for span in windows[counter_id] if span[1] > free_at[counter_id]), None)
        mine = [(priority, area_id) for area_id, priority in served[counter_id].items() if queues[area_id]]
        if opening is None or not mine:  # its shifts are over, or nothing left for it
            del free_at[counter_id]
            continue
        now = max(free_at[counter_id], opening[0])
        ready = [
            (p, queues[a][0].ticket.issued_at, a) for p, a in mine if queues[a][0].ticket.issued_at <= now
        ]
        if not ready:  # idle until the next of its areas' tickets arrives
            free_at[counter_id] = min(queues[a][0].ticket.issued_at for _p, a in mine)
            continue
        _p, _at, area_id = min(ready)
        ticket = queues[area_id].popleft().ticket
        counter = by_pk[counter_id]
        ticket.counter, ticket.called_at = counter, now
        ticket.called_by = ticket.finished_by = counter.officer
        if rng.random() < NO_SHOW_SHARE:
            ticket.status = Ticket.Status.NO_SHOW
            ticket.recalled_at = now + timedelta(minutes=1)
            ticket.finished_at = now + timedelta(minutes=NO_SHOW_MINUTES)
        else:
            mean = plans[area_id].service_minutes
            ticket.status = Ticket.Status.SERVED
            ticket.finished_at = now + timedelta(minutes=max(rng.gammavariate(2.0, mean / 2.0), 1.0))
        free_at[counter_id] = ticket.finished_at


def _factor(cal: WorkCalendar, day: date) -> float:
    factor = WEEKDAY_PROFILE[day.weekday()]
    if is_month_end(cal, day):
        factor *= MONTH_END_SURGE
    if is_before_tet(cal, day):
        factor *= BEFORE_TET_SURGE
    return factor


def generate(*, unit: OrgUnit, weeks: int, seed: int = 1, end: date | None = None) -> int:
    """Write the tickets of the working days of the `weeks` weeks before `end` (default: today, excluded)
    that have none yet; returns how many were written."""
    if weeks < 1:
        raise ValueError("Số tuần phải từ 1 trở lên.")
    end = end or timezone.localdate()
    tz = timezone.get_current_timezone()
    assert isinstance(tz, ZoneInfo)
    cal = current_calendar()
    rng = random.Random(f"{seed}:{unit.code}:{end.isoformat()}:{weeks}")
    area_plans, served = _plans(unit, rng)
    plans = {p.area.pk: p for p in area_plans}
    counters = list(
        ServiceCounter.objects.filter(unit=unit)
        .select_related("officer")
        .prefetch_related("shifts")
        .order_by("number")
    )
    first = end - timedelta(weeks=weeks)
    taken = set(Ticket.objects.filter(unit=unit, day__gte=first, day__lt=end).values_list("day", flat=True))
    batch: list[Ticket] = []
    written = 0
    day = first
    while day < end:
        if cal.is_working_day(day) and day not in taken:
            factor = _factor(cal, day)
            arriving = [
                (moment, plan.area.pk)
                for plan in area_plans
                for moment in _arrivals(day, plan.per_hour * factor, rng, tz)
            ]
            arriving.sort()
            waiting = []
            for number, (moment, area_id) in enumerate(arriving, start=1):
                ticket = Ticket(
                    unit=unit,
                    day=day,
                    number=number,
                    area_id=area_id,
                    issued_at=moment,
                    status=Ticket.Status.WAITING,
                )
                _holder(ticket, day, rng)
                waiting.append(_Waiting(ticket, area_id))
            _serve_day(day, waiting, counters, served, plans, rng, tz)
            batch.extend(w.ticket for w in waiting)
            if len(batch) >= BATCH:
                written += _write(batch)
                batch = []
        day += timedelta(days=1)
    return written + _write(batch)


def _write(batch: list[Ticket]) -> int:
    """One prepared INSERT executed for the whole batch (`bulk_create` spends most of its time building one
    statement of thousands of placeholders); the values prepared by each field as `save` would."""
    if not batch:
        return 0
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Ticket._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    for ticket in batch:
        for f in fields:  # the fields' Python-side defaults (pre_save), as an INSERT by the ORM gets them
            setattr(ticket, f.attname, f.pre_save(ticket, add=True))
    rows = [tuple(f.get_db_prep_save(getattr(t, f.attname), connection) for f in fields) for t in batch]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(batch)


DEMO_WEEKS = 10


def load_demo_tickets(units: list[OrgUnit]) -> int:
    """The demo's ticket history: DEMO_WEEKS weeks for each unit with service areas and counters and no
    tickets yet (so that the measures page shows figures and a forecast); rows written."""
    written = 0
    for unit in units:
        if Ticket.objects.filter(unit=unit).exists():
            continue
        if not CounterArea.objects.filter(area__unit=unit, area__is_active=True).exists():
            continue
        written += generate(unit=unit, weeks=DEMO_WEEKS, seed=1)
    return written
