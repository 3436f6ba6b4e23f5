"""Taking a ticket: numbers per unit and local day, starting at 1 each day."""

import pytest

from motcua.core.errors import InvalidTransition, ValidationFailed
from motcua.queueing import services
from motcua.queueing.models import Ticket, TicketSequence
from tests.factories import local
from tests.queueing.helpers import make_counter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_counters(province):
    return [make_counter(unit, 1) for unit in (province.commune, province.center)]


def test_numbers_run_per_unit_from_one(province):
    at = local(2026, 3, 2, 8, 0)
    first = services.take_ticket(unit=province.commune, field="Hộ tịch", now=at)
    second = services.take_ticket(unit=province.commune, now=at)
    elsewhere = services.take_ticket(unit=province.center, now=at)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert first.label == "0001" and first.field == "Hộ tịch"
    assert first.status == Ticket.Status.WAITING and first.issued_at == at
    assert first.day.isoformat() == "2026-03-02"


def test_numbering_restarts_each_local_day(province):
    services.take_ticket(unit=province.commune, now=local(2026, 3, 2, 8, 0))
    late = services.take_ticket(unit=province.commune, now=local(2026, 3, 2, 23, 59))
    # 00:05 in Vinh is still the previous day in UTC: the local day counts.
    next_day = services.take_ticket(unit=province.commune, now=local(2026, 3, 3, 0, 5))
    assert late.number == 2
    assert (next_day.number, next_day.day.isoformat()) == (1, "2026-03-03")


def test_an_inactive_unit_gives_no_tickets(province):
    province.other_commune.is_active = False
    province.other_commune.save()
    with pytest.raises(ValidationFailed):
        services.take_ticket(unit=province.other_commune)
    assert not Ticket.objects.exists()


def test_a_too_long_field_is_refused(province):
    with pytest.raises(ValidationFailed):
        services.take_ticket(unit=province.commune, field="x" * 101)


def test_no_ticket_while_no_counter_of_the_unit_is_open(province, open_counters):
    make_counter(province.other_commune, 1, is_open=False)
    with pytest.raises(InvalidTransition) as refused:
        services.take_ticket(unit=province.other_commune)
    assert refused.value.code == "no_open_counter" and "chưa có quầy nào mở" in str(refused.value.message)
    commune_desk = open_counters[0]
    commune_desk.is_open = False
    commune_desk.save()
    with pytest.raises(InvalidTransition):
        services.take_ticket(unit=province.commune)
    assert not Ticket.objects.exists() and not TicketSequence.objects.exists()
