"""In a real browser (#16): a verified father registers his son's birth online. His details come pre-filled
from the population database, the child's and the mother's are typed, a child born in the future is refused
next to the field, nothing is uploaded; the officer finds the dossier by the child's name and reads the
answers on the dossier page, and the declaration PDF carries them."""

import pytest
from playwright.sync_api import expect

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.eforms.models import DossierDeclaration
from tests.browser.a11y import no_serious_violations
from tests.browser.pages import signed_in_page
from tests.eforms.helpers import birth_form, register_father
from tests.factories import build_province
from tests.support.pdfs import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_verified_father_registers_a_birth_online_and_the_officer_reads_it(
    browser, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = build_province()
    Procedure.objects.filter(pk=province.birth.pk).update(
        online_level="full", name="Thủ tục đăng ký khai sinh"
    )
    citizen = province.citizen
    citizen.first_name, citizen.last_name = "An", "Nguyễn Văn"
    citizen.save(update_fields=["first_name", "last_name"])
    register_father()
    birth_form(Procedure.objects.get(pk=province.birth.pk))
    base = live_server.url
    page = signed_in_page(browser, base, citizen)

    page.goto(f"{base}/nop-ho-so/{province.birth.code}/")
    page.get_by_label("Số điện thoại").fill("0912345678")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Nộp hồ sơ tại").select_option(label=province.commune.name)
    page.get_by_role("button", name="Tiếp tục").click()

    # The declarant: his name and number come from his verified account.
    expect(page.get_by_role("heading", level=1)).to_have_text("Người đi khai sinh")
    expect(page.get_by_label("Họ, chữ đệm và tên người đi khai")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Số định danh cá nhân")).to_have_value("040090001234")
    no_serious_violations(page, "declaration: declarant")
    page.get_by_label("Cha", exact=True).check()
    page.get_by_label("Có", exact=True).check()
    page.get_by_role("button", name="Tiếp tục").click()

    # The child, typed; born in the future first: refused next to the field.
    expect(page.get_by_role("heading", level=1)).to_have_text("Người được khai sinh")
    page.get_by_label("Họ, chữ đệm và tên").fill("Nguyễn Minh Khôi")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label("Ngày, tháng, năm sinh").fill("01/01/2099")
    page.get_by_label("Nơi sinh").fill("Bệnh viện Sản Nhi Nghệ An")
    page.get_by_label("Dân tộc").fill("Kinh")
    page.get_by_label("Quốc tịch").fill("Việt Nam")
    page.get_by_label("Quê quán").fill("Nghệ An")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("alert")).to_contain_text("Ngày không được sau hôm nay.")
    expect(page.get_by_label("Ngày, tháng, năm sinh")).to_have_attribute("aria-invalid", "true")
    no_serious_violations(page, "declaration: error")
    page.get_by_label("Ngày, tháng, năm sinh").fill("01/03/2026")
    page.get_by_role("button", name="Tiếp tục").click()

    # The mother, typed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Người mẹ")
    page.get_by_label("Họ, chữ đệm và tên người mẹ").fill("Trần Thị Bình")
    page.get_by_label("Ngày, tháng, năm sinh").fill("03/11/1992")
    page.get_by_label("Dân tộc").fill("Kinh")
    page.get_by_label("Quốc tịch").fill("Việt Nam")
    page.get_by_label("Số định danh cá nhân").fill("040190004321")
    page.get_by_label("Nơi cư trú – xã, phường").select_option(label="Phường Thành Vinh")
    page.get_by_label("Nơi cư trú", exact=True).fill("12 Lê Lợi")
    page.get_by_role("button", name="Tiếp tục").click()

    # The father: pre-filled from the population database; only what it does not hold is typed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Người cha")
    expect(page.get_by_label("Họ, chữ đệm và tên người cha")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Ngày, tháng, năm sinh")).to_have_value("12/05/1990")
    expect(page.get_by_label("Nơi cư trú – xã, phường")).to_have_value("001.00.50.H40")
    page.get_by_label("Dân tộc").fill("Kinh")
    page.get_by_label("Quốc tịch").fill("Việt Nam")
    page.get_by_role("button", name="Tiếp tục").click()

    # Nothing to upload for the declaration: the only upload page left is the optional power of attorney.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Giấy ủy quyền")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Tiếp tục").click()  # fees
    expect(page.get_by_text("Nguyễn Minh Khôi")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("status")).to_contain_text("Đã nộp hồ sơ trực tuyến")
    dossier = Dossier.objects.get()
    assert (
        not dossier.components.filter(files__kind="upload").exclude(procedure_component__position=1).exists()
    )
    assert DossierDeclaration.objects.get(dossier=dossier).answers["child"]["birth_date"] == "2026-03-01"

    # The officer finds it by the child's name (without diacritics) and reads the answers.
    officer = signed_in_page(browser, base, province.counter)
    officer.goto(f"{base}/can-bo/")
    officer.get_by_label("Tìm trong mọi hồ sơ", exact=False).fill("minh khoi")
    officer.keyboard.press("Enter")
    officer.get_by_role("link", name=dossier.code).click()
    expect(officer.get_by_role("heading", name="Tờ khai: Tờ khai đăng ký khai sinh")).to_be_visible()
    expect(officer.get_by_text("Nguyễn Minh Khôi")).to_be_visible()
    expect(officer.get_by_text("01/03/2026")).to_be_visible()

    # The declaration PDF, the declaration component's file, carries the answers.
    with officer.expect_download() as download:
        officer.get_by_role("link", name=f"to-khai-{dossier.code}.pdf").click()
    text = pdf_text(download.value.path().read_bytes())
    assert "Nguyễn Minh Khôi" in text and "01/03/2026" in text and "Trần Thị Bình" in text
