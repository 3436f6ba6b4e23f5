"""Waits, service times, abandonment and arrivals measured on a day of tickets written by hand; the present
expected wait; the measures page and who may see it."""

import math
from datetime import date

import pytest

from motcua.core.roles import Role
from motcua.queueing import measures
from motcua.queueing.models import CounterArea, ServiceArea, ServiceCounter, Ticket
from tests.factories import local, make_user
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)  # a Monday
NEXT = date(2026, 3, 3)


def make_hall(unit):
    civil = ServiceArea.objects.create(unit=unit, code="ho-tich", name="Hộ tịch", position=1)
    land = ServiceArea.objects.create(unit=unit, code="dat-dai", name="Đất đai", position=2)
    one = ServiceCounter.objects.create(unit=unit, number=1, name="Quầy 1")
    two = ServiceCounter.objects.create(unit=unit, number=2, name="Quầy 2")
    for counter in (one, two):
        CounterArea.objects.create(counter=counter, area=civil, priority=1)
    CounterArea.objects.create(counter=two, area=land, priority=2)
    return civil, land, one, two


def ticket(
    unit, area, number, issued, *, called=None, finished=None, status="waiting", counter=None, day=DAY
):
    return Ticket.objects.create(
        unit=unit,
        day=day,
        number=number,
        area=area,
        issued_at=issued,
        called_at=called,
        finished_at=finished,
        status=status,
        counter=counter,
    )


def the_day(unit):
    civil, land, one, two = make_hall(unit)
    t = lambda hh, mm: local(2026, 3, 2, hh, mm)  # noqa: E731
    # Hộ tịch: waits 10, 15, 20 (not present), 5; services 10, 12, 14; one never called.
    ticket(unit, civil, 1, t(8, 0), called=t(8, 10), finished=t(8, 20), status="served", counter=one)
    ticket(unit, civil, 2, t(8, 5), called=t(8, 20), finished=t(8, 32), status="served", counter=one)
    ticket(unit, civil, 3, t(8, 30), called=t(8, 50), finished=t(8, 53), status="no_show", counter=two)
    ticket(unit, civil, 4, t(9, 10), called=t(9, 15), finished=t(9, 29), status="served", counter=two)
    ticket(unit, civil, 5, t(16, 50))
    # Đất đai: a wait of 30, a service of 10.
    ticket(unit, land, 6, t(9, 0), called=t(9, 30), finished=t(9, 40), status="served", counter=two)
    return civil, land, one, two


def test_waits_services_and_abandonment_per_area_hour_and_counter(province):
    the_day(province.center)
    m = measures.measure(unit=province.center, start=DAY, end=DAY, today=NEXT)

    area = {row.area.code: row for row in m.by_area}
    civil_row = area["ho-tich"]
    assert civil_row.taken == 5
    # Waits 5, 10, 15, 20: median at rank 2, 90th percentile at rank 4.
    assert civil_row.wait == measures.Times(count=4, median=10, p90=20, mean=12.5)
    assert civil_row.service == measures.Times(count=3, median=12, p90=14, mean=12)
    assert (civil_row.no_show, civil_row.never_called) == (1, 1)
    assert civil_row.no_show_share == 0.2 and civil_row.never_called_share == 0.2
    assert area["dat-dai"].wait == measures.Times(count=1, median=30, p90=30, mean=30)

    hours = {(row.area.code, row.hour): row for row in m.by_area_hour}
    assert hours[("ho-tich", 8)].taken == 3
    assert hours[("ho-tich", 8)].wait == measures.Times(count=3, median=15, p90=20, mean=15)
    assert hours[("ho-tich", 8)].service == measures.Times(count=2, median=10, p90=12, mean=11)
    assert hours[("ho-tich", 9)].wait.mean == 5
    assert hours[("ho-tich", 16)].never_called == 1 and hours[("ho-tich", 16)].wait.count == 0

    counters = {(row.area.code, row.counter.number): row for row in m.by_area_counter}
    assert counters[("ho-tich", 1)].wait.mean == 12.5 and counters[("ho-tich", 1)].service.mean == 11
    assert counters[("ho-tich", 2)].no_show == 1 and counters[("ho-tich", 2)].service.mean == 14
    assert counters[("dat-dai", 2)].taken == 1


def test_a_ticket_still_waiting_today_is_not_abandoned_yet(province):
    the_day(province.center)
    m = measures.measure(unit=province.center, start=DAY, end=DAY, today=DAY)
    assert {row.area.code: row.never_called for row in m.by_area} == {"ho-tich": 0, "dat-dai": 0}


def test_arrivals_per_area_day_and_local_hour(province):
    the_day(province.center)
    assert measures.arrivals(unit=province.center, start=DAY, end=DAY) == {
        ("ho-tich", DAY, 8): 3,
        ("ho-tich", DAY, 9): 1,
        ("ho-tich", DAY, 16): 1,
        ("dat-dai", DAY, 9): 1,
    }
    assert measures.arrivals(unit=province.center, start=NEXT, end=NEXT) == {}


def test_expected_wait_is_the_queue_times_the_recent_service_over_the_open_counters(province):
    civil, land, _one, _two = the_day(province.center)
    for number in range(1, 5):
        ticket(province.center, civil, number, local(2026, 3, 3, 8, number), day=NEXT)
    now = local(2026, 3, 3, 9, 0)
    # 4 waiting × 12 minutes (the services of 2 March) ÷ 2 open counters.
    wait = measures.expected_wait(civil, now=now)
    assert (wait.waiting, wait.open_counters, wait.service_minutes, wait.minutes) == (4, 2, 12, 24)
    assert wait.over_target  # the default target is 15 minutes
    ServiceCounter.objects.update(is_open=False)
    assert math.isinf(measures.expected_wait(civil, now=now).minutes)
    # Nobody waiting for the land area: no wait.
    assert measures.expected_wait(land, now=now).minutes == 0


def test_the_page_shows_the_measures_to_the_centers_head_only(province):
    the_day(province.center)
    leader = make_user("center_leader", Role.UNIT_LEADER, province.center)
    page = client_for(province.admin).get(
        "/xep-hang/quay/do-luong/", {"from": "02/03/2026", "to": "02/03/2026"}
    )
    assert page.status_code == 200
    assert "Hộ tịch" in page.text and "Đất đai" in page.text and "<svg" in page.text
    assert client_for(leader).get("/xep-hang/quay/do-luong/").status_code == 200
    # Another unit's leader asking for the center, and a counter officer: refused.
    asked = client_for(province.leader).get("/xep-hang/quay/do-luong/", {"unit": province.center.pk})
    assert asked.status_code == 403
    assert client_for(province.center_counter).get("/xep-hang/quay/do-luong/").status_code == 403
    # The commune's leader sees no hall of theirs.
    own = client_for(province.leader).get("/xep-hang/quay/do-luong/")
    assert own.status_code == 200 and "Hộ tịch" not in own.text


def test_the_page_refuses_a_wrong_period_clearly(province):
    the_day(province.center)
    client = client_for(province.admin)
    wrong = client.get("/xep-hang/quay/do-luong/", {"from": "31/02/2026", "to": "02/03/2026"})
    assert wrong.status_code == 400 and "dd/mm/yyyy" in wrong.text
    reversed_ = client.get("/xep-hang/quay/do-luong/", {"from": "03/03/2026", "to": "02/03/2026"})
    assert reversed_.status_code == 400 and "Đến ngày phải sau hoặc bằng từ ngày" in reversed_.text


def test_the_page_forecasts_tomorrow_and_sizes_the_counters_from_the_history(province):
    from django.utils import timezone

    from motcua.core.workcalendar import current_calendar
    from motcua.demo import tickets

    civil = make_hall(province.center)[0]
    tickets.generate(unit=province.center, weeks=4, seed=1)  # up to yesterday
    today = timezone.localdate()
    plan = measures.plan(
        unit=province.center, today=today, cal=current_calendar(), service_minutes={civil.pk: 10.0}
    )
    assert plan.tomorrow > today and len(plan.next_week) >= 3
    by_code = {a.area.code: a for a in plan.areas}
    for area in by_code.values():
        assert area.evaluation is not None and area.evaluation.held_out_days >= 5
        assert 0 < area.evaluation.wape < 1 and area.evaluation.mean_absolute_error > 0
        assert sum(h.arrivals for h in area.tomorrow) > 0 and len(area.next_week) == len(plan.next_week)
    busiest = by_code["ho-tich"].busiest
    assert busiest is not None and busiest.counters is not None and busiest.counters >= 1
    assert all(h.counters is None for h in by_code["dat-dai"].tomorrow)  # no service time given for it

    page = client_for(province.admin).get("/xep-hang/quay/do-luong/")
    assert page.status_code == 200
    assert "WAPE" in page.text and plan.tomorrow.strftime("%d/%m/%Y") in page.text
