"""The synthetic ticket history obeys the hall's rules: working days and office hours, one number sequence a
day, counters calling only their areas' tickets one at a time, outside lunch; seeded; days already there
kept."""

from collections import defaultdict
from datetime import date, time
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.utils.timezone import localtime

from motcua.core.calendar import WorkCalendar
from motcua.demo import tickets
from motcua.queueing.models import CounterArea, CounterShift, Ticket
from tests.queueing.test_measures import make_hall

pytestmark = pytest.mark.django_db

END = date(2026, 3, 16)  # two weeks back: 2 to 13 March 2026, ten working days


def rows(unit):
    return list(
        Ticket.objects.filter(unit=unit)
        .order_by("day", "number")
        .values_list(
            "day", "number", "area_id", "status", "issued_at", "called_at", "finished_at", "counter_id"
        )
    )


def test_the_generated_tickets_obey_the_halls_rules(province):
    _civil, _land, _one, two = make_hall(province.center)
    # The roster: counter 2 works Monday mornings only (counter 1, without shifts, every office hour).
    CounterShift.objects.create(counter=two, weekday=0, starts=time(7, 30), ends=time(11, 30))
    made = tickets.generate(unit=province.center, weeks=2, seed=3, end=END)
    all_tickets = list(Ticket.objects.filter(unit=province.center).order_by("day", "number"))
    assert made == len(all_tickets) > 200
    days = {t.day for t in all_tickets}
    assert days == {date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)}
    serves = set(CounterArea.objects.values_list("counter_id", "area_id"))
    by_day = defaultdict(list)
    by_counter = defaultdict(list)
    for t in all_tickets:
        by_day[t.day].append(t)
        issued = localtime(t.issued_at)
        assert issued.date() == t.day
        assert time(7, 30) <= issued.time() < time(11, 30) or time(13, 0) <= issued.time() < time(17, 0)
        assert len(t.holder_id_number) == 12 and t.holder_name and t.identified_by
        if t.status == Ticket.Status.WAITING:
            assert t.called_at is None and t.counter_id is None and t.finished_at is None
            continue
        called = localtime(t.called_at)
        assert t.called_at >= t.issued_at and t.finished_at > t.called_at
        assert not time(11, 30) <= called.time() < time(13, 0) and called.time() < time(17, 0)
        assert (t.counter_id, t.area_id) in serves
        by_counter[(t.day, t.counter_id)].append(t)
        if t.counter_id == two.pk:
            assert t.day.weekday() == 0 and called.time() < time(11, 30)
    for day_tickets in by_day.values():
        # One sequence a day, numbered in the order the tickets were taken.
        assert [t.number for t in day_tickets] == list(range(1, len(day_tickets) + 1))
        assert [t.issued_at for t in day_tickets] == sorted(t.issued_at for t in day_tickets)
        assert len({(t.area_id, t.holder_id_number) for t in day_tickets}) == len(day_tickets)
    for calls in by_counter.values():  # a counter serves one person at a time
        calls.sort(key=lambda t: t.called_at)
        assert all(a.finished_at <= b.called_at for a, b in pairwise(calls))
    assert any(t.counter_id == two.pk for t in all_tickets)
    statuses = {t.status for t in all_tickets}
    assert {Ticket.Status.SERVED, Ticket.Status.NO_SHOW} <= statuses


def test_seeded_and_days_already_there_are_kept(province):
    make_hall(province.center)
    tickets.generate(unit=province.center, weeks=1, seed=5, end=END)
    first = rows(province.center)
    assert tickets.generate(unit=province.center, weeks=1, seed=5, end=END) == 0
    Ticket.objects.all().delete()
    tickets.generate(unit=province.center, weeks=1, seed=5, end=END)
    assert rows(province.center) == first
    Ticket.objects.all().delete()
    tickets.generate(unit=province.center, weeks=1, seed=6, end=END)
    assert rows(province.center) != first


def test_month_end_and_pre_tet_days_bring_more(province):
    cal = WorkCalendar()
    assert tickets._factor(cal, date(2026, 3, 4)) == 1.0  # an ordinary Wednesday
    assert tickets._factor(cal, date(2026, 2, 27)) == pytest.approx(0.8 * 1.4)  # a Friday, February's end
    assert tickets._factor(cal, date(2026, 2, 10)) == pytest.approx(1.1 * 1.7)  # a Tuesday before Tết


def test_a_unit_without_areas_or_counters_is_refused_clearly(province):
    with pytest.raises(ValueError, match="chưa có khu vực phục vụ"):
        tickets.generate(unit=province.center, weeks=1, end=END)
    with pytest.raises(CommandError, match="Chưa có đơn vị nào có quầy"):
        call_command("generate_tickets", "--weeks", "1")
    make_hall(province.center)
    with pytest.raises(CommandError, match="999"):
        call_command("generate_tickets", "--weeks", "1", "--unit", "999")
