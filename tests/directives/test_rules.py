"""The periods of each recurrence (Decree 09/2019/NĐ-CP Art. 12 cut-off) and the due dates on the calendar."""

from datetime import date

from motcua.core.calendar import WorkCalendar
from motcua.directives.rules import Period, periods

CALENDAR = WorkCalendar()


def test_half_yearly_and_yearly_windows():
    assert periods(
        recurrence="half_yearly", calendar=CALENDAR, starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)
    ) == [
        Period(2024, 1, date(2023, 12, 15), date(2024, 6, 14), date(2024, 6, 14)),
        Period(2024, 2, date(2024, 6, 15), date(2024, 12, 14), date(2024, 12, 16)),  # 14/12 a Saturday
    ]
    assert periods(
        recurrence="yearly", calendar=CALENDAR, starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31)
    ) == [
        Period(2024, 0, date(2023, 12, 15), date(2024, 12, 14), date(2024, 12, 16)),
        Period(2025, 0, date(2024, 12, 15), date(2025, 12, 14), date(2025, 12, 15)),  # 14/12/2025 a Sunday
    ]


def test_a_span_starting_mid_month_begins_with_the_next_whole_unit():
    monthly = periods(
        recurrence="monthly", calendar=CALENDAR, starts_on=date(2024, 1, 10), ends_on=date(2024, 3, 31)
    )
    assert [(p.number, p.starts_on, p.ends_on) for p in monthly] == [
        (2, date(2024, 1, 15), date(2024, 2, 14)),
        (3, date(2024, 2, 15), date(2024, 3, 14)),
    ]
    quarterly = periods(
        recurrence="quarterly", calendar=CALENDAR, starts_on=date(2024, 2, 1), ends_on=date(2024, 6, 30)
    )
    assert [p.number for p in quarterly] == [2]


def test_a_province_day_off_moves_the_due_date():
    storm = WorkCalendar(extra_days_off=frozenset({date(2024, 3, 19)}))
    [q1] = periods(
        recurrence="quarterly",
        calendar=storm,
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 3, 31),
        report_days=5,
    )
    assert q1.due_on == date(2024, 3, 20)
