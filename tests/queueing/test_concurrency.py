"""Kiosks and counters at once: numbers stay unique, two counters never get the same ticket.

Runs on SQLite (IMMEDIATE transactions) and on PostgreSQL (`make test-postgres`: row locks, SKIP LOCKED).
"""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.queueing import services
from motcua.queueing.models import Ticket
from tests.concurrency import run_at_once
from tests.factories import build_province
from tests.queueing.helpers import MORNING, area_of, make_counter, person

pytestmark = pytest.mark.django_db(transaction=True)


def test_kiosks_at_once_get_distinct_numbers():
    p = build_province()
    make_counter(p.commune, 1)
    area = area_of(p.commune)
    outcomes = run_at_once(
        *[
            lambda n=n: services.take_ticket(unit=p.commune, area=area, holder=person(n), now=MORNING)
            for n in range(6)
        ]
    )
    assert all(isinstance(o, Ticket) for o in outcomes), outcomes
    assert sorted(o.number for o in outcomes) == [1, 2, 3, 4, 5, 6]


def test_one_person_at_two_kiosks_at_once_gets_one_ticket():
    p = build_province()
    make_counter(p.commune, 1)
    area = area_of(p.commune)
    an = person(1)
    outcomes = run_at_once(
        *[lambda: services.take_ticket(unit=p.commune, area=area, holder=an, now=MORNING) for _ in range(2)]
    )
    tickets = [o for o in outcomes if isinstance(o, Ticket)]
    refusals = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(tickets) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].code == "ticket_held"
    assert Ticket.objects.filter(holder_id_number=an.id_number).count() == 1


def test_two_counters_calling_at_once_get_different_tickets():
    p = build_province()
    desks = [make_counter(p.commune, n) for n in (1, 2)]
    for n in range(3):
        services.take_ticket(unit=p.commune, area=area_of(p.commune), holder=person(n), now=MORNING)
    outcomes = run_at_once(
        *[
            lambda desk=desk: services.call_next(counter=desk, acting_user=p.counter, now=MORNING)
            for desk in desks
        ]
    )
    assert all(isinstance(o, Ticket) for o in outcomes), outcomes
    assert sorted(o.number for o in outcomes) == [1, 2]
    assert {o.counter_id for o in outcomes} == {d.pk for d in desks}
    assert Ticket.objects.get(number=3).status == Ticket.Status.WAITING
