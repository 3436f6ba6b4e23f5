"""The reception hall in a real browser (#18): a person cannot hold two tickets for one area (the kiosk says
so), and the board shows and announces each call without a reload (aria-live, speech or a chime)."""

import pytest
from playwright.sync_api import expect

from motcua.queueing import services
from motcua.queueing.models import CounterArea, ServiceArea, ServiceCounter, Ticket
from tests.browser.a11y import no_serious_violations
from tests.factories import build_province

pytestmark = pytest.mark.django_db(transaction=True)
AN_QR = "040090001234|186123456|Nguyễn Văn An|15031990|Nam|Xóm 3, Hưng Lộc, Vinh, Nghệ An|20042021"


def hall():
    p = build_province()
    civil = ServiceArea.objects.create(unit=p.commune, code="ho-tich", name="Tư pháp – Hộ tịch", position=1)
    ServiceArea.objects.create(unit=p.commune, code="dat-dai", name="Đất đai", position=2)
    desk = ServiceCounter.objects.create(unit=p.commune, number=3, name="Quầy 3 – Hộ tịch", officer=p.counter)
    CounterArea.objects.create(counter=desk, area=civil)
    return p, desk


def test_a_person_cannot_hold_two_tickets_for_one_area(browser, live_server):
    p, _desk = hall()
    page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    page.set_default_timeout(10_000)
    kiosk = f"{live_server.url}/xep-hang/{p.commune.code}/lay-so/"
    page.goto(kiosk)
    expect(page.get_by_role("link", name="Đất đai")).to_have_count(0)  # no open counter serves it
    page.get_by_role("link", name="Tư pháp – Hộ tịch").click()
    no_serious_violations(page, "kiosk identify")
    # A hardware scanner types the card's QR text into the focused field and presses Enter.
    expect(page.get_by_label("Đưa mã QR ở mặt trước thẻ căn cước vào máy quét")).to_be_focused()
    page.keyboard.type(AN_QR)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Số thứ tự của bạn")).to_be_visible()
    expect(page.locator(".big")).to_have_text("0001")
    expect(page.get_by_text("N.V.A.")).to_be_visible()
    expect(page.get_by_text("040090001234")).to_have_count(0)

    # The same person, typing their number this time, for the same area.
    page.goto(kiosk + "?khu-vuc=ho-tich")
    page.get_by_label("Số định danh cá nhân (12 số)").fill("040090001234")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_role("button", name="Lấy số").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Bạn đang giữ số 0001 của khu vực Tư pháp – Hộ tịch hôm nay"
    )
    assert Ticket.objects.count() == 1
    page.context.close()


def test_the_board_announces_each_call_without_a_reload(browser, live_server):
    p, desk = hall()
    services.take_ticket(
        unit=p.commune,
        area=desk.areas.get(),
        holder=services.Holder("040090001234", "Nguyễn Văn An", None, "typed"),
    )
    page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/xep-hang/{p.commune.code}/bang/")
    no_serious_violations(page, "board")
    page.evaluate("window.__sameDocument = true")
    announce = page.locator("#announce")
    expect(announce).to_have_attribute("aria-live", "assertive")
    expect(page.locator("#waiting")).to_have_text("1")  # the first frame arrived: the stream is open

    services.call_next(counter=desk, acting_user=p.counter)
    expect(announce).to_have_text("Mời số 0001 đến quầy số 3")
    expect(announce).to_have_attribute("data-announcements", "1")
    assert page.get_attribute("#announce", "data-announced-by") in {"speech", "chime"}
    expect(page.locator("#flash")).to_have_text("Mời số 0001 đến quầy số 3")
    expect(page.locator("#counters")).to_contain_text("N.V.A.")
    expect(page.locator("#waiting")).to_have_text("0")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    page.context.close()
