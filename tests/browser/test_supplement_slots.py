"""The applicant answers a supplement request in a real browser: one slot per requested item, all sent at
once; a slot left empty refuses the answer and nothing changes (#13 item 4)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.documents.models import ComponentFile
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from tests.factories import build_province
from tests.support.pdfs import pdf_file

pytestmark = pytest.mark.django_db(transaction=True)
FREE = ["Giấy xác nhận cư trú", "Bản sao giấy đăng ký kết hôn"]


def signed_in_citizen(browser: Browser, base: str) -> Page:
    page = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Số định danh cá nhân / mã số thuế").fill("citizen")
    page.get_by_label("Mật khẩu").fill("pw-citizen")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return page


def test_citizen_answers_every_requested_item_at_once(browser, live_server, tmp_path):
    province = build_province()
    d = services.submit_online(intake=province.intake(), acting_user=province.citizen)
    d = services.accept(dossier=d, acting_user=province.counter)
    d = services.start_processing(dossier=d, acting_user=province.counter)
    services.request_supplement(
        dossier=d,
        acting_user=province.specialist,
        missing=["Tờ khai", *FREE],
        reason="Hồ sơ còn thiếu giấy tờ",
    )
    page = signed_in_citizen(browser, live_server.url)
    page.goto(f"{live_server.url}/ho-so-cua-toi/{d.code}/")
    expect(page.get_by_role("heading", name="Yêu cầu bổ sung hồ sơ")).to_be_visible()
    names = ["Tờ khai", *FREE]
    files = {name: pdf_file(tmp_path / f"giay-to-{i}.pdf", name) for i, name in enumerate(names)}

    # One slot left empty: refused, the dossier still waits, nothing attached.
    page.get_by_label(names[0], exact=True).set_input_files(files[names[0]])
    page.get_by_label(names[2], exact=True).set_input_files(files[names[2]])
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.get_by_role("alert")).to_contain_text("mỗi giấy tờ được yêu cầu bổ sung cần có tệp")
    expect(page.get_by_role("alert")).to_contain_text(FREE[0])
    assert Dossier.objects.get(pk=d.pk).status == Status.SUPPLEMENT_REQUESTED
    assert not ComponentFile.objects.exists()

    # Every slot filled, one submission.
    for name in names:
        page.get_by_label(name, exact=True).set_input_files(files[name])
    page.get_by_role("group", name="Giấy tờ 2/3").get_by_label("Ghi chú").fill("Xác nhận của công an phường")
    page.get_by_role("button", name="Gửi bổ sung").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi giấy tờ bổ sung")
    assert Dossier.objects.get(pk=d.pk).status == Status.PROCESSING
    attached = ComponentFile.objects.filter(dossier_component__dossier=d).select_related("dossier_component")
    assert sorted(link.dossier_component.name for link in attached) == sorted(names)
