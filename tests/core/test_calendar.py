from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.calendar import (
    OfficeHours,
    TimeUnit,
    WorkCalendar,
    add_working_time,
    start_of_clock,
    transfer_deadline,
    working_days_between,
    working_time_between,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar()


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


# --- working days -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 2, d) for d in range(16, 21)])
def test_tet_2026_is_off(day: date) -> None:
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday before Tết
        (date(2026, 2, 14), False),  # Saturday
        (date(2026, 2, 15), False),  # Sunday
        (date(2026, 2, 23), True),  # Monday after Tết
        (date(2026, 1, 1), False),
        (date(2026, 4, 27), False),  # Hùng Kings, substituted day off
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 22), True),  # make-up working Saturday
        (date(2026, 8, 31), False),  # off in exchange for 2026-08-22
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2025, 5, 2), False),  # off in exchange for 2025-04-26
        (date(2025, 4, 26), True),  # make-up working Saturday
        (date(2025, 4, 28), True),
    ],
)
def test_national_working_days(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_next_working_day_is_strictly_after() -> None:
    assert CAL.next_working_day(date(2026, 2, 12)) == date(2026, 2, 13)
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert CAL.next_working_day(date(2026, 8, 21)) == date(2026, 8, 22)


def test_province_overrides_precedence() -> None:
    storm = date(2026, 3, 4)
    saturday = date(2026, 3, 7)
    cal = WorkCalendar(
        extra_days_off=frozenset({storm, date(2026, 8, 22)}),
        make_up_working_days=frozenset({saturday, date(2026, 8, 22)}),
        removed_holidays=frozenset({date(2026, 4, 27), date(2026, 4, 26)}),
    )
    assert not cal.is_working_day(storm)
    assert cal.is_working_day(saturday)
    assert not cal.is_working_day(date(2026, 8, 22))  # extra_days_off wins over make-up
    assert cal.is_working_day(date(2026, 4, 27))  # Monday holiday removed
    assert not cal.is_working_day(date(2026, 4, 26))  # removing a Sunday holiday does not make it working


def test_calendar_accepts_plain_sets_and_stays_hashable() -> None:
    cal = WorkCalendar(extra_days_off={date(2026, 3, 4)})  # type: ignore[arg-type]
    assert isinstance(cal.extra_days_off, frozenset)
    assert hash(cal) == hash(WorkCalendar(extra_days_off=frozenset({date(2026, 3, 4)})))


def test_office_hours() -> None:
    assert OfficeHours().hours_per_day == 8
    assert OfficeHours().day_length == timedelta(hours=8)
    assert OfficeHours(sessions=((time(8), time(12)), (time(13), time(16, 30)))).hours_per_day == Decimal(
        "7.5"
    )
    with pytest.raises(ValueError):
        OfficeHours(sessions=())
    with pytest.raises(ValueError):
        OfficeHours(sessions=((time(13), time(17)), (time(8), time(12))))
    with pytest.raises(ValueError):
        OfficeHours(sessions=((time(12), time(12)),))


# --- start of clock -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "paper", "expected"),
    [
        (at(2026, 3, 4, 9), False, at(2026, 3, 4, 9)),
        (at(2026, 3, 4, 12), False, at(2026, 3, 4, 13)),  # lunch
        (at(2026, 3, 4, 11, 30), False, at(2026, 3, 4, 13)),  # session end belongs to the break
        (at(2026, 3, 4, 6), False, at(2026, 3, 4, 7, 30)),
        (at(2026, 3, 6, 18), False, at(2026, 3, 9, 7, 30)),  # Friday evening
        (at(2026, 3, 7, 10), False, at(2026, 3, 9, 7, 30)),  # Saturday
        (at(2026, 2, 13, 17), False, at(2026, 2, 23, 7, 30)),  # Friday before Tết
        (at(2026, 3, 4, 15, 30), True, at(2026, 3, 5, 7, 30)),
        (at(2026, 3, 4, 15), True, at(2026, 3, 5, 7, 30)),
        (at(2026, 3, 4, 14, 59), True, at(2026, 3, 4, 14, 59)),
        (at(2026, 3, 4, 15, 30), False, at(2026, 3, 4, 15, 30)),
        (at(2026, 3, 6, 15, 30), True, at(2026, 3, 9, 7, 30)),
        (at(2026, 3, 7, 10), True, at(2026, 3, 9, 7, 30)),
    ],
)
def test_start_of_clock(moment: datetime, paper: bool, expected: datetime) -> None:
    result = start_of_clock(moment, paper=paper)
    assert result == expected
    assert result.tzinfo == TZ


def test_start_of_clock_converts_other_timezones() -> None:
    utc = datetime(2026, 3, 4, 5, 0, tzinfo=ZoneInfo("UTC"))  # 12:00 local
    result = start_of_clock(utc)
    assert result == at(2026, 3, 4, 13)
    assert result.tzinfo == TZ
    assert start_of_clock(datetime(2026, 3, 4, 2, 0, tzinfo=ZoneInfo("UTC"))).tzinfo == TZ


def test_paper_cutoff_can_be_disabled() -> None:
    cal = WorkCalendar(paper_cutoff=None)
    assert start_of_clock(at(2026, 3, 4, 16), paper=True, calendar=cal) == at(2026, 3, 4, 16)


# --- add_working_time ---------------------------------------------------------------------------------------


def test_three_working_days_over_tet() -> None:
    assert add_working_time(at(2026, 2, 13, 10), 3, TimeUnit.WORKING_DAYS) == at(2026, 2, 25, 10)


def test_unit_may_be_a_string() -> None:
    assert add_working_time(at(2026, 2, 13, 10), 3, "working_days") == at(2026, 2, 25, 10)
    with pytest.raises(ValueError):
        add_working_time(at(2026, 2, 13, 10), 3, "fortnights")


def test_exact_session_end_is_returned() -> None:
    assert add_working_time(at(2026, 3, 4, 7, 30), 1, TimeUnit.WORKING_DAYS) == at(2026, 3, 4, 17)
    assert add_working_time(at(2026, 3, 4, 7, 30), 4, TimeUnit.WORKING_HOURS) == at(2026, 3, 4, 11, 30)
    assert add_working_time(at(2026, 3, 4, 10), 1, TimeUnit.WORKING_DAYS) == at(2026, 3, 5, 10)
    assert add_working_time(at(2026, 3, 4, 7, 30), 2, TimeUnit.WORKING_DAYS) == at(2026, 3, 5, 17)
    # Received after hours: the clock starts next morning and one day ends that evening.
    assert add_working_time(at(2026, 3, 3, 20), 1, TimeUnit.WORKING_DAYS) == at(2026, 3, 4, 17)


def test_working_hours() -> None:
    assert add_working_time(at(2026, 3, 4, 10), 3, TimeUnit.WORKING_HOURS) == at(2026, 3, 4, 14, 30)
    assert add_working_time(at(2026, 3, 6, 16), 2, TimeUnit.WORKING_HOURS) == at(2026, 3, 9, 8, 30)
    assert add_working_time(at(2026, 3, 4, 12), 1, TimeUnit.WORKING_HOURS) == at(2026, 3, 4, 14)


def test_fractional_working_days() -> None:
    assert add_working_time(at(2026, 3, 4, 7, 30), 0.5, TimeUnit.WORKING_DAYS) == at(2026, 3, 4, 11, 30)
    assert add_working_time(at(2026, 3, 4, 9), Decimal("1.5"), TimeUnit.WORKING_DAYS) == at(
        2026, 3, 5, 14, 30
    )


def test_zero_amount_is_start_of_clock() -> None:
    for unit in TimeUnit:
        assert add_working_time(at(2026, 3, 4, 12), 0, unit) == at(2026, 3, 4, 13)
        assert add_working_time(at(2026, 3, 4, 9), 0, unit) == at(2026, 3, 4, 9)


def test_calendar_days() -> None:
    assert add_working_time(at(2026, 3, 4, 9), 5, TimeUnit.DAYS) == at(2026, 3, 9, 17)
    # Wednesday + 4 days = Sunday: the deadline moves to Monday, end of day.
    assert add_working_time(at(2026, 3, 4, 9), 4, TimeUnit.DAYS) == at(2026, 3, 9, 17)
    # A calendar-day period ends at the end of its last day.
    assert add_working_time(at(2026, 3, 4, 12), 1, TimeUnit.DAYS) == at(2026, 3, 5, 17)
    # Landing inside Tết moves past it.
    assert add_working_time(at(2026, 2, 10, 9), 7, TimeUnit.DAYS) == at(2026, 2, 23, 17)
    with pytest.raises(ValueError):
        add_working_time(at(2026, 3, 4, 9), 1.5, TimeUnit.DAYS)


def test_months_clamped_to_month_length() -> None:
    # 31 Jan 2023 + 1 month = 28 Feb 2023 (Tuesday).
    assert add_working_time(at(2023, 1, 31, 9), 1, TimeUnit.MONTHS) == at(2023, 2, 28, 17)
    assert add_working_time(at(2025, 7, 31, 9), 2, TimeUnit.MONTHS) == at(2025, 9, 30, 17)
    # 31 Jan 2025 is in Tết: the clock starts Monday 3 Feb.
    assert add_working_time(at(2025, 1, 31, 9), 1, TimeUnit.MONTHS) == at(2025, 3, 3, 17)
    # 30 Jan 2026 + 1 month = 28 Feb 2026 (Saturday) -> Monday 2 March, end of day.
    assert add_working_time(at(2026, 1, 30, 9), 1, TimeUnit.MONTHS) == at(2026, 3, 2, 17)
    # Leap year.
    assert add_working_time(at(2024, 1, 31, 9), 1, TimeUnit.MONTHS) == at(2024, 2, 29, 17)
    assert add_working_time(at(2025, 11, 17, 9), 3, TimeUnit.MONTHS) == at(2026, 2, 23, 17)  # into Tết
    assert add_working_time(at(2025, 3, 10, 9), 12, TimeUnit.MONTHS) == at(2026, 3, 10, 17)


def test_extra_day_off_pushes_the_deadline() -> None:
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 5)}))
    assert add_working_time(at(2026, 3, 4, 10), 1, TimeUnit.WORKING_DAYS, calendar=cal) == at(2026, 3, 6, 10)
    assert add_working_time(at(2026, 3, 4, 10), 1, TimeUnit.DAYS, calendar=cal) == at(2026, 3, 6, 17)


def test_make_up_saturday_counts() -> None:
    cal = WorkCalendar(make_up_working_days=frozenset({date(2026, 3, 7)}))
    assert add_working_time(at(2026, 3, 6, 10), 1, TimeUnit.WORKING_DAYS, calendar=cal) == at(2026, 3, 7, 10)
    assert add_working_time(at(2026, 3, 6, 10), 1, TimeUnit.WORKING_DAYS) == at(2026, 3, 9, 10)
    # The national make-up Saturday 2026-08-22 counts too.
    assert add_working_time(at(2026, 8, 21, 10), 1, TimeUnit.WORKING_DAYS) == at(2026, 8, 22, 10)


def test_removed_holiday_counts() -> None:
    cal = WorkCalendar(removed_holidays=frozenset({date(2026, 4, 27)}))
    assert add_working_time(at(2026, 4, 24, 10), 1, TimeUnit.WORKING_DAYS, calendar=cal) == at(
        2026, 4, 27, 10
    )
    assert add_working_time(at(2026, 4, 24, 10), 1, TimeUnit.WORKING_DAYS) == at(2026, 4, 28, 10)


def test_result_is_aware_in_calendar_tz() -> None:
    start = datetime(2026, 3, 4, 3, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 local
    result = add_working_time(start, 1, TimeUnit.WORKING_DAYS)
    assert result == at(2026, 3, 5, 10)
    assert result.tzinfo == TZ


def test_invalid_input() -> None:
    with pytest.raises(ValueError):
        add_working_time(datetime(2026, 3, 4, 10), 1, TimeUnit.WORKING_DAYS)
    with pytest.raises(ValueError):
        start_of_clock(datetime(2026, 3, 4, 10))
    with pytest.raises(ValueError):
        working_time_between(datetime(2026, 3, 4, 10), at(2026, 3, 4, 11))
    for unit in TimeUnit:
        with pytest.raises(ValueError):
            add_working_time(at(2026, 3, 4, 10), -1, unit)
    with pytest.raises(ValueError):
        add_working_time(at(2026, 3, 4, 10), float("nan"), TimeUnit.WORKING_HOURS)
    with pytest.raises(ValueError):
        add_working_time(at(2026, 3, 4, 10), Decimal("Infinity"), TimeUnit.WORKING_HOURS)


# --- working_time_between -----------------------------------------------------------------------------------


def test_working_time_between_basics() -> None:
    assert working_time_between(at(2026, 3, 4, 8), at(2026, 3, 4, 10)) == timedelta(hours=2)
    assert working_time_between(at(2026, 3, 4, 11), at(2026, 3, 4, 14)) == timedelta(hours=1, minutes=30)
    assert working_time_between(at(2026, 3, 4, 0), at(2026, 3, 5, 0)) == timedelta(hours=8)
    assert working_time_between(at(2026, 3, 4, 7, 30), at(2026, 3, 4, 17)) == timedelta(hours=8)
    assert working_time_between(at(2026, 3, 6, 16), at(2026, 3, 9, 8)) == timedelta(hours=1, minutes=30)
    assert working_time_between(at(2026, 3, 7, 8), at(2026, 3, 7, 12)) == timedelta(0)
    assert working_time_between(at(2026, 2, 13, 10), at(2026, 2, 25, 10)) == timedelta(hours=24)
    assert working_time_between(at(2026, 3, 4, 9), at(2026, 3, 4, 9)) == timedelta(0)


def test_working_time_between_is_negative_backwards() -> None:
    forward = working_time_between(at(2026, 3, 4, 8), at(2026, 3, 6, 10))
    assert forward == timedelta(hours=18)
    assert working_time_between(at(2026, 3, 6, 10), at(2026, 3, 4, 8)) == -forward


def test_working_days_between() -> None:
    assert working_days_between(at(2026, 2, 13, 10), at(2026, 2, 25, 10)) == Decimal("3.00")
    assert working_days_between(at(2026, 3, 4, 7, 30), at(2026, 3, 4, 11, 30)) == Decimal("0.50")
    assert working_days_between(at(2026, 3, 4, 8), at(2026, 3, 4, 9)) == Decimal("0.13")
    assert working_days_between(at(2026, 3, 5, 7, 30), at(2026, 3, 4, 7, 30)) == Decimal("-1.00")
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 4)}))
    assert working_days_between(at(2026, 3, 4, 7, 30), at(2026, 3, 5, 7, 30), calendar=cal) == 0


# --- properties ---------------------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2027, 12, 31, 23, 59, 59),
    timezones=st.just(TZ),
)
amounts = st.integers(min_value=0, max_value=60)
units = st.sampled_from(list(TimeUnit))
PROPERTY = settings(max_examples=200, deadline=None)


def is_in_office_hours(moment: datetime) -> bool:
    local = moment.astimezone(TZ)
    return CAL.is_working_day(local.date()) and any(
        lo <= local.time().replace(tzinfo=None) <= hi for lo, hi in CAL.office_hours.sessions
    )


@PROPERTY
@given(moments, moments, amounts, units)
def test_monotonic_in_start(s1: datetime, s2: datetime, amount: int, unit: TimeUnit) -> None:
    s1, s2 = sorted((s1, s2))
    r1, r2 = add_working_time(s1, amount, unit), add_working_time(s2, amount, unit)
    assert r1 <= r2


@PROPERTY
@given(moments, amounts, amounts, units)
def test_monotonic_in_amount(start: datetime, a1: int, a2: int, unit: TimeUnit) -> None:
    a1, a2 = sorted((a1, a2))
    r1, r2 = add_working_time(start, a1, unit), add_working_time(start, a2, unit)
    assert r1 <= r2


@PROPERTY
@given(moments, amounts, st.integers(min_value=1, max_value=60))
def test_working_hours_are_additive(start: datetime, a: int, b: int) -> None:
    # b >= 1: adding 0 to a session end would move it to the next session start.
    start = start_of_clock(start)
    once = add_working_time(start, a + b, TimeUnit.WORKING_HOURS)
    twice = add_working_time(add_working_time(start, a, TimeUnit.WORKING_HOURS), b, TimeUnit.WORKING_HOURS)
    assert once == twice


@PROPERTY
@given(moments, amounts, units)
def test_never_ends_outside_office_hours(start: datetime, amount: int, unit: TimeUnit) -> None:
    result = add_working_time(start, amount, unit)
    assert result.tzinfo == TZ
    assert result >= start_of_clock(start)
    assert is_in_office_hours(result)


@PROPERTY
@given(moments, amounts)
def test_round_trip_working_hours(start: datetime, hours: int) -> None:
    end = add_working_time(start, hours, TimeUnit.WORKING_HOURS)
    assert working_time_between(start_of_clock(start), end) == timedelta(hours=hours)
    assert working_time_between(start, end) == timedelta(hours=hours)


@PROPERTY
@given(moments, amounts)
def test_round_trip_working_days(start: datetime, days: int) -> None:
    end = add_working_time(start, days, TimeUnit.WORKING_DAYS)
    assert working_days_between(start, end) == days


@PROPERTY
@given(moments, moments)
def test_working_time_between_is_antisymmetric(a: datetime, b: datetime) -> None:
    forward = working_time_between(a, b)
    assert working_time_between(b, a) == -forward
    assert forward >= timedelta(0) if a <= b else forward <= timedelta(0)


@PROPERTY
@given(moments)
def test_a_transfer_is_due_at_the_close_of_the_reception_day_or_of_the_next_working_day(
    moment: datetime,
) -> None:
    """Never before the moment, always at a working day's close, at most one working day after the day
    the clock would start from (the 15:00 rule: `start_of_clock` for paper)."""
    due = transfer_deadline(moment).astimezone(TZ)
    assert due > moment and CAL.is_working_day(due.date()) and due.time() == time(17, 0)
    clock_day = start_of_clock(moment, paper=True).astimezone(TZ).date()
    assert due.date() == clock_day
