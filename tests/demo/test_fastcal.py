import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from motcua.core import calendar
from motcua.core.calendar import TimeUnit, WorkCalendar
from motcua.demo.fastcal import FastCalendar, amount_micros, hours_micros

CAL = WorkCalendar(
    extra_days_off=frozenset({date(2025, 3, 4)}), make_up_working_days=frozenset({date(2025, 3, 8)})
)
FAST = FastCalendar(CAL, date(2024, 12, 1), date(2025, 12, 31))


def moments(rng: random.Random, count: int):
    start = datetime(2024, 11, 20, tzinfo=CAL.tz)  # some before the table: the delegation is exact too
    sharp = [0, 7.5, 11.5, 13, 17, 15, 23.99]
    for _ in range(count):
        day = start + timedelta(days=rng.randrange(420))
        if rng.random() < 0.3:
            yield day + timedelta(hours=rng.choice(sharp))
        else:
            yield day + timedelta(microseconds=rng.randrange(86_400_000_000))


def test_hours_micros_is_the_calendars_rounding():
    rng = random.Random(1)
    for _ in range(20_000):
        hours = rng.choice([rng.uniform(0, 100), rng.random() * 0.05, rng.randint(0, 50) / 100])
        value = Decimal(str(round(hours, 2)))
        assert hours_micros(hours) == amount_micros(value, TimeUnit.WORKING_HOURS, CAL)


@pytest.mark.parametrize("seed", [1, 2])
def test_add_and_between_equal_the_calendar(seed):
    rng = random.Random(seed)
    for moment in moments(rng, 6000):
        hours = rng.choice([0, 0.001, 0.5, 3.5, 4, 8, 16, rng.uniform(0, 200)])
        expected = calendar.add_working_time(
            moment, Decimal(str(round(hours, 2))), "working_hours", calendar=CAL
        )
        got = FAST.add_hours(moment, hours)
        assert got == expected, (moment, hours)
        assert got.utcoffset() == expected.utcoffset()
        days = rng.choice([Decimal("0.5"), Decimal(1), Decimal(15), Decimal("2.25")])
        for unit in (TimeUnit.WORKING_DAYS, TimeUnit.DAYS, TimeUnit.MONTHS):
            if unit != TimeUnit.WORKING_DAYS and days != days.to_integral_value():
                continue
            assert FAST.add_amount(moment, days, unit) == calendar.add_working_time(
                moment, days, unit, calendar=CAL
            )
        other = moment + timedelta(microseconds=rng.randrange(-30 * 86_400_000_000, 60 * 86_400_000_000))
        worked = calendar.working_time_between(moment, other, calendar=CAL)
        assert FAST.between(moment, other) == worked // timedelta(microseconds=1)
        for paper in (False, True):
            assert FAST.start_of_clock(moment, paper=paper) == calendar.start_of_clock(
                moment, paper=paper, calendar=CAL
            )


@pytest.mark.parametrize("seed", [1, 2])
def test_transfer_deadline_equals_the_calendar(seed):
    rng = random.Random(seed)
    for moment in moments(rng, 6000):
        assert FAST.transfer_deadline(moment) == calendar.transfer_deadline(moment, calendar=CAL), moment


def test_transfer_deadline_across_three_in_the_afternoon():
    # Tuesday 04/03/2025 is a day off of CAL; Monday 03/03 is a working day.
    monday = datetime(2025, 3, 3, tzinfo=CAL.tz)
    assert FAST.transfer_deadline(monday + timedelta(hours=14, minutes=59)) == monday + timedelta(hours=17)
    wednesday_end = datetime(2025, 3, 5, 17, tzinfo=CAL.tz)
    assert FAST.transfer_deadline(monday + timedelta(hours=15)) == wednesday_end
    assert FAST.transfer_deadline(monday + timedelta(hours=20)) == wednesday_end
    assert FAST.transfer_deadline(datetime(2025, 3, 4, 9, tzinfo=CAL.tz)) == wednesday_end
