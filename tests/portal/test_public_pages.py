"""Public pages speak to citizens (#13 item 7): no internal data notes, no API/admin links for citizens,
Vietnamese error pages when DEBUG is off, Vietnamese password messages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views import defaults

from motcua.catalog.models import Fee
from motcua.catalog.notes import citizen_note
from tests.factories import make_procedure
from tests.portal.test_accounts import GOOD

API_LINK = 'href="/api/docs/"'
ADMIN_LINK = 'href="/admin/"'


@pytest.fixture
def production(settings) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def test_missing_page_is_the_vietnamese_404(client, db, production):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert 'lang="vi"' in page
    assert "Not Found" not in page


def test_missing_page_in_english_when_chosen(client, db, production, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_is_vietnamese(rf, db, production):
    request = rf.get("/can-bo/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_server_error_page_is_vietnamese_without_the_database(rf, production):
    # No `db` fixture: pytest-django refuses any query, so the page must render without the database.
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống gặp sự cố" in page
    assert "Server Error" not in page


def test_header_links_to_api_and_admin_only_for_officers(client, province):
    anonymous = client.get(reverse("catalog:home")).content.decode()
    assert API_LINK not in anonymous and ADMIN_LINK not in anonymous

    client.force_login(province.citizen)
    citizen = client.get(reverse("catalog:home")).content.decode()
    assert API_LINK not in citizen and ADMIN_LINK not in citizen

    client.force_login(province.counter)
    officer = client.get(reverse("catalog:home")).content.decode()
    assert API_LINK in officer and ADMIN_LINK in officer


def test_data_notes_are_for_officers_only(client, province):
    procedure = make_procedure(
        "9.900001",
        level="commune",
        amount="3",
        time_limit_note="CSDL hiển thị '3' (không kèm đơn vị); đơn vị là suy luận",
        notes="Quyết định công bố: 163/QĐ-BTP. Nguồn: (bản crawl: github:x/y, commit 1)",
        source_url="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/1",
    )
    Fee.objects.filter(procedure=procedure).update(
        note="145 USD/thẻ (thu bằng USD; không quy đổi VND trong nguồn)"
    )
    procedure.components.filter(position=1).update(note="CSDL ghi '1 bản chính, 1 bản sao'")
    url = reverse("catalog:procedure_detail", args=[procedure.code])

    for viewer in (None, province.citizen):
        if viewer:
            client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "CSDL" not in page and "bản crawl" not in page and "suy luận" not in page
        assert "trong nguồn" not in page and "145 USD/thẻ" in page
        assert "Quyết định công bố: 163/QĐ-BTP." in page
        assert "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/1" in page

    client.force_login(province.counter)
    officer = client.get(url).content.decode()
    assert "CSDL hiển thị" in officer and "bản crawl" in officer and "trong nguồn" in officer


@pytest.mark.parametrize(
    ("note", "for_citizen"),
    [
        ("CSDL ghi 'Miễn phí' cho cả 3 hình thức nộp", ""),
        (
            "CSDL ghi 'Miễn phí'; mức cụ thể do HĐND cấp tỉnh quyết định; miễn cho hộ nghèo",
            "Mức cụ thể do HĐND cấp tỉnh quyết định; miễn cho hộ nghèo",
        ),
        (
            "700.000 đồng/cơ sở (CSDL hiển thị '700 VNĐ' – lỗi hiển thị; mô tả ghi 700.000 đồng)",
            "700.000 đồng/cơ sở",
        ),
        ("2.000 đồng/trang; tối đa 200.000 đồng/bản", "2.000 đồng/trang; tối đa 200.000 đồng/bản"),
        (
            "Quyết định công bố: 163/QĐ-BTP. Trường 'Cơ quan thực hiện' trong CSDL ghi 'Không có thông tin'; "
            "cấp thực hiện: Cấp xã.",
            "Quyết định công bố: 163/QĐ-BTP. Cấp thực hiện: Cấp xã.",
        ),
        ("Chụp ảnh trực tiếp khi chưa có trong CSDL.", "Chụp ảnh trực tiếp khi chưa có trong CSDL."),
        ("CSDL: Trực tuyến 17, Trực tiếp 27 ngày (giá trị 20 chọn làm đại diện; xem chi tiết)", ""),
    ],
)
def test_citizen_note_keeps_what_the_citizen_needs(note, for_citizen):
    assert citizen_note(note) == for_citizen


def test_weak_password_on_registration_is_refused_in_vietnamese(client, db):
    data = GOOD | {"password": "Hk7-", "password2": "Hk7-"}
    response = client.post(reverse("portal:register"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page
    assert "too short" not in page
