"""The demo's appointments: the demo citizen's booking for the next working day, places taken around it."""

import pytest
from django.test import Client
from django.utils import timezone

from motcua.demo.bookings import load_demo_bookings
from motcua.demo.counters import load_demo_counters
from motcua.demo.documents import seed_reference_registers, verify_demo_citizens
from motcua.demo.org import load_org
from motcua.queueing.models import Booking

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_holds_a_booking_and_a_second_load_adds_none():
    org = load_org()
    load_demo_counters(org)
    seed_reference_registers()
    verify_demo_citizens()  # as load_demo does before the bookings: a booking needs a verified identity
    citizen = org.users["congdan"]

    assert load_demo_bookings(org.center, citizen) == 4

    mine = Booking.objects.get(user=citizen)
    assert (mine.area.name, mine.holder_name, mine.status) == ("Tư pháp – Hộ tịch", "Nguyễn Văn An", "booked")
    assert timezone.localtime(mine.slot_start).strftime("%H:%M") == "09:00"
    assert sorted(
        timezone.localtime(b.slot_start).strftime("%H:%M") for b in Booking.objects.filter(user=None)
    ) == [
        "09:30",
        "10:00",
        "10:00",
    ]
    assert load_demo_bookings(org.center, citizen) == 0
    client = Client()
    client.force_login(citizen)
    assert mine.code in client.get("/lich-hen-cua-toi/").text
