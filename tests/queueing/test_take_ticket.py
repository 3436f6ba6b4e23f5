"""Taking a ticket: numbers per unit and local day from 1, bound to a person and an area; one open ticket
per person and area a day; priorities only from the center's policy."""

from datetime import date

import pytest

from motcua.core.errors import InvalidTransition, ValidationFailed
from motcua.queueing import services
from motcua.queueing.identity import Holder
from motcua.queueing.models import Ticket, TicketSequence
from tests.factories import local
from tests.queueing.helpers import MORNING, area_of, make_counter, person, take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_counters(province):
    return [
        make_counter(unit, 1, "Tư pháp – Hộ tịch", "Khác") for unit in (province.commune, province.center)
    ]


def test_numbers_run_per_unit_from_one_and_the_ticket_is_the_persons(province):
    civil = area_of(province.commune, "Tư pháp – Hộ tịch")
    an = person(1, "Nguyễn Văn An", date(1990, 3, 15))
    first = services.take_ticket(unit=province.commune, area=civil, holder=an, now=MORNING)
    second = take(province.commune)
    elsewhere = take(province.center)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert (first.label, first.area, first.status, first.issued_at) == ("0001", civil, "waiting", MORNING)
    assert (first.holder_id_number, first.holder_name, first.holder_birth_date) == (
        "040090000001",
        "Nguyễn Văn An",
        date(1990, 3, 15),
    )
    assert (first.identified_by, first.priority, first.initials) == ("typed", "", "N.V.A.")
    assert first.day.isoformat() == "2026-03-02"


def test_numbering_restarts_each_local_day(province):
    take(province.commune, now=local(2026, 3, 2, 8, 0))
    late = take(province.commune, now=local(2026, 3, 2, 23, 59))
    # 00:05 in Vinh is still the previous day in UTC: the local day counts.
    next_day = take(province.commune, now=local(2026, 3, 3, 0, 5))
    assert late.number == 2
    assert (next_day.number, next_day.day.isoformat()) == (1, "2026-03-03")


def test_one_open_ticket_per_person_and_area_a_day(province):
    civil, other = area_of(province.commune, "Tư pháp – Hộ tịch"), area_of(province.commune)
    an = person(7)
    held = take(province.commune, civil, holder=an)
    with pytest.raises(ValidationFailed) as refused:
        take(province.commune, civil, holder=an)
    assert refused.value.code == "ticket_held"
    assert "Bạn đang giữ số 0001 của khu vực Tư pháp – Hộ tịch hôm nay" in str(refused.value.message)
    assert take(province.commune, other, holder=an).number == 2  # another area: fine
    # Once served, the person may take a new one; the next day too.
    desk = open_counters_of(province)
    services.call_next(counter=desk, acting_user=province.counter, now=MORNING)
    services.finish(ticket=held, acting_user=province.counter, served=True, now=MORNING)
    assert take(province.commune, civil, holder=an).number == 3
    assert take(province.commune, civil, holder=an, now=local(2026, 3, 3, 8, 0)).number == 1
    assert Ticket.objects.count() == 4


def open_counters_of(province):
    return province.commune.service_counters.get(number=1)


def test_priorities_come_from_the_policy(province, settings):
    policy = ["booked", "elderly", "disabled", "pregnant"]
    settings.MOTCUA_QUEUE_PRIORITIES = policy
    # 60 on the day: elderly; 59 and 364 days: not; no birth date: not.
    assert take(province.commune, holder=person(1, birth_date=date(1966, 3, 2))).priority == "elderly"
    assert take(province.commune, holder=person(2, birth_date=date(1966, 3, 3))).priority == ""
    assert take(province.commune, holder=person(3)).priority == ""
    assert take(province.commune, holder=person(4), priority="pregnant").priority == "pregnant"
    assert take(province.commune, holder=person(5), priority="disabled").priority == "disabled"
    for claimed in ("elderly", "booked", "vip"):  # derived or unknown: not declared
        with pytest.raises(ValidationFailed):
            take(province.commune, holder=person(6), priority=claimed)
    settings.MOTCUA_QUEUE_PRIORITIES = ["booked"]
    assert take(province.commune, holder=person(7, birth_date=date(1940, 1, 1))).priority == ""
    with pytest.raises(ValidationFailed) as refused:
        take(province.commune, holder=person(8), priority="pregnant")
    assert "không áp dụng ưu tiên này" in str(refused.value.message)
    assert Ticket.objects.count() == 6


def test_an_area_must_be_the_units_active_and_served_one(province):
    elsewhere = area_of(province.center, "Tư pháp – Hộ tịch")
    unserved = area_of(province.commune, "Đất đai")
    inactive = area_of(province.commune, "Tư pháp – Hộ tịch")
    for area in (elsewhere, unserved):
        with pytest.raises(InvalidTransition) as refused:
            take(province.commune, area)
        assert refused.value.code == "area_closed"
    inactive.is_active = False
    inactive.save()
    with pytest.raises(InvalidTransition):
        take(province.commune, inactive)
    assert not Ticket.objects.exists()


def test_an_inactive_unit_gives_no_tickets(province):
    province.other_commune.is_active = False
    province.other_commune.save()
    make_counter(province.other_commune, 1)
    with pytest.raises(ValidationFailed):
        take(province.other_commune)
    assert not Ticket.objects.exists()


def test_a_bad_holder_is_refused(province):
    for holder in (Holder("12345", "An", None, "booking"), Holder("040090000001", "", None, "booking")):
        with pytest.raises(ValidationFailed):
            take(province.commune, holder=holder)
    assert not Ticket.objects.exists()


def test_no_ticket_while_no_counter_of_the_unit_is_open(province, open_counters):
    make_counter(province.other_commune, 1, is_open=False)
    with pytest.raises(InvalidTransition) as refused:
        take(province.other_commune)
    assert refused.value.code == "no_open_counter" and "chưa có quầy nào mở" in str(refused.value.message)
    commune_desk = open_counters[0]
    commune_desk.is_open = False
    commune_desk.save()
    with pytest.raises(InvalidTransition):
        take(province.commune)
    assert not Ticket.objects.exists() and not TicketSequence.objects.exists()
