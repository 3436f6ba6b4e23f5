"""The reception hall measured: waits, service times and abandonment per area, counter and hour; arrivals (the
forecast's input); the present expected wait of an area.

- Wait: called_at − issued_at of the tickets called (served or not present).
- Service: finished_at − called_at of the tickets served (a no-show's closing is no service).
- A ticket belongs to the local hour it was taken in (its arrival), for every figure.
- Median and 90th percentile by nearest rank (the value at rank ⌈p·n⌉ of the n sorted values), as in
  `quality`; the mean is the plain mean. All in minutes.
- Abandonment: the tickets closed as not present (no_show), and those never called by their day's end
  (still waiting on a day before `today`), each over the tickets taken.

The present expected wait of an area (`expected_wait`) is its queue's drain time: its waiting tickets × its
recent mean service time ÷ its open counters. This is the one choice made here: the queue in the hall is
known, so it is counted rather than modelled (Erlang C in `queueing.staffing` gives a steady state for an
arrival rate: the page uses it to size tomorrow's counters, not to read today's queue). A counter serving
several areas counts fully for each of them, so an area sharing its counters is measured optimistically.
"""

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import ExtractHour
from django.utils.timezone import get_current_timezone, localtime

from motcua.core.calendar import WorkCalendar
from motcua.core.models import OrgUnit
from motcua.queueing.forecast import Arrivals, Evaluation, evaluate, forecast
from motcua.queueing.models import CounterArea, ServiceArea, ServiceCounter, Ticket
from motcua.queueing.staffing import counters_needed

# The recent service times an area's expected wait is computed with: the last RECENT_SERVED tickets served
# in the last RECENT_DAYS days; without any, DEFAULT_SERVICE_MINUTES.
RECENT_DAYS = 7
RECENT_SERVED = 200
DEFAULT_SERVICE_MINUTES = 10.0


def nearest_rank(values: Sequence[float], share: float) -> float:
    """The value at rank ⌈share·n⌉ of the sorted values (the first for share 0)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


@dataclass(frozen=True)
class Times:
    """Durations in minutes: how many, their median, 90th percentile and mean (None when there are none)."""

    count: int
    median: float | None
    p90: float | None
    mean: float | None

    @classmethod
    def of(cls, minutes: Sequence[float]) -> "Times":
        if not minutes:
            return cls(0, None, None, None)
        return cls(
            len(minutes), nearest_rank(minutes, 0.5), nearest_rank(minutes, 0.9), sum(minutes) / len(minutes)
        )


@dataclass
class _Group:
    taken: int = 0
    no_show: int = 0
    never_called: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Measure:
    """One row: an area (and a counter or an hour, or neither for the area's whole period)."""

    area: ServiceArea
    counter: ServiceCounter | None
    hour: int | None
    taken: int
    wait: Times
    service: Times
    no_show: int
    never_called: int

    @property
    def no_show_share(self) -> float:
        return self.no_show / self.taken if self.taken else 0.0

    @property
    def never_called_share(self) -> float:
        return self.never_called / self.taken if self.taken else 0.0


@dataclass(frozen=True)
class Measures:
    by_area: list[Measure]
    by_area_hour: list[Measure]
    by_area_counter: list[Measure]


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60.0


def measure(*, unit: OrgUnit, start: date, end: date, today: date) -> Measures:
    """The unit's tickets taken from `start` to `end` (both included), per area, per area and hour, and per
    area and counter (the counter that called the ticket; tickets never called have none)."""
    areas = {a.pk: a for a in ServiceArea.objects.filter(unit=unit)}
    counters = {c.pk: c for c in ServiceCounter.objects.filter(unit=unit)}
    rows = (
        Ticket.objects.filter(unit=unit, day__gte=start, day__lte=end, area__isnull=False)
        .annotate(hour=ExtractHour("issued_at", tzinfo=get_current_timezone()))
        .values_list(
            "area_id", "counter_id", "day", "status", "issued_at", "called_at", "finished_at", "hour"
        )
    )
    groups: defaultdict[tuple[int, str, int | None], _Group] = defaultdict(_Group)
    for area_id, counter_id, day, status, issued_at, called_at, finished_at, hour in rows.iterator(
        chunk_size=5000
    ):
        keys = [(area_id, "area", None), (area_id, "hour", hour)]
        if counter_id is not None:
            keys.append((area_id, "counter", counter_id))
        for key in keys:
            g = groups[key]
            g.taken += 1
            if status == Ticket.Status.NO_SHOW:
                g.no_show += 1
            if called_at is None and status == Ticket.Status.WAITING and day < today:
                g.never_called += 1
            if called_at is not None:
                g.waits.append(_minutes(called_at, issued_at))
                if status == Ticket.Status.SERVED and finished_at is not None:
                    g.services.append(_minutes(finished_at, called_at))

    def rows_of(kind: str) -> list[Measure]:
        found = [
            Measure(
                area=areas[area_id],
                counter=counters[other] if kind == "counter" and other is not None else None,
                hour=other if kind == "hour" else None,
                taken=g.taken,
                wait=Times.of(g.waits),
                service=Times.of(g.services),
                no_show=g.no_show,
                never_called=g.never_called,
            )
            for (area_id, k, other), g in groups.items()
            if k == kind
        ]
        return sorted(
            found,
            key=lambda m: (
                m.area.position,
                m.area.name,
                m.hour if m.hour is not None else -1,
                m.counter.number if m.counter else 0,
            ),
        )

    return Measures(by_area=rows_of("area"), by_area_hour=rows_of("hour"), by_area_counter=rows_of("counter"))


def arrivals(*, unit: OrgUnit, start: date, end: date) -> dict[tuple[str, date, int], int]:
    """Tickets taken per (area code, day, local hour) from `start` to `end` included: `forecast`'s input."""
    rows = (
        Ticket.objects.filter(unit=unit, day__gte=start, day__lte=end, area__isnull=False)
        .annotate(hour=ExtractHour("issued_at", tzinfo=get_current_timezone()))
        .values_list("area__code", "day", "hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(code, day, hour): n for code, day, hour, n in rows}


def arrivals_of(history: Arrivals, area_code: str) -> dict[tuple[str, date, int], int]:
    return {key: n for key, n in history.items() if key[0] == area_code}


def recent_service_minutes(areas: Sequence[ServiceArea], *, now: datetime) -> dict[int, float]:
    """Per area id: the mean service time of its last RECENT_SERVED tickets served in the last RECENT_DAYS
    days (areas without any left out)."""
    since = localtime(now).date() - timedelta(days=RECENT_DAYS)
    recent = (
        Ticket.objects.filter(  # the units and their days first: the queue's index
            unit_id__in={a.unit_id for a in areas},
            day__gte=since,
            area__in=areas,
            status=Ticket.Status.SERVED,
            called_at__isnull=False,
            finished_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("area_id", "called_at", "finished_at")
    )
    minutes: defaultdict[int, list[float]] = defaultdict(list)
    for area_id, called, finished in recent:
        if called and finished and len(minutes[area_id]) < RECENT_SERVED:
            minutes[area_id].append(_minutes(finished, called))
    return {area_id: sum(values) / len(values) for area_id, values in minutes.items()}


def mean_service_minutes(area: ServiceArea, *, now: datetime) -> float | None:
    return recent_service_minutes([area], now=now).get(area.pk)


@dataclass(frozen=True)
class ExpectedWait:
    area: ServiceArea
    waiting: int
    open_counters: int
    service_minutes: float  # the recent mean, or DEFAULT_SERVICE_MINUTES without a recent service
    minutes: float  # math.inf when people wait and no counter of the area is open

    @property
    def over_target(self) -> bool:
        return self.minutes > self.area.target_wait_minutes


def expected_waits(areas: Sequence[ServiceArea], *, now: datetime) -> list[ExpectedWait]:
    """The areas' present expected waits (the module's docstring says how they are counted)."""
    if not areas:
        return []
    day = localtime(now).date()
    waiting = dict(
        Ticket.objects.filter(
            unit_id__in={a.unit_id for a in areas}, day=day, status=Ticket.Status.WAITING, area__in=areas
        )
        .values_list("area_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    open_counters = dict(
        CounterArea.objects.filter(area__in=areas, counter__is_open=True)
        .values_list("area_id")
        .annotate(n=Count("counter_id", distinct=True))
        .order_by()
    )
    recent = recent_service_minutes(areas, now=now)
    found = []
    for area in areas:
        people, counters = waiting.get(area.pk, 0), open_counters.get(area.pk, 0)
        service = recent.get(area.pk) or DEFAULT_SERVICE_MINUTES
        if people == 0:
            minutes = 0.0
        elif counters == 0:
            minutes = math.inf
        else:
            minutes = people * service / counters
        found.append(ExpectedWait(area, people, counters, service, minutes))
    return found


def expected_wait(area: ServiceArea, *, now: datetime) -> ExpectedWait:
    return expected_waits([area], now=now)[0]


# The history the forecast learns from (a year and a bit: the month-end and pre-Tết factors need them), and
# the weeks held out to measure its error.
HISTORY_WEEKS = 60
HELD_OUT_WEEKS = 2


def open_hours(cal: WorkCalendar, hour: int) -> float:
    """The share of the clock hour `hour` inside office hours (07:00 → 0.5 with the 07:30 opening)."""
    start, end = hour * 60, hour * 60 + 60
    inside = 0
    for opens, closes in cal.office_hours.sessions:
        lo, hi = opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute
        inside += max(min(end, hi) - max(start, lo), 0)
    return inside / 60.0


def _counters(arrivals_per_hour: float, service_minutes: float, target_minutes: int) -> int | None:
    """Erlang C's counters for the target wait (None past `staffing.MAX_COUNTERS`)."""
    try:
        return counters_needed(arrivals_per_hour, service_minutes, target_minutes=float(target_minutes))
    except ValueError:
        return None


@dataclass(frozen=True)
class HourPlan:
    hour: int
    arrivals: float  # forecast, in the hour
    counters: int | None  # Erlang C: needed for the area's target wait (None: no service time to size with)


@dataclass(frozen=True)
class DayForecast:
    day: date
    arrivals: float
    peak_hour: int | None
    peak_arrivals: float


@dataclass(frozen=True)
class AreaPlan:
    area: ServiceArea
    service_minutes: float | None
    tomorrow: list[HourPlan]
    next_week: list[DayForecast]
    evaluation: Evaluation | None  # the forecast's error on the history's last HELD_OUT_WEEKS weeks

    @property
    def busiest(self) -> HourPlan | None:
        return max(self.tomorrow, key=lambda h: (h.arrivals, -h.hour), default=None)


@dataclass(frozen=True)
class Plan:
    tomorrow: date
    next_week: list[date]
    areas: list[AreaPlan]


# The forecast learns from the history up to yesterday: computed once per unit and day (and calendar), then
# read from the cache (FORECAST_CACHE_SECONDS at most, so a day's late corrections are seen).
FORECAST_CACHE_SECONDS = 3600

AreaForecast = tuple[dict[tuple[date, int], float], Evaluation | None]  # (day, hour) → arrivals; the error


def forecasts(*, unit: OrgUnit, today: date, cal: WorkCalendar, days: list[date]) -> dict[str, AreaForecast]:
    """Per area code: the forecast arrivals of `days` per (day, hour), from the history up to yesterday, and
    the forecast's error on the history's last HELD_OUT_WEEKS weeks (None when the history is too short)."""
    key = (
        f"queueing:forecast:{unit.pk}:{today.isoformat()}:{hash(cal)}:{','.join(d.isoformat() for d in days)}"
    )
    cached: dict[str, AreaForecast] | None = cache.get(key)
    if cached is not None:
        return cached
    history = arrivals(unit=unit, start=today - timedelta(weeks=HISTORY_WEEKS), end=today - timedelta(days=1))
    found: dict[str, AreaForecast] = {}
    for code in sorted({code for code, _day, _hour in history}):
        own = arrivals_of(history, code)
        ahead = {(day, hour): n for (_code, day, hour), n in forecast(own, days, cal).items()}
        enough = len({day for _code, day, _hour in own}) > 5 * HELD_OUT_WEEKS
        found[code] = (ahead, evaluate(own, cal, held_out_weeks=HELD_OUT_WEEKS) if enough else None)
    cache.set(key, found, FORECAST_CACHE_SECONDS)
    return found


def plan(
    *, unit: OrgUnit, today: date, cal: WorkCalendar, service_minutes: Mapping[int, float | None]
) -> Plan:
    """Tomorrow's (the next working day's) and next week's forecast arrivals per area and hour (`forecasts`),
    the forecast's error on held-out weeks, and the counters needed per hour of tomorrow for the area's
    target wait with `service_minutes` (per area id) as the mean service time."""
    tomorrow = cal.next_working_day(today)
    monday = today + timedelta(days=7 - today.weekday())
    next_week = [d for d in (monday + timedelta(days=i) for i in range(7)) if cal.is_working_day(d)]
    predicted = forecasts(unit=unit, today=today, cal=cal, days=sorted({tomorrow, *next_week}))
    areas = []
    for area in ServiceArea.objects.filter(unit=unit, is_active=True).order_by("position", "name"):
        ahead, evaluation = predicted.get(area.code, ({}, None))
        service = service_minutes.get(area.pk)
        hours: list[HourPlan] = []
        for (day, hour), expected in sorted(ahead.items()):
            if day != tomorrow:
                continue
            counters = None
            share = open_hours(cal, hour)
            if service and share > 0:
                counters = _counters(expected / share, service, area.target_wait_minutes)
            hours.append(HourPlan(hour, expected, counters))
        week: list[DayForecast] = []
        for day in next_week:
            per_hour = {hour: n for (d, hour), n in ahead.items() if d == day}
            peak = max(per_hour, key=lambda h: (per_hour[h], -h), default=None)
            peak_arrivals = per_hour[peak] if peak is not None else 0.0
            week.append(DayForecast(day, sum(per_hour.values()), peak, peak_arrivals))
        areas.append(AreaPlan(area, service, hours, week, evaluation))
    return Plan(tomorrow=tomorrow, next_week=next_week, areas=areas)
