"""Two officers' journeys through the back office in a real browser (Chromium, with htmx on)."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.backoffice.helpers import working_moment_later
from tests.browser.a11y import no_serious_violations
from tests.factories import build_province
from tests.support.pdfs import pdf_file

pytestmark = pytest.mark.django_db(transaction=True)
APPLICANT = "Phạm Thị Hoa"


def sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(f"pw-{username}")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return page


def act(page: Page, label: str, **fields: str) -> None:
    """Open the act's form on the dossier page, fill it and submit it; wait for the success message."""
    if fields:
        details = page.locator("details").filter(has=page.locator("summary", has_text=label))
        details.locator("summary").click()
        for field, value in fields.items():
            details.get_by_label(field).fill(value)
        details.get_by_role("button", name=label).click()
    else:
        page.get_by_role("button", name=label).click()
    done = label[0].lower() + label[1:]
    expect(page.get_by_role("status")).to_contain_text(f"Đã thực hiện “{done}”")


def pdf_text(page: Page, url: str) -> str:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages)
    return " ".join(text.split())  # lines wrap inside names


def test_inter_agency_dossier_from_counter_to_returned_result(browser, live_server, tmp_path, shots):
    province = build_province()
    base = live_server.url

    counter = sign_in(browser, base, "counter")
    counter.get_by_role("link", name="Tiếp nhận tại quầy").click()
    counter.get_by_role("link", name=province.inter_agency.name).click()
    counter.get_by_label("Họ tên / tên tổ chức").fill(APPLICANT)
    counter.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill("040190007777")
    counter.get_by_label("Số điện thoại").fill("0987654321")
    counter.get_by_label("Trích yếu").fill("Hồ sơ liên thông")
    counter.get_by_role("checkbox", name=re.compile("^Tờ khai")).check()
    counter.get_by_label("Bản quét: Tờ khai").set_input_files(pdf_file(tmp_path / "to-khai.pdf"))
    if shots:
        counter.screenshot(path=str(shots / "reception.png"), full_page=True)
    no_serious_violations(counter, "reception form")
    counter.get_by_role("button", name="Tiếp nhận", exact=True).click()

    heading = counter.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Hồ sơ")
    code = heading.inner_text().split()[-1]
    url = f"{base}/can-bo/ho-so/{code}/"
    expect(counter.get_by_role("link", name="to-khai.pdf")).to_be_visible()
    dossier = province.inter_agency.dossiers.get(code=code)
    receipt = pdf_text(counter, f"{url}phieu/tiep-nhan.pdf")
    assert code in receipt and APPLICANT in receipt
    assert timezone.localtime(dossier.appointment_at).strftime("%d/%m/%Y") in receipt
    act(counter, "Chuyển xử lý")

    specialist = sign_in(browser, base, "specialist")
    specialist.goto(url)
    act(specialist, "Chuyển bước tiếp theo", **{"Ý kiến xử lý": "Xã đã thẩm định, đủ điều kiện"})

    justice = sign_in(browser, base, "justice_specialist")
    justice.get_by_role("link", name=re.compile("Cần xử lý")).click()
    expect(justice).to_have_url(re.compile(r"list=xu-ly"))
    justice.get_by_role("link", name=code).click()
    act(justice, "Chuyển bước tiếp theo", **{"Ý kiến xử lý": "Sở đã thẩm định"})

    leader = sign_in(browser, base, "justice_leader")
    leader.goto(url)
    if shots:
        leader.screenshot(path=str(shots / "dossier.png"), full_page=True)
    no_serious_violations(leader, "dossier page")
    act(leader, "Phê duyệt", **{"Ý kiến xử lý": "Đồng ý"})
    act(leader, "Hoàn thành xử lý, có kết quả", **{"Ghi chú": "Đã ký kết quả"})

    counter.goto(f"{base}/can-bo/?list=tra-ket-qua")
    counter.get_by_role("link", name=code).click()
    expect(counter.get_by_role("heading", level=1)).to_contain_text(code)
    act(counter, "Trả kết quả", **{"Ghi chú": "Trả trực tiếp tại quầy"})
    expect(counter.locator("dl.facts")).to_contain_text("Đã trả kết quả")


def test_late_dossier_gets_an_apology_with_a_new_date(browser, live_server, shots):
    province = build_province()
    dossier = province.processing(now=timezone.now() - timedelta(days=10))  # 3 working days allowed

    leader = sign_in(browser, live_server.url, "leader")
    leader.get_by_role("link", name=re.compile("Quá hạn")).click()
    expect(leader).to_have_url(re.compile(r"list=qua-han"))
    expect(leader.locator("tr.late")).to_contain_text(dossier.code)
    if shots:
        leader.screenshot(path=str(shots / "work-list-overdue.png"), full_page=True)
    no_serious_violations(leader, "work list")
    leader.get_by_role("link", name=dossier.code).click()
    alert = leader.locator("section.alert")
    expect(alert).to_contain_text("Hồ sơ đã quá hạn")
    if shots:
        leader.screenshot(path=str(shots / "dossier-overdue.png"), full_page=True)

    new_day = working_moment_later(10).strftime("%d/%m/%Y")  # a working day: the new date must be one
    alert.get_by_label("Ngày hẹn mới (dd/mm/yyyy)").fill(new_day)
    alert.get_by_label("Giờ hẹn mới (HH:MM)").fill("16:00")
    alert.get_by_label("Lý do chậm trễ").fill("Cần xác minh thêm thông tin với cơ quan khác")
    alert.get_by_role("button", name="Xin lỗi và hẹn lại ngày trả kết quả").click()

    link = leader.get_by_role("link", name="Tải phiếu xin lỗi (PDF)").first
    expect(link).to_be_visible()
    text = pdf_text(leader, live_server.url + link.get_attribute("href"))
    assert dossier.code in text and "Nguyễn Văn An" in text and new_day in text
