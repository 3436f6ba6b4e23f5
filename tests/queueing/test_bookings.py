"""Appointments: slots and their capacity from the roster, booking (own identity, one a day, full slots, the
last place taken twice at once), cancel, check-in at the kiosk in its window, no-shows releasing the slot."""

from datetime import date, time

import pytest
from django.core.management import call_command

from motcua.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from motcua.queueing import bookings
from motcua.queueing.models import Booking, CounterArea, CounterShift, ServiceArea, ServiceCounter, Ticket
from tests.concurrency import run_at_once
from tests.factories import build_province, local, make_user

NOW = local(2026, 3, 2, 7, 0)  # Monday, before the office opens
TUESDAY = date(2026, 3, 3)
NINE = local(2026, 3, 3, 9, 0)


def _area(unit, code="ho-tich", name="Hộ tịch"):
    return ServiceArea.objects.create(unit=unit, code=code, name=name)


def _serving(area, number, per_slot=1, shifts=()):
    counter = ServiceCounter.objects.create(
        unit=area.unit, number=number, name=f"Quầy {number}", bookings_per_slot=per_slot
    )
    CounterArea.objects.create(counter=counter, area=area)
    for weekday, starts, ends in shifts:
        CounterShift.objects.create(counter=counter, weekday=weekday, starts=starts, ends=ends)
    return counter


def _verified(user):
    user.identity_verified_at, user.identity_method = local(2026, 1, 5, 9), "counter"
    user.save(update_fields=["identity_verified_at", "identity_method"])
    return user


def _named(user, last="Nguyễn Văn", first="An"):
    user.last_name, user.first_name = last, first
    user.save(update_fields=["last_name", "first_name"])
    return user


@pytest.fixture
def hall(db):
    p = build_province()
    _named(p.citizen)
    _named(p.other_citizen, "Trần Thị", "Bình")
    _verified(p.other_citizen)  # checked at a counter, as p.citizen (a declared number books nothing)
    area = _area(p.commune)
    return p, area


def _book(p, area, start=NINE, user=None, now=NOW):
    return bookings.book(area=area, slot_start=start, user=user or p.citizen, now=now)


def test_capacity_is_the_staffed_counters_places_per_half_hour(hall):
    p, area = hall
    _serving(area, 1, per_slot=2)  # no roster: every half hour of office hours
    _serving(area, 2, per_slot=3, shifts=[(1, time(7, 30), time(9, 30))])  # Tuesdays 07:30–09:30
    _serving(area, 3, per_slot=1, shifts=[(1, time(8, 0), time(8, 45)), (0, time(7, 30), time(17, 0))])
    other = _area(p.commune, "dat-dai", "Đất đai")
    _serving(other, 4, per_slot=5)  # another area's counter adds nothing here

    tuesday = bookings.slots(area, TUESDAY)

    assert [(s.start, s.capacity) for s in tuesday[:5]] == [
        (local(2026, 3, 3, 7, 30), 5),
        (local(2026, 3, 3, 8, 0), 6),  # counter 3 works 08:00–08:45: only this whole half hour
        (local(2026, 3, 3, 8, 30), 5),
        (local(2026, 3, 3, 9, 0), 5),
        (local(2026, 3, 3, 9, 30), 2),
    ]
    assert len(tuesday) == 16  # 07:30–11:30 and 13:00–17:00
    assert (tuesday[8].start, tuesday[8].capacity) == (local(2026, 3, 3, 13, 0), 2)
    assert (tuesday[-1].start, tuesday[-1].capacity) == (local(2026, 3, 3, 16, 30), 2)
    assert bookings.slots(area, date(2026, 3, 7)) == []  # Saturday


def test_a_slot_without_a_staffed_counter_is_not_offered(hall):
    p, area = hall
    _serving(area, 1, per_slot=2, shifts=[(1, time(13, 0), time(15, 0))])
    assert [s.start for s in bookings.slots(area, TUESDAY)] == [
        local(2026, 3, 3, 13, 0),
        local(2026, 3, 3, 13, 30),
        local(2026, 3, 3, 14, 0),
        local(2026, 3, 3, 14, 30),
    ]
    with pytest.raises(InvalidTransition) as refused:
        _book(p, area, NINE)
    assert refused.value.code == "no_such_slot"


def test_booking_takes_the_accounts_identity_and_a_place(hall):
    p, area = hall
    _serving(area, 1, per_slot=2)

    booking = _book(p, area)

    assert booking.holder_id_number == "040090001234"
    assert booking.holder_name == "Nguyễn Văn An"
    assert (booking.unit, booking.day, booking.slot_start, booking.user) == (
        p.commune,
        TUESDAY,
        NINE,
        p.citizen,
    )
    assert booking.status == Booking.Status.BOOKED
    assert booking.code.startswith("LH") and len(booking.code) == 10
    nine = next(s for s in bookings.slots(area, TUESDAY) if s.start == NINE)
    assert (nine.capacity, nine.taken, nine.free) == (2, 1, 1)


def test_an_account_without_an_id_number_or_an_officer_cannot_book(hall):
    p, area = hall
    _serving(area, 1)
    nameless = _named(make_user("no_id", "citizen"))
    with pytest.raises(ValidationFailed) as refused:
        _book(p, area, user=nameless)
    assert refused.value.code == "no_id_number"
    declared = _named(make_user("declared", "citizen", citizen_id="040090006666"))
    with pytest.raises(ValidationFailed) as refused:  # a number typed at registration only
        _book(p, area, user=declared)
    assert refused.value.code == "no_id_number"
    unnamed = _verified(make_user("no_name", "citizen", citizen_id="040090005555"))
    with pytest.raises(ValidationFailed) as refused:
        _book(p, area, user=unnamed)
    assert refused.value.code == "bad_account_identity"
    with pytest.raises(PermissionDenied):
        _book(p, area, user=p.counter)
    assert not Booking.objects.exists()


def test_a_full_slot_is_refused(hall):
    p, area = hall
    _serving(area, 1, per_slot=1)
    _book(p, area)
    with pytest.raises(InvalidTransition) as refused:
        _book(p, area, user=p.other_citizen)
    assert refused.value.code == "slot_full"
    assert Booking.objects.count() == 1
    # The next half hour still has its place.
    _book(p, area, local(2026, 3, 3, 9, 30), user=p.other_citizen)


def test_one_live_booking_per_person_area_and_day(hall):
    p, area = hall
    _serving(area, 1, per_slot=3)
    _book(p, area)
    with pytest.raises(InvalidTransition) as refused:
        _book(p, area, local(2026, 3, 3, 14, 0))
    assert refused.value.code == "already_booked"
    _book(p, area, local(2026, 3, 4, 9, 0))  # another day


def test_past_odd_and_far_slots_are_refused(hall):
    p, area = hall
    _serving(area, 1)
    for start, code in [
        (local(2026, 3, 2, 6, 30), "slot_past"),
        (local(2026, 3, 3, 9, 15), "no_such_slot"),
        (local(2026, 3, 3, 12, 0), "no_such_slot"),
        (local(2026, 3, 16, 9, 0), "day_out_of_range"),  # the 11th working day
    ]:
        with pytest.raises(InvalidTransition) as refused:
            _book(p, area, start)
        assert refused.value.code == code, start
    _book(p, area, local(2026, 3, 13, 9, 0))  # the 10th working day


def test_cancel_frees_the_place(hall):
    p, area = hall
    _serving(area, 1, per_slot=1)
    booking = _book(p, area)
    with pytest.raises(NotFound):
        bookings.cancel(booking=booking, user=p.other_citizen, now=NOW)

    bookings.cancel(booking=booking, user=p.citizen, now=NOW)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert bookings.free_slots(area, TUESDAY, NOW)[3].start == NINE
    assert _book(p, area, user=p.other_citizen).status == Booking.Status.BOOKED
    # The citizen may book again that day.
    again = _book(p, area, local(2026, 3, 3, 9, 30))
    with pytest.raises(InvalidTransition) as refused:
        bookings.cancel(booking=again, user=p.citizen, now=local(2026, 3, 3, 9, 30))
    assert refused.value.code == "cannot_cancel"


def test_check_in_in_the_window_gives_a_booked_priority_ticket(hall):
    p, area = hall
    _serving(area, 1)
    booking = _book(p, area)

    with pytest.raises(InvalidTransition) as refused:
        bookings.check_in(text=booking.code, unit=p.commune, now=local(2026, 3, 3, 8, 29))
    assert refused.value.code == "too_early"
    ticket = bookings.check_in(
        text=f"  {booking.code.lower()} ", unit=p.commune, now=local(2026, 3, 3, 8, 30)
    )

    assert (ticket.priority, ticket.identified_by, ticket.area) == ("booked", "booking", area)
    assert (ticket.holder_id_number, ticket.holder_name) == ("040090001234", "Nguyễn Văn An")
    booking.refresh_from_db()
    assert (booking.status, booking.ticket, booking.checked_in_at) == (
        "checked_in",
        ticket,
        local(2026, 3, 3, 8, 30),
    )
    # A second scan prints the same ticket.
    assert bookings.check_in(text=booking.code, unit=p.commune, now=local(2026, 3, 3, 8, 31)) == ticket
    assert Ticket.objects.count() == 1


def test_check_in_closes_15_minutes_after_the_slot_starts(hall):
    p, area = hall
    _serving(area, 1, per_slot=2)
    late = _book(p, area)
    on_time = _book(p, area, user=p.other_citizen)
    with pytest.raises(InvalidTransition) as refused:
        bookings.check_in(text=late.code, unit=p.commune, now=local(2026, 3, 3, 9, 16))
    assert refused.value.code == "too_late"
    assert (
        bookings.check_in(text=on_time.code, unit=p.commune, now=local(2026, 3, 3, 9, 15)).priority
        == "booked"
    )


def test_check_in_refuses_other_units_cancelled_and_unknown_codes(hall):
    p, area = hall
    _serving(area, 1)
    booking = _book(p, area)
    elsewhere = _area(p.other_commune)
    _serving(elsewhere, 1)
    with pytest.raises(InvalidTransition) as refused:
        bookings.check_in(text=booking.code, unit=p.other_commune, now=NINE)
    assert refused.value.code == "other_unit"
    with pytest.raises(NotFound):
        bookings.check_in(text="LH23456789", unit=p.commune, now=NINE)
    with pytest.raises(ValidationFailed):
        bookings.check_in(text="040090001234", unit=p.commune, now=NINE)
    bookings.cancel(booking=booking, user=p.citizen, now=NOW)
    with pytest.raises(InvalidTransition) as refused:
        bookings.check_in(text=booking.code, unit=p.commune, now=NINE)
    assert refused.value.code == "cancelled"
    assert not Ticket.objects.exists()


def test_no_shows_are_released_and_their_place_is_free(hall):
    p, area = hall
    _serving(area, 1, per_slot=1)
    booking = _book(p, area)

    assert bookings.release_no_shows(now=local(2026, 3, 3, 9, 15)) == 0
    assert bookings.release_no_shows(now=local(2026, 3, 3, 9, 16)) == 1

    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    nine = next(s for s in bookings.slots(area, TUESDAY) if s.start == NINE)
    assert (nine.capacity, nine.taken) == (1, 0)
    with pytest.raises(InvalidTransition) as refused:
        bookings.check_in(text=booking.code, unit=p.commune, now=local(2026, 3, 3, 9, 10))
    assert refused.value.code == "too_late"


def test_the_release_command(hall):
    p, area = hall
    _serving(area, 1)
    _book(p, area, local(2026, 3, 2, 7, 30))  # this morning: long past when the command runs
    call_command("release_no_shows")
    assert Booking.objects.get().status == Booking.Status.NO_SHOW


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_place_at_once():
    p = build_province()
    _named(p.citizen)
    _named(p.other_citizen, "Trần Thị", "Bình")
    _verified(p.other_citizen)  # checked at a counter, as p.citizen (a declared number books nothing)
    area = _area(p.commune)
    _serving(area, 1, per_slot=1)

    outcomes = run_at_once(
        *[lambda user=user: _book(p, area, user=user) for user in (p.citizen, p.other_citizen)]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Booking", "InvalidTransition"], outcomes
    refused = next(o for o in outcomes if isinstance(o, InvalidTransition))
    assert refused.code == "slot_full"
    assert Booking.objects.count() == 1
