"""Calling the next ticket to a counter, recalling it, and closing it; who may do so."""

from datetime import timedelta

import pytest

from motcua.core.errors import InvalidTransition, PermissionDenied
from motcua.queueing import services
from motcua.queueing.models import Ticket
from tests.factories import local
from tests.queueing import helpers
from tests.queueing.helpers import MORNING, make_counter

pytestmark = pytest.mark.django_db
LATER = MORNING + timedelta(minutes=30)


def take(unit, n=1, now=MORNING):
    return [helpers.take(unit, now=now) for _ in range(n)]


def test_the_oldest_waiting_ticket_of_the_unit_today_comes_first(province):
    one, two = make_counter(province.commune, 1), make_counter(province.commune, 2)
    make_counter(province.other_commune, 1)
    take(province.commune, now=local(2026, 3, 1, 16, 0))  # yesterday's: not called
    take(province.other_commune)  # another unit's
    first, second = take(province.commune, 2)

    called = services.call_next(counter=two, acting_user=province.counter, now=LATER)
    assert called.pk == first.pk
    assert (called.status, called.counter, called.called_at, called.called_by) == (
        Ticket.Status.CALLED,
        two,
        LATER,
        province.counter,
    )
    assert services.call_next(counter=one, acting_user=province.counter, now=LATER).pk == second.pk
    services.finish(ticket=called, acting_user=province.counter, served=True, now=LATER)
    assert services.call_next(counter=two, acting_user=province.counter, now=LATER) is None


def test_officers_of_another_unit_and_other_roles_are_refused(province):
    desk = make_counter(province.commune, 1)
    (ticket,) = take(province.commune)
    for outsider in (province.other_counter, province.center_counter, province.specialist, province.citizen):
        with pytest.raises(PermissionDenied):
            services.call_next(counter=desk, acting_user=outsider, now=LATER)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING and ticket.counter is None


def test_the_center_administrator_operates_the_center_counters(province):
    desk = make_counter(province.center, 1)
    (ticket,) = take(province.center)
    assert services.call_next(counter=desk, acting_user=province.admin, now=LATER).pk == ticket.pk


def test_a_closed_or_busy_counter_calls_nobody(province):
    busy = make_counter(province.commune, 2)
    take(province.commune, 2)
    closed = make_counter(province.commune, 1, is_open=False)
    with pytest.raises(InvalidTransition):
        services.call_next(counter=closed, acting_user=province.counter, now=LATER)
    services.call_next(counter=busy, acting_user=province.counter, now=LATER)
    with pytest.raises(InvalidTransition):
        services.call_next(counter=busy, acting_user=province.counter, now=LATER)
    assert Ticket.objects.filter(status=Ticket.Status.WAITING).count() == 1


def test_finish_served_or_no_show_once(province):
    desk = make_counter(province.commune, 1)
    take(province.commune, 2)
    first = services.call_next(counter=desk, acting_user=province.counter, now=LATER)
    served = services.finish(ticket=first, acting_user=province.counter, served=True, now=LATER)
    assert (served.status, served.finished_at, served.finished_by) == (
        Ticket.Status.SERVED,
        LATER,
        province.counter,
    )
    with pytest.raises(InvalidTransition):
        services.finish(ticket=first, acting_user=province.counter, served=False, now=LATER)
    second = services.call_next(counter=desk, acting_user=province.counter, now=LATER)
    with pytest.raises(PermissionDenied):
        services.finish(ticket=second, acting_user=province.other_counter, served=False, now=LATER)
    assert services.finish(ticket=second, acting_user=province.counter, served=False).status == "no_show"


def test_recall_announces_the_current_ticket_again(province):
    desk = make_counter(province.commune, 1)
    take(province.commune)
    ticket = services.call_next(counter=desk, acting_user=province.counter, now=LATER)
    again = LATER + timedelta(minutes=2)
    recalled = services.recall(ticket=ticket, acting_user=province.counter, now=again)
    assert (recalled.called_at, recalled.recalled_at, recalled.status) == (LATER, again, Ticket.Status.CALLED)
    (waiting,) = take(province.commune, now=again)
    with pytest.raises(InvalidTransition):
        services.recall(ticket=waiting, acting_user=province.counter, now=again)
