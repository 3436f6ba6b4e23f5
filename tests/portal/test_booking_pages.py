"""“Đặt lịch hẹn” and “Lịch hẹn của tôi” pages, and the kiosk's check-in page (real time: the days and slots
are the bookable ones from now)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.queueing import bookings
from motcua.queueing.models import Booking, CounterArea, ServiceArea, ServiceCounter, Ticket


@pytest.fixture
def area(province):
    province.citizen.last_name, province.citizen.first_name = "Nguyễn Văn", "An"
    province.citizen.save(update_fields=["last_name", "first_name"])
    hall = ServiceArea.objects.create(unit=province.commune, code="ho-tich", name="Hộ tịch")
    counter = ServiceCounter.objects.create(
        unit=province.commune, number=1, name="Quầy 1", bookings_per_slot=1
    )
    CounterArea.objects.create(counter=counter, area=hall)
    return hall


def test_a_citizen_books_sees_the_qr_and_cancels(client, province, area):
    day = bookings.bookable_days()[1]  # tomorrow or later: every slot is in the future
    client.force_login(province.citizen)
    page = client.get(
        "/dat-lich-hen/", {"unit": province.commune.code, "area": area.pk, "day": day.isoformat()}
    )
    assert page.status_code == 200
    first = bookings.free_slots(area, day)[0]
    assert first.start.astimezone(timezone.get_current_timezone()).strftime("%H:%M") == "07:30"
    assert 'value="' + first.start.isoformat() + '"' in page.content.decode()

    # Typed identity fields are ignored: the account's own number and name are booked.
    answer = client.post(
        "/dat-lich-hen/",
        {
            "unit": province.commune.code,
            "area": area.pk,
            "day": day.isoformat(),
            "slot": first.start.isoformat(),
            "phone": "0912345678",
            "holder_id_number": "001099000001",
            "holder_name": "Người Khác",
        },
    )
    booking = Booking.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/lich-hen-cua-toi/{booking.code}/"
    assert (booking.holder_id_number, booking.holder_name, booking.holder_phone) == (
        "040090001234",
        "Nguyễn Văn An",
        "0912345678",
    )
    shown = client.get(answer["Location"]).content.decode()
    assert booking.code in shown and "<svg" in shown and "07:30" in shown

    # The slot is full now: another citizen (verified too) is told so.
    province.other_citizen.identity_verified_at = timezone.now()
    province.other_citizen.save(update_fields=["identity_verified_at"])
    client.force_login(province.other_citizen)
    province.other_citizen.last_name = "Trần"
    province.other_citizen.save(update_fields=["last_name"])
    refused = client.post(
        "/dat-lich-hen/",
        {
            "unit": province.commune.code,
            "area": area.pk,
            "day": day.isoformat(),
            "slot": first.start.isoformat(),
        },
    )
    assert refused.status_code == 409
    assert "đã kín chỗ" in refused.content.decode()
    assert client.get(f"/lich-hen-cua-toi/{booking.code}/").status_code == 404

    client.force_login(province.citizen)
    assert booking.code in client.get("/lich-hen-cua-toi/").content.decode()
    assert client.post(f"/lich-hen-cua-toi/{booking.code}/huy/").status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_the_booking_pages_need_a_citizen(client, province, area):
    assert client.get("/dat-lich-hen/").status_code == 302
    client.force_login(province.counter)
    assert client.get("/dat-lich-hen/").status_code == 403


def test_the_kiosk_turns_a_booking_into_a_priority_ticket(client, province, area):
    now = timezone.now()
    booking = Booking.objects.create(
        unit=province.commune,
        area=area,
        day=timezone.localdate(now),
        slot_start=now + timedelta(minutes=10),  # its window is open
        code="LH23456789",
        holder_id_number="040090001234",
        holder_name="Nguyễn Văn An",
    )
    url = f"/xep-hang/{province.commune.code}/dat-lich/nhan-so/"
    assert "Nhận số theo lịch hẹn" in client.get(url).content.decode()
    wrong = client.post(url, {"code": "LH99999999"})
    assert wrong.status_code == 404 and "Không tìm thấy lịch hẹn" in wrong.content.decode()

    answer = client.post(url, {"code": "lh2345-6789"})

    ticket = Ticket.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/xep-hang/{province.commune.code}/so/{ticket.pk}/"
    assert ticket.priority == "booked"
    booking.refresh_from_db()
    assert booking.ticket == ticket
