"""`core.calendar`'s arithmetic, exact to the microsecond, on a pre-computed table of days (generator only).

The synthetic history computes a few dozen deadlines and working-time spans per dossier; `core.calendar`
walks day by day with Decimal amounts. Here the working days of a fixed range are tabulated once with the
calendar's own `is_working_day`, with the working time elapsed before each day (prefix sums), so that

- `add(moment, micros)` is `calendar.add_working_time(moment, micros µs, WORKING_HOURS)`: the start of
  clock, then the first instant at which the elapsed working time reaches start + micros (a bisection over
  the prefix sums, then the sessions of that day; a deadline at a session end stays at that end);
- `between(a, b)` is `calendar.working_time_between(a, b)` in microseconds (a difference of two prefix
  positions);

with the same results (pinned by tests/demo/test_fastcal.py). Outside the table it delegates to
`core.calendar`.
"""

from bisect import bisect_left
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from motcua.core import calendar
from motcua.core.calendar import TimeUnit, WorkCalendar

_US_PER_HOUR = 3_600_000_000


def _time_us(moment: datetime) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def amount_micros(amount: int | Decimal | float, unit: str, cal: WorkCalendar) -> int | None:
    """Working microseconds of `amount` `unit` as `add_working_time` rounds it; None for calendar units."""
    if unit == TimeUnit.WORKING_DAYS:
        per_unit = cal.office_hours._day_us
    elif unit == TimeUnit.WORKING_HOURS:
        per_unit = _US_PER_HOUR
    else:
        return None
    value = calendar._to_decimal(amount)
    return int((value * per_unit).to_integral_value(rounding=ROUND_HALF_UP))


def hours_micros(hours: float) -> int:
    """`add_working_time(at, Decimal(str(round(hours, 2))), WORKING_HOURS)`'s amount in microseconds:
    the hundredths of an hour (exact: `round(x, 2)` is the float nearest to a two-decimal number)."""
    return round(round(hours, 2) * 100) * 36_000_000


class FastCalendar:
    def __init__(self, cal: WorkCalendar, first: date, last: date) -> None:
        self.cal = cal
        self.tz = cal.tz
        bounds = cal.office_hours._bounds
        self.bounds = bounds
        self.day_us = cal.office_hours._day_us
        self.first_start = bounds[0][0]
        self.cutoff = calendar._time_to_us(cal.paper_cutoff) if cal.paper_cutoff is not None else None
        self.base = first.toordinal()
        days = last.toordinal() - self.base + 1
        self.working = [cal.is_working_day(date.fromordinal(self.base + i)) for i in range(days)]
        self.prefix = []  # working µs of the table's days before day i
        self.prefix_end = []  # ... up to the end of day i
        total = 0
        for w in self.working:
            self.prefix.append(total)
            if w:
                total += self.day_us
            self.prefix_end.append(total)
        # the first working day strictly after day i (None past the table's end)
        self.next_working: list[int | None] = [None] * days
        following = None
        for i in range(days - 1, -1, -1):
            self.next_working[i] = following
            if self.working[i]:
                following = i
        self.midnight = [
            datetime.combine(date.fromordinal(self.base + i), datetime.min.time(), tzinfo=self.tz)
            for i in range(days)
        ]
        self.size = days

    # --- moments ----------------------------------------------------------------------------------

    def _split(self, moment: datetime) -> tuple[int, int]:
        local = moment.astimezone(self.tz)
        return local.toordinal() - self.base, _time_us(local)

    def _make(self, i: int, us: int) -> datetime:
        return self.midnight[i] + timedelta(microseconds=us)

    def _clock_start(self, i: int, us: int, paper: bool) -> tuple[int | None, int, bool]:
        if self.working[i]:
            if paper and self.cutoff is not None and us >= self.cutoff:
                return self.next_working[i], self.first_start, False
            for lo, hi in self.bounds:
                if us < lo:
                    return i, lo, False
                if us < hi:
                    return i, us, True
        return self.next_working[i], self.first_start, False

    def _position(self, i: int, us: int) -> int:
        """Working µs of the table before (day i, us)."""
        if not self.working[i]:
            return self.prefix[i]
        done = 0
        for lo, hi in self.bounds:
            if us <= lo:
                break
            done += (hi if us > hi else us) - lo
        return self.prefix[i] + done

    # --- the calendar's functions -----------------------------------------------------------------

    def start_of_clock(self, moment: datetime, *, paper: bool) -> datetime:
        i, us = self._split(moment)
        if 0 <= i < self.size:
            j, us2, unchanged = self._clock_start(i, us, paper)
            if unchanged:
                return moment.astimezone(self.tz)
            if j is not None:
                return self._make(j, us2)
        return calendar.start_of_clock(moment, paper=paper, calendar=self.cal)

    def add(self, moment: datetime, micros: int) -> datetime:
        """`add_working_time` of `micros` working microseconds (already rounded as the calendar does)."""
        i, us = self._split(moment)
        if 0 <= i < self.size:
            j, us2, unchanged = self._clock_start(i, us, False)
            if j is not None:
                if micros == 0:
                    return moment.astimezone(self.tz) if unchanged else self._make(j, us2)
                target = self._position(j, us2) + micros
                k = bisect_left(self.prefix_end, target, j)
                if k < self.size:
                    rest = target - self.prefix[k]
                    for lo, hi in self.bounds:
                        if rest <= hi - lo:
                            return self._make(k, lo + rest)
                        rest -= hi - lo
        hours = Decimal(micros) / _US_PER_HOUR
        return calendar.add_working_time(moment, hours, TimeUnit.WORKING_HOURS, calendar=self.cal)

    def add_hours(self, moment: datetime, hours: float) -> datetime:
        return self.add(moment, hours_micros(hours))

    def add_amount(
        self, moment: datetime, amount: int | Decimal | float, unit: str, micros: int | None = None
    ) -> datetime:
        """`add_working_time(moment, amount, unit)`; `micros`: `amount_micros(amount, unit)` if known."""
        if micros is None:
            micros = amount_micros(amount, unit, self.cal)
            if micros is None:
                return calendar.add_working_time(moment, amount, unit, calendar=self.cal)
        return self.add(moment, micros)

    def transfer_deadline(self, moment: datetime) -> datetime:
        """`calendar.transfer_deadline(moment)`: the end of the working day, or of the next one when
        `moment` is at or after the cutoff (15:00), after office hours or on a day off."""
        i, us = self._split(moment)
        if 0 <= i < self.size:
            closing = self.bounds[-1][1]
            cutoff = self.cutoff if self.cutoff is not None else closing
            j: int | None = i
            if not self.working[i] or us >= min(cutoff, closing):
                j = self.next_working[i]
            if j is not None:
                return self._make(j, closing)
        return calendar.transfer_deadline(moment, calendar=self.cal)

    def between(self, a: datetime, b: datetime) -> int:
        """`working_time_between(a, b)` in microseconds."""
        i, ua = self._split(a)
        j, ub = self._split(b)
        if 0 <= i < self.size and 0 <= j < self.size:
            return self._position(j, ub) - self._position(i, ua)
        worked = calendar.working_time_between(a, b, calendar=self.cal)
        return (worked.days * 86_400 + worked.seconds) * 1_000_000 + worked.microseconds
