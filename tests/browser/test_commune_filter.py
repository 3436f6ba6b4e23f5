"""Type to filter the communes of the online application (#13 item 3), without diacritics."""

import pytest
from playwright.sync_api import expect

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit
from motcua.portal.models import Draft
from tests.factories import build_province, make_unit

pytestmark = pytest.mark.django_db(transaction=True)
NAMES = ["Xã Bình Minh", "Phường Bích Hào", "Xã Bạch Ngọc", "Xã Đông Sơn", "Xã Diễn Châu", "Xã Ân Phú"]


def test_typing_narrows_the_communes_and_picks_the_only_match(browser, live_server):
    province = build_province()
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    units = {
        n: make_unit(f"{i:03d}.00.50.H40", n, OrgUnit.Kind.COMMUNE, province.province)
        for i, n in enumerate(NAMES, 10)
    }
    applicant = {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "id_number": "040090001234",
        "phone": "0912345678",
    }
    Draft.objects.create(user=province.citizen, procedure=province.birth, data={"applicant": applicant})

    page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Số định danh cá nhân / mã số thuế").fill("citizen")
    page.get_by_label("Mật khẩu").fill("pw-citizen")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.goto(f"{live_server.url}/nop-ho-so/{province.birth.code}/noi-nop/")

    select = page.get_by_role("combobox", name="Nộp hồ sơ tại")
    expect(select.locator("option")).to_have_count(9)  # the prompt and 8 communes
    page.get_by_label("Gõ để lọc theo tên xã, phường").fill("binh m")
    expect(select.locator("option")).to_have_text(["— Chọn nơi tiếp nhận —", "Xã Bình Minh"])
    expect(select).to_have_value(str(units["Xã Bình Minh"].pk))
    expect(page.get_by_role("status").filter(has_text="nơi phù hợp")).to_have_text("1 nơi phù hợp")

    page.get_by_label("Gõ để lọc theo tên xã, phường").fill("B")
    expect(select.locator("option")).to_have_text(
        ["— Chọn nơi tiếp nhận —", "Xã Bạch Ngọc", "Phường Bích Hào", "Xã Bình Minh"]  # still in order
    )
    expect(select).to_have_value(str(units["Xã Bình Minh"].pk))  # the choice still matches: kept
    page.get_by_label("Gõ để lọc theo tên xã, phường").fill("")
    expect(select.locator("option")).to_have_count(9)
