"""In a real browser (#13 item 5): Back after submitting an application shows the dossier, not an empty
last step, and leaves no empty draft; a payment given up on the provider's page can be paid again."""

import pytest
from playwright.sync_api import expect

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.payments.models import Payment
from motcua.portal.models import Draft
from tests.browser.pages import signed_in_page
from tests.factories import build_province
from tests.support.pdfs import pdf_file

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_after_submitting_then_paying_again_after_giving_up(browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = build_province()
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    base = live_server.url
    page = signed_in_page(browser, base, province.citizen)

    page.goto(f"{base}/nop-ho-so/{province.birth.code}/")
    page.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill("040090001234")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Nộp hồ sơ tại").select_option(label=province.commune.name)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Tệp: Tờ khai").set_input_files(pdf_file(tmp_path / "to-khai.pdf"))
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phí, lệ phí")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_text("to-khai.pdf")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ trực tuyến")
    code = Dossier.objects.get().code
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)

    # Back: the dossier just submitted, not an empty last step; no empty draft appears.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.get_by_role("status")).to_contain_text("đã được nộp")
    expect(page.get_by_text("Bước 6/6")).to_have_count(0)
    assert not Draft.objects.exists() and Dossier.objects.count() == 1

    # Opens the provider's page, gives up (back to the dossier without paying), then pays again.
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cổng thanh toán thử nghiệm")
    page.get_by_role("link", name="Quay lại trang hồ sơ (không thanh toán)").click()
    expect(page.get_by_text("Bạn có thể thanh toán lại")).to_be_visible()
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Thanh toán thành công")
    expect(page.get_by_text("Đã thanh toán 10.000 đồng")).to_be_visible()
    paid, given_up = Payment.objects.order_by("-pk")
    assert (paid.status, given_up.status, given_up.superseded_by) == ("paid", "cancelled", paid)
    expect(page.get_by_role("button", name="Thanh toán trực tuyến")).to_have_count(0)
