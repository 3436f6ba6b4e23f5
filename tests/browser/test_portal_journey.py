"""A citizen's journey through the portal in a real browser; an anonymous visitor tracks a dossier.

Officers' acts happen through `dossiers.services` in the test (the back office has its own journey test).
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.catalog.models import Procedure
from motcua.core import identity
from motcua.core.models import User
from motcua.documents.services import attach_files, store_upload
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.payments.models import Payment
from motcua.quality.models import Rating
from tests.browser.a11y import no_serious_violations
from tests.factories import build_province
from tests.portal.helpers import pdf_upload
from tests.support.pdfs import pdf_file

pytestmark = pytest.mark.django_db(transaction=True)
ID_NUMBER = "040196004321"
PASSWORD = "Sen-vang-2026"


def new_page(browser: Browser) -> Page:
    page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    page.set_default_timeout(10_000)
    return page


def fresh(code: str) -> Dossier:
    return Dossier.objects.get(code=code)


def test_citizen_submits_pays_supplements_downloads_and_rates(browser, live_server, tmp_path):
    province = build_province()
    Procedure.objects.filter(pk=province.birth.pk).update(
        name="Thủ tục đăng ký khai sinh", online_level="full"
    )
    base = live_server.url
    page = new_page(browser)

    # Registers.
    page.goto(f"{base}/tai-khoan/dang-ky/")
    page.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill(ID_NUMBER)
    page.get_by_label("Họ và tên").fill("Lê Thị Mai")
    page.get_by_label("Ngày sinh (công dân, như trên thẻ căn cước)").fill(
        "1996-08-15"
    )  # a date input takes the ISO value
    page.get_by_label("Số điện thoại").fill("0987111222")
    page.get_by_label("Thư điện tử").fill("mai@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("status")).to_contain_text("Đăng ký tài khoản thành công")

    # Finds "khai sinh" without diacritics.
    page.get_by_role("link", name="Dịch vụ công trực tuyến").click()
    page.get_by_label("Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 1 thủ tục")
    no_serious_violations(page, "catalogue")
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký khai sinh")
    no_serious_violations(page, "procedure")
    page.go_back()

    # Submits online, one thing per page, with an upload.
    page.get_by_role("link", name=re.compile("^Nộp hồ sơ trực tuyến")).click()
    expect(page.get_by_label("Họ tên / tên tổ chức")).to_have_value("Lê Thị Mai")
    no_serious_violations(page, "submission: applicant")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Nộp hồ sơ tại").select_option(label="Phường Thành Vinh")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Tệp: Tờ khai").set_input_files(pdf_file(tmp_path / "to-khai.pdf", "To khai"))
    no_serious_violations(page, "submission: component")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Giấy ủy quyền")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phí, lệ phí")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_text("to-khai.pdf")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ trực tuyến")
    code = page.get_by_role("heading", level=1).inner_text().split()[-1]
    dossier = fresh(code)
    assert (dossier.status, dossier.receiving_unit) == (Status.NEW_ONLINE, province.commune)

    # Pays in the sandbox.
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cổng thanh toán thử nghiệm")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Thanh toán thành công")
    expect(page.get_by_text("Đã thanh toán 10.000 đồng")).to_be_visible()
    assert Payment.objects.get().status == "paid"

    # The one-stop section accepts it; the specialist asks for a supplement.
    services.accept(dossier=fresh(code), acting_user=province.counter)
    services.start_processing(dossier=fresh(code), acting_user=province.counter)
    services.request_supplement(
        dossier=fresh(code),
        acting_user=province.specialist,
        missing=["Giấy chứng sinh"],
        reason="Thiếu giấy chứng sinh",
    )

    # Answers the supplement online.
    page.reload()
    expect(page.get_by_role("heading", name="Yêu cầu bổ sung hồ sơ")).to_be_visible()
    page.get_by_label("Giấy chứng sinh", exact=True).set_input_files(
        pdf_file(tmp_path / "chung-sinh.pdf", "Chung sinh")
    )
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi giấy tờ bổ sung")
    assert fresh(code).status == Status.PROCESSING

    # The commune finishes, with an electronic result.
    services.complete_step(dossier=fresh(code), acting_user=province.specialist)
    services.approve(dossier=fresh(code), acting_user=province.leader)
    result = store_upload(uploaded=pdf_upload("trich-luc-khai-sinh.pdf"), acting_user=province.leader)
    attach_files(
        component=fresh(code).components.first(), files=[result], acting_user=province.leader, kind="result"
    )
    services.issue_result(dossier=fresh(code), acting_user=province.leader)
    # The e-result goes to a verified identity only: the counter officer checks her ID card (docs/domain.md).
    identity.verify_at_counter(
        user=User.objects.get(citizen_id=ID_NUMBER), acting_user=province.counter, card_number=ID_NUMBER
    )

    # Downloads the receipt and the result, and rates.
    page.reload()
    with page.expect_download() as receipt:
        page.get_by_role("link", name=re.compile("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")).click()
    assert receipt.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name=re.compile("Kết quả điện tử")).click()
    assert downloaded.value.suggested_filename == "trich-luc-khai-sinh.pdf"
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Thái độ của cán bộ (5 là tốt nhất)").select_option("5")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status").first).to_contain_text("Cảm ơn bạn đã đánh giá")
    assert Rating.objects.get().satisfied is True

    # An anonymous visitor tracks it: a wrong second factor reveals nothing, the ID number does.
    visitor = new_page(browser)
    visitor.goto(f"{base}/tra-cuu/")
    visitor.get_by_label("Mã hồ sơ").fill(code)
    visitor.get_by_label("Số định danh / mã số thuế / số điện thoại").fill("040196009999")
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(visitor.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")
    expect(visitor.get_by_text("Lê Thị Mai")).to_have_count(0)
    no_serious_violations(visitor, "tracking")
    visitor.get_by_label("Số định danh / mã số thuế / số điện thoại").fill(ID_NUMBER)
    visitor.get_by_role("button", name="Tra cứu").click()
    expect(visitor.get_by_text("Đã xử lý xong, chờ trả kết quả")).to_be_visible()
    expect(visitor.get_by_text("Lê Thị Mai")).to_be_visible()
