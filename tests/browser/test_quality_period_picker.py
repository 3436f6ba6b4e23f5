"""The report period picker in a browser (#13 item 13): only the chosen kind's controls are shown and sent,
and reversed dates come back as an error on the page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.quality.periods import quarter_of
from tests.browser.test_backoffice_journey import sign_in
from tests.factories import build_province

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_kind_of_period_at_a_time(browser, live_server):
    build_province()
    page = sign_in(browser, live_server.url, "leader")
    page.goto(f"{live_server.url}/chat-luong/thong-ke/")
    form = page.get_by_role("form", name="Chọn đơn vị và kỳ báo cáo")
    month, quarter = form.get_by_label("Tháng", exact=True), form.get_by_label("Quý", exact=True)
    start, end = form.get_by_label("Từ ngày (dd/mm/yyyy)"), form.get_by_label("Đến ngày (dd/mm/yyyy)")
    expect(month).to_be_visible()
    for control in (quarter, start, end):
        expect(control).to_be_hidden()

    form.get_by_label("Loại kỳ").select_option("quarter")
    expect(quarter).to_be_visible()
    expect(quarter).to_have_value(str(quarter_of(timezone.localdate())))  # December: 4, never 1
    expect(month).to_be_hidden()
    form.get_by_role("button", name="Xem").click()
    page.wait_for_url("**kind=quarter**")
    assert "month=" not in page.url and "from=" not in page.url
    expect(page.get_by_role("alert")).to_have_count(0)

    form.get_by_label("Loại kỳ").select_option("custom")
    expect(quarter).to_be_hidden()
    start.fill("31/03/2026")
    end.fill("01/03/2026")
    form.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("alert")).to_contain_text("“Từ ngày” sau “Đến ngày”")
    expect(start).to_be_visible()
    expect(page.get_by_text("Tổng cộng")).to_have_count(0)
