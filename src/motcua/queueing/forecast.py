"""Arrivals at the reception hall, forecast per service area, day and office hour: a seasonal baseline.

The forecast of an area's arrivals in one hour of one working day is the mean of the same weekday and hour
over the last `weeks` weeks' working days, times two factors learnt from the same history:
- month end: the last `MONTH_END_DAYS` working days of a month (people hurry before deadlines);
- before Tết: the `BEFORE_TET_DAYS` working days before the Lunar New Year holiday.
A factor is the mean arrivals per working day on such days over the mean on the other days (1 when the
history holds none of them). Days off have no arrivals and are not forecast.

`evaluate` holds out the last weeks of a history: every held-out day is forecast from the days before the
hold-out only, and the error is reported as WAPE (the sum of absolute errors over the sum of arrivals) and
the mean absolute error per area-hour.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from motcua.core.calendar import WorkCalendar

Key = tuple[str, date, int]  # (service area, day, hour of the day)
Arrivals = Mapping[Key, int]

DEFAULT_WEEKS = 8
MONTH_END_DAYS = 3
BEFORE_TET_DAYS = 10


@cache
def lunar_new_year(year: int) -> date | None:
    """The first day of Tết (mùng một) of `year`, from the `holidays` package's Vietnam calendar."""
    days = holidays.Vietnam(years=year, language="vi").get_named("Tết Nguyên Đán", lookup="exact")
    return min(days) if days else None


def _working_days_back(cal: WorkCalendar, day: date, count: int) -> list[date]:
    """The `count` working days strictly before `day`, latest first."""
    found: list[date] = []
    current = day
    while len(found) < count:
        current -= timedelta(days=1)
        if cal.is_working_day(current):
            found.append(current)
    return found


def is_month_end(cal: WorkCalendar, day: date) -> bool:
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day in _working_days_back(cal, first_of_next, MONTH_END_DAYS)


def is_before_tet(cal: WorkCalendar, day: date) -> bool:
    tet = lunar_new_year(day.year)
    if tet is None or day >= tet:
        tet = lunar_new_year(day.year + 1)
    return tet is not None and day in _working_days_back(cal, tet, BEFORE_TET_DAYS)


@dataclass(frozen=True)
class Model:
    """What the forecast learnt from a history that ends the day before `origin`."""

    origin: date
    hourly: Mapping[tuple[str, int, int], float]  # (area, weekday, hour) → mean arrivals
    month_end_factor: float
    before_tet_factor: float
    areas: tuple[str, ...]
    hours: tuple[int, ...]

    def predict(self, cal: WorkCalendar, day: date) -> dict[Key, float]:
        if not cal.is_working_day(day):
            return {}
        factor = 1.0
        if is_month_end(cal, day):
            factor *= self.month_end_factor
        if is_before_tet(cal, day):
            factor *= self.before_tet_factor
        weekday = day.weekday()
        return {
            (area, day, hour): self.hourly.get((area, weekday, hour), 0.0) * factor
            for area in self.areas
            for hour in self.hours
        }


def fit(arrivals: Arrivals, origin: date, cal: WorkCalendar, *, weeks: int = DEFAULT_WEEKS) -> Model:
    """Learn from the arrivals before `origin`: the weekday-hour means over the ordinary working days of the
    last `weeks` weeks, and each factor over the whole history as the arrivals of its special days over
    what their weekdays' ordinary means would have given."""
    past = {key: n for key, n in arrivals.items() if key[1] < origin}
    areas = tuple(sorted({area for area, _day, _hour in past}))
    hours = tuple(sorted({hour for _area, _day, hour in past}))
    if not past:
        return Model(origin, {}, 1.0, 1.0, areas, hours)
    working = [d for d in _days(min(key[1] for key in past), origin) if cal.is_working_day(d)]
    month_end = {d for d in working if is_month_end(cal, d)}
    before_tet = {d for d in working if is_before_tet(cal, d)}
    ordinary = [d for d in working if d not in month_end and d not in before_tet]
    window = {d for d in ordinary if d >= origin - timedelta(weeks=weeks)}
    per_day: defaultdict[date, int] = defaultdict(int)
    totals: defaultdict[tuple[str, int, int], int] = defaultdict(int)
    for (area, day, hour), n in past.items():
        per_day[day] += n
        if day in window:
            totals[(area, day.weekday(), hour)] += n
    in_window = Counter(d.weekday() for d in window)
    hourly = {key: total / in_window[key[1]] for key, total in totals.items()}
    # What an ordinary day of each weekday brings, over the whole history (the factors' yardstick).
    ordinary_days = Counter(d.weekday() for d in ordinary)
    ordinary_sum: defaultdict[int, int] = defaultdict(int)
    for d in ordinary:
        ordinary_sum[d.weekday()] += per_day.get(d, 0)
    usual = {wd: ordinary_sum[wd] / n for wd, n in ordinary_days.items()}
    return Model(
        origin,
        hourly,
        _factor(month_end, per_day, usual),
        _factor(before_tet, per_day, usual),
        areas,
        hours,
    )


def _days(first: date, end: date) -> Iterable[date]:
    day = first
    while day < end:
        yield day
        day += timedelta(days=1)


def _factor(special: set[date], per_day: Mapping[date, int], usual: Mapping[int, float]) -> float:
    """The special days' arrivals over what ordinary days of their weekdays bring (1 without evidence)."""
    expected = sum(usual.get(d.weekday(), 0.0) for d in special)
    if not special or expected == 0:
        return 1.0
    return sum(per_day.get(d, 0) for d in special) / expected


def forecast(
    arrivals: Arrivals, days: Iterable[date], cal: WorkCalendar, *, weeks: int = DEFAULT_WEEKS
) -> dict[Key, float]:
    """The expected arrivals per area and hour of each of `days`, from the history before the first."""
    wanted = sorted(days)
    if not wanted:
        return {}
    model = fit(arrivals, wanted[0], cal, weeks=weeks)
    result: dict[Key, float] = {}
    for day in wanted:
        result |= model.predict(cal, day)
    return result


@dataclass(frozen=True)
class Evaluation:
    held_out_days: int
    arrivals: int  # actual arrivals in the held-out weeks
    wape: float  # sum |forecast − actual| / sum actual
    mean_absolute_error: float  # per area-hour slot


def evaluate(
    arrivals: Arrivals, cal: WorkCalendar, *, held_out_weeks: int = 2, weeks: int = DEFAULT_WEEKS
) -> Evaluation:
    """Hold out the history's last `held_out_weeks` weeks and forecast them from what came before."""
    last = max(day for _area, day, _hour in arrivals)
    origin = last - timedelta(weeks=held_out_weeks) + timedelta(days=1)
    days = [d for d in _days(origin, last + timedelta(days=1)) if cal.is_working_day(d)]
    predicted = forecast(arrivals, days, cal, weeks=weeks)
    keys = set(predicted) | {key for key in arrivals if key[1] >= origin}
    errors = [abs(predicted.get(key, 0.0) - arrivals.get(key, 0)) for key in keys]
    actual = sum(arrivals.get(key, 0) for key in keys)
    return Evaluation(
        held_out_days=len(days),
        arrivals=actual,
        wape=sum(errors) / actual if actual else 0.0,
        mean_absolute_error=sum(errors) / len(errors) if errors else 0.0,
    )
