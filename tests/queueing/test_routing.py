"""Which ticket a counter calls next: one transferred to it, then priority tickets, then its areas in the
order it serves them (CounterArea.priority), then by number; never another area's or another counter's."""

from datetime import date, timedelta

import pytest

from motcua.core.errors import InvalidTransition, ValidationFailed
from motcua.queueing import services
from motcua.queueing.models import Ticket
from tests.queueing.helpers import MORNING, area_of, make_counter, person, take

pytestmark = pytest.mark.django_db
LATER = MORNING + timedelta(minutes=30)


@pytest.fixture
def hall(province):
    unit = province.commune
    civil, land, other = (area_of(unit, name) for name in ("Tư pháp – Hộ tịch", "Đất đai", "Khác"))
    one = make_counter(unit, 1, civil, later=[other])
    two = make_counter(unit, 2, land)
    return unit, civil, land, other, one, two


def numbers_called(counter, user, n):
    called = []
    for _ in range(n):
        ticket = services.call_next(counter=counter, acting_user=user, now=LATER)
        if ticket is None:
            break
        called.append(ticket.number)
        services.finish(ticket=ticket, acting_user=user, served=True, now=LATER)
    return called


def test_priority_then_area_priority_then_number(province, hall):
    unit, civil, land, other, one, two = hall
    take(unit, land)  # 1
    take(unit, other)  # 2
    take(unit, civil)  # 3
    take(unit, other, holder=person(40, birth_date=date(1950, 5, 1)))  # 4: elderly
    take(unit, civil)  # 5
    take(unit, land, priority="disabled")  # 6: priority, but not an area of counter 1
    assert numbers_called(one, province.counter, 10) == [4, 3, 5, 2]
    assert numbers_called(two, province.counter, 10) == [6, 1]


def test_a_transferred_ticket_waits_for_its_counter_only(province, hall):
    unit, civil, _land, _other, one, _two = hall
    three = make_counter(unit, 3, civil)
    first = take(unit, civil)
    take(unit, civil)  # 2
    called = services.call_next(counter=one, acting_user=province.counter, now=MORNING)
    assert called.pk == first.pk
    moved = services.transfer(ticket=called, acting_user=province.counter, to_counter=three, now=LATER)
    assert (moved.number, moved.status, moved.counter, moved.reserved_counter, moved.transferred_at) == (
        1,
        Ticket.Status.WAITING,
        None,
        three,
        LATER,
    )
    # Counter 1 serves the area but the ticket is now counter 3's: it calls number 2.
    assert services.call_next(counter=one, acting_user=province.counter, now=LATER).number == 2
    take(unit, civil, holder=person(50, birth_date=date(1940, 1, 1)))  # 3: elderly
    # Counter 3 calls its transferred ticket before the elderly person.
    assert numbers_called(three, province.counter, 5) == [1, 3]


def test_transfer_to_an_area_keeps_the_number(province, hall):
    unit, civil, land, _other, one, two = hall
    take(unit, land)  # 1
    ticket = take(unit, civil)  # 2
    services.call_next(counter=one, acting_user=province.counter, now=MORNING)
    moved = services.transfer(ticket=ticket, acting_user=province.counter, to_area=land, now=LATER)
    assert (moved.number, moved.area, moved.reserved_counter, moved.status) == (2, land, None, "waiting")
    assert numbers_called(two, province.counter, 5) == [1, 2]
    assert numbers_called(one, province.counter, 5) == []


def test_transfer_refusals(province, hall):
    unit, civil, land, _other, one, two = hall
    an = person(9)
    take(unit, land, holder=an)
    ticket = take(unit, civil, holder=an)
    closed = make_counter(unit, 4, civil, is_open=False)
    elsewhere = make_counter(province.other_commune, 1)
    with pytest.raises(InvalidTransition):  # not called yet
        services.transfer(ticket=ticket, acting_user=province.counter, to_counter=two)
    services.call_next(counter=one, acting_user=province.counter, now=MORNING)
    for target in ({}, {"to_counter": two, "to_area": land}, {"to_counter": one}, {"to_counter": elsewhere}):
        with pytest.raises(ValidationFailed):
            services.transfer(ticket=ticket, acting_user=province.counter, **target)
    with pytest.raises(InvalidTransition):
        services.transfer(ticket=ticket, acting_user=province.counter, to_counter=closed)
    with pytest.raises(InvalidTransition):  # no open counter serves it
        services.transfer(ticket=ticket, acting_user=province.counter, to_area=area_of(unit, "Xây dựng"))
    # The person already holds a land ticket: moving this one there would give them two.
    with pytest.raises(ValidationFailed) as refused:
        services.transfer(ticket=ticket, acting_user=province.counter, to_area=land)
    assert "Bạn đang giữ số 0001 của khu vực Đất đai" in str(refused.value.message)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.counter, ticket.area) == (Ticket.Status.CALLED, one, civil)
