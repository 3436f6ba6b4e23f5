"""The arrivals forecast on histories written by hand: weekday-hour means, the month-end and pre-Tết
factors, and the error on held-out weeks."""

from datetime import date, timedelta

import pytest

from motcua.core.calendar import WorkCalendar
from motcua.queueing.forecast import evaluate, fit, forecast, is_before_tet, is_month_end

CAL = WorkCalendar()
AREA = "Tư pháp"
# Ordinary arrivals per hour: Monday 08:00 brings 10, Friday 09:00 brings 6, every other working hour 2.
ORDINARY = {(0, 8): 10, (4, 9): 6}


def history(first: date, end: date, *, month_end: int = 1, extra: dict | None = None) -> dict:
    rows = {}
    day = first
    while day < end:
        if CAL.is_working_day(day):
            factor = month_end if is_month_end(CAL, day) else 1
            for hour in (8, 9, 10):
                rows[(AREA, day, hour)] = ORDINARY.get((day.weekday(), hour), 2) * factor
        day += timedelta(days=1)
    return rows | (extra or {})


def test_the_same_weekday_and_hour_over_the_last_weeks():
    arrivals = history(date(2026, 6, 1), date(2026, 7, 27))  # 8 weeks without a holiday
    predicted = forecast(arrivals, [date(2026, 7, 27), date(2026, 7, 28)], CAL)
    assert predicted[(AREA, date(2026, 7, 27), 8)] == 10  # a Monday 08:00
    assert predicted[(AREA, date(2026, 7, 28), 8)] == 2  # a Tuesday 08:00
    assert fit(arrivals, date(2026, 7, 27), CAL).month_end_factor == 1.0


def test_month_end_days_bring_what_the_history_says():
    # The last three working days of June (26, 29, 30) and of May (27, 28, 29) bring twice the usual.
    arrivals = history(date(2026, 5, 4), date(2026, 7, 27), month_end=2)
    model = fit(arrivals, date(2026, 7, 27), CAL)
    assert model.month_end_factor == 2.0
    predicted = model.predict(CAL, date(2026, 7, 31))  # Friday 31/07, month end
    assert predicted[(AREA, date(2026, 7, 31), 9)] == 12  # twice the ordinary Friday 09:00 (6)
    assert model.predict(CAL, date(2026, 7, 24))[(AREA, date(2026, 7, 24), 9)] == 6
    assert model.predict(CAL, date(2026, 7, 25)) == {}  # a Saturday: no forecast


def test_the_working_days_before_tet():
    # Tết 2026 starts on Tuesday 17/02 (the eve, 16/02, is off): the 10 working days before are 02–13/02.
    assert [d.day for d in (date(2026, 2, d) for d in range(1, 17)) if is_before_tet(CAL, d)] == [
        2, 3, 4, 5, 6, 9, 10, 11, 12, 13,
    ]  # fmt: skip
    assert not is_before_tet(CAL, date(2026, 1, 30))
    assert is_before_tet(CAL, date(2027, 2, 3)) and not is_before_tet(CAL, date(2027, 1, 15))


def test_the_error_on_held_out_weeks():
    arrivals = history(date(2026, 6, 1), date(2026, 8, 10))  # 10 weeks
    assert evaluate(arrivals, CAL, held_out_weeks=2).wape == 0.0
    # Three more people on Wednesday 05/08 at 10:00 than the weekday-hour mean (2).
    surprised = arrivals | {(AREA, date(2026, 8, 5), 10): 5}
    result = evaluate(surprised, CAL, held_out_weeks=2)
    # Held out: 27/07–07/08, two weeks of 14 + 6 + 6 + 6 + 10 arrivals, plus the three.
    assert (result.held_out_days, result.arrivals) == (10, 87)
    assert result.wape == pytest.approx(3 / 87)
    assert result.mean_absolute_error == pytest.approx(3 / 30)  # 10 days × 3 hours
