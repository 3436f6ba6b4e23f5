"""Kiosks and counters at once: numbers stay unique, two counters never get the same ticket.

Runs on SQLite (IMMEDIATE transactions) and on PostgreSQL (`make test-postgres`: row locks, SKIP LOCKED).
"""

import threading

import pytest
from django.db import connection

from motcua.queueing import services
from motcua.queueing.models import Ticket
from tests.factories import build_province
from tests.queueing.helpers import MORNING, make_counter

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(*calls):
    """Run each call in its own thread (own database connection), released together."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # the outcome under test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_kiosks_at_once_get_distinct_numbers():
    p = build_province()
    outcomes = run_at_once(*[lambda: services.take_ticket(unit=p.commune, now=MORNING) for _ in range(6)])
    assert all(isinstance(o, Ticket) for o in outcomes), outcomes
    assert sorted(o.number for o in outcomes) == [1, 2, 3, 4, 5, 6]


def test_two_counters_calling_at_once_get_different_tickets():
    p = build_province()
    for _ in range(3):
        services.take_ticket(unit=p.commune, now=MORNING)
    desks = [make_counter(p.commune, n) for n in (1, 2)]
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
