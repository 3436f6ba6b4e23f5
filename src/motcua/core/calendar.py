"""Working calendar and deadline arithmetic: the only place appointments and remaining time are computed.

Everything is computed in the local wall-clock time of `WorkCalendar.tz` (Asia/Ho_Chi_Minh has no daylight
saving time). Internally a moment is a (date, microseconds since local midnight) pair: the walk is integer
arithmetic, one step per day.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "OfficeHours",
    "TimeUnit",
    "WorkCalendar",
    "add_working_time",
    "start_of_clock",
    "working_days_between",
    "working_time_between",
]

_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3600 * _US_PER_SECOND
_ONE_DAY = timedelta(days=1)
_VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class TimeUnit(StrEnum):
    """Unit of a published time limit."""

    WORKING_DAYS = "working_days"
    DAYS = "days"  # calendar days, published as "Ngày"
    WORKING_HOURS = "working_hours"
    MONTHS = "months"


def _time_to_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


def _at(d: date, us: int, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time.min, tzinfo=tz) + timedelta(microseconds=us)


@dataclass(frozen=True)
class OfficeHours:
    """Sessions of a working day, in local time, in order and not overlapping."""

    sessions: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
    _bounds: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    _day_us: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sessions = tuple((start, end) for start, end in self.sessions)
        if not sessions:
            raise ValueError("office hours need at least one session")
        bounds: list[tuple[int, int]] = []
        for start, end in sessions:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office hours are local times without tzinfo")
            lo, hi = _time_to_us(start), _time_to_us(end)
            if lo >= hi or (bounds and lo < bounds[-1][1]):
                raise ValueError(f"sessions must be increasing and not overlapping: {sessions!r}")
            bounds.append((lo, hi))
        object.__setattr__(self, "sessions", sessions)
        object.__setattr__(self, "_bounds", tuple(bounds))
        object.__setattr__(self, "_day_us", sum(hi - lo for lo, hi in bounds))

    @property
    def hours_per_day(self) -> Decimal:
        """Working hours in one working day (8 by default)."""
        return Decimal(self._day_us) / _US_PER_HOUR

    @property
    def day_length(self) -> timedelta:
        """Working time in one working day."""
        return timedelta(microseconds=self._day_us)


@cache
def _national_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays incl. substituted days off, make-up working weekend days) of one year."""
    vietnam = holidays.Vietnam(years=year)
    days_off = frozenset(d for d in vietnam if d.year == year)
    weekend_workdays = frozenset(d for d in vietnam.weekend_workdays if d.year == year)
    return days_off, weekend_workdays


@dataclass(frozen=True)
class WorkCalendar:
    """National working days with the province's overrides, office hours and the start-of-clock rule."""

    office_hours: OfficeHours = OfficeHours()
    extra_days_off: frozenset[date] = frozenset()  # province-configured days off (e.g. storms)
    make_up_working_days: frozenset[date] = frozenset()  # province-configured extra working days
    removed_holidays: frozenset[date] = frozenset()  # package holidays the province says are not off
    tz: ZoneInfo = _VIETNAM_TZ
    paper_cutoff: time | None = time(15, 0)  # paper dossiers received at or after this start next day

    def __post_init__(self) -> None:
        # Accept any iterable of dates (e.g. a set from a query) and keep the calendar hashable.
        for name in ("extra_days_off", "make_up_working_days", "removed_holidays"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))

    def is_working_day(self, d: date) -> bool:
        """Whether `d` is a working day.

        Precedence: extra days off, then make-up days, then removed holidays (Mon–Fri only), then national.
        """
        if d in self.extra_days_off:
            return False
        if d in self.make_up_working_days:
            return True
        days_off, weekend_workdays = _national_calendar(d.year)
        if d.weekday() >= 5:
            return d in weekend_workdays
        return d not in days_off or d in self.removed_holidays

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d


_DEFAULT_CALENDAR = WorkCalendar()


def _local(moment: datetime, cal: WorkCalendar) -> tuple[date, int]:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
    local = moment.astimezone(cal.tz)
    return local.date(), _time_to_us(local.time())


def _clock_start(cal: WorkCalendar, d: date, us: int, paper: bool) -> tuple[date, int, bool]:
    """Local start of clock as (date, microseconds, unchanged) where unchanged means the moment itself."""
    bounds = cal.office_hours._bounds
    if cal.is_working_day(d):
        if paper and cal.paper_cutoff is not None and us >= _time_to_us(cal.paper_cutoff):
            return cal.next_working_day(d), bounds[0][0], False
        for lo, hi in bounds:
            if us < lo:
                return d, lo, False
            if us < hi:
                return d, us, True
    return cal.next_working_day(d), bounds[0][0], False


def start_of_clock(
    moment: datetime, *, paper: bool = False, calendar: WorkCalendar | None = None
) -> datetime:
    """When the processing clock starts for a dossier received at `moment` (aware, result in calendar.tz).

    Inside a working session: the moment itself. Otherwise: the start of the next working session. Paper
    dossiers received at or after `paper_cutoff` on a working day start at the next working day's first
    session.
    """
    cal = calendar or _DEFAULT_CALENDAR
    d, us, unchanged = _clock_start(cal, *_local(moment, cal), paper)
    if unchanged:
        return moment.astimezone(cal.tz)
    return _at(d, us, cal.tz)


def transfer_deadline(moment: datetime, *, calendar: WorkCalendar | None = None) -> datetime:
    """When a dossier received at `moment` must have been handed over by the one-stop section to the
    deciding agency: the end of that working day; the end of the next working day when it was received at
    or after the cutoff (`paper_cutoff`, 15:00 by default), after office hours or on a day off.
    """
    cal = calendar or _DEFAULT_CALENDAR
    d, us = _local(moment, cal)
    closing = cal.office_hours._bounds[-1][1]
    cutoff = _time_to_us(cal.paper_cutoff) if cal.paper_cutoff is not None else closing
    if not cal.is_working_day(d) or us >= min(cutoff, closing):
        d = cal.next_working_day(d)
    return _at(d, closing, cal.tz)


def is_working_moment(moment: datetime, *, calendar: WorkCalendar | None = None) -> bool:
    """Whether `moment` lies inside a working session of a working day (a session's end included)."""
    cal = calendar or _DEFAULT_CALENDAR
    d, us = _local(moment, cal)
    return cal.is_working_day(d) and any(lo <= us <= hi for lo, hi in cal.office_hours._bounds)


def _to_decimal(amount: int | Decimal | float) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal | float):
        raise TypeError(f"amount must be int, Decimal or float, got {type(amount).__name__}")
    if isinstance(amount, float):
        if not math.isfinite(amount):
            raise ValueError(f"amount must be finite, got {amount!r}")
        value = Decimal(repr(amount))  # 0.1 means 0.1, not its binary approximation
    else:
        value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"amount must be finite, got {amount!r}")
    if value < 0:
        raise ValueError(f"amount must not be negative, got {amount!r}")
    return value


def _walk(cal: WorkCalendar, d: date, us: int, remaining: int) -> tuple[date, int]:
    """Advance `remaining` (> 0) microseconds of working time from a start of clock (d, us)."""
    bounds = cal.office_hours._bounds
    day_us = cal.office_hours._day_us
    first_start = bounds[0][0]
    while True:
        if cal.is_working_day(d):
            if us <= first_start and remaining >= day_us:
                remaining -= day_us
                if remaining == 0:
                    return d, bounds[-1][1]
            else:
                for lo, hi in bounds:
                    if us >= hi:
                        continue
                    begin = max(lo, us)
                    if remaining <= hi - begin:
                        # Ending exactly at a session end returns that end, not the next session start.
                        return d, begin + remaining
                    remaining -= hi - begin
        d += _ONE_DAY
        us = 0


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, min(d.day, (next_month - _ONE_DAY).day))


def _calendar_deadline(cal: WorkCalendar, d: date, us: int) -> tuple[date, int]:
    """Calendar-day deadline: the end of its last day (Civil Code: a period ends at the end of its last
    day), moved to the end of the next working day when that day is off. Keeps the result monotonic."""
    end_of_day = cal.office_hours._bounds[-1][1]
    return (d if cal.is_working_day(d) else cal.next_working_day(d)), end_of_day


def add_working_time(
    start: datetime,
    amount: int | Decimal | float,
    unit: TimeUnit | str,
    *,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """The appointment: `amount` of `unit` counted from `start_of_clock(start)` (aware; in calendar.tz).

    WORKING_DAYS / WORKING_HOURS walk through office sessions (a working day = `hours_per_day` hours,
    fractions allowed); a deadline exactly at a session end is that end (e.g. 17:00), not the next session
    start. DAYS / MONTHS (whole numbers only) move the date by calendar days / months (day of month clamped)
    and end at the close of that day's last session; a date that is not a working day moves to the end of
    the next working day (Civil Code rule). Amount 0 returns the start of clock. The paper
    start-of-clock rule is not applied here: pass `start_of_clock(received, paper=True)` as `start`.
    """
    cal = calendar or _DEFAULT_CALENDAR
    unit = TimeUnit(unit)
    value = _to_decimal(amount)
    d, us, unchanged = _clock_start(cal, *_local(start, cal), False)
    if value == 0:
        return start.astimezone(cal.tz) if unchanged else _at(d, us, cal.tz)
    if unit is TimeUnit.WORKING_DAYS or unit is TimeUnit.WORKING_HOURS:
        per_unit = cal.office_hours._day_us if unit is TimeUnit.WORKING_DAYS else _US_PER_HOUR
        remaining = int((value * per_unit).to_integral_value(rounding=ROUND_HALF_UP))
        d, us = _walk(cal, d, us, remaining) if remaining else (d, us)
    else:
        if value != value.to_integral_value():
            raise ValueError(f"an amount in {unit.value} must be a whole number, got {amount!r}")
        if unit is TimeUnit.DAYS:
            d += timedelta(days=int(value))
        else:
            d = _add_months(d, int(value))
        d, us = _calendar_deadline(cal, d, us)
    return _at(d, us, cal.tz)


def _worked_in_day(cal: WorkCalendar, d: date, start: int, end: int) -> int:
    if not cal.is_working_day(d):
        return 0
    return sum(max(0, min(hi, end) - max(lo, start)) for lo, hi in cal.office_hours._bounds)


def working_time_between(a: datetime, b: datetime, *, calendar: WorkCalendar | None = None) -> timedelta:
    """Working time inside office sessions between `a` and `b`; negative when `b` is before `a`."""
    cal = calendar or _DEFAULT_CALENDAR
    da, ua = _local(a, cal)
    db, ub = _local(b, cal)
    if b < a:
        return -working_time_between(b, a, calendar=cal)
    if da == db:
        return timedelta(microseconds=_worked_in_day(cal, da, ua, ub))
    end_of_day = 24 * _US_PER_HOUR
    total = _worked_in_day(cal, da, ua, end_of_day) + _worked_in_day(cal, db, 0, ub)
    day_us = cal.office_hours._day_us
    d = da + _ONE_DAY
    while d < db:
        if cal.is_working_day(d):
            total += day_us
        d += _ONE_DAY
    return timedelta(microseconds=total)


def working_days_between(a: datetime, b: datetime, calendar: WorkCalendar | None = None) -> Decimal:
    """Working time between `a` and `b` in working days, rounded to 2 decimals (negative when b < a)."""
    cal = calendar or _DEFAULT_CALENDAR
    worked = working_time_between(a, b, calendar=cal)
    micros = (worked.days * 86_400 + worked.seconds) * _US_PER_SECOND + worked.microseconds
    days = Decimal(micros) / Decimal(cal.office_hours._day_us)
    return days.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
