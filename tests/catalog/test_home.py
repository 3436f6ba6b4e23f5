"""The public catalogue: home page, procedure page, search, language."""

import pytest
from django.urls import reverse

from motcua.catalog.models import Fee, Procedure

pytestmark = pytest.mark.django_db


def test_home_lists_published_procedures_by_level(client, province):
    Procedure.objects.filter(code="1.005136").update(name="Cấp Giấy xác nhận có quốc tịch Việt Nam")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thủ tục 1.001193" in html
    assert "Cấp Giấy xác nhận có quốc tịch Việt Nam" in html
    assert html.index("Cấp tỉnh") < html.index("Cấp xã")
    assert "3 ngày làm việc" in html
    assert 'href="/thu-tuc/1.001193/"' in html
    assert 'href="/api/docs/"' not in html and 'href="/admin/"' not in html  # officers only (#13 item 7)
    assert "10.000 đồng" in html


def test_unpublished_procedures_are_not_listed(client, province):
    Procedure.objects.filter(code="1.001193").update(is_published=False)
    assert "Thủ tục 1.001193" not in client.get("/").content.decode()
    assert client.get("/thu-tuc/1.001193/").status_code == 404


def test_procedure_page_shows_components_fees_and_steps(client, province):
    response = client.get(reverse("catalog:procedure_detail", args=["1.013978"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tờ khai" in html and "Giấy ủy quyền (nếu có)" in html
    assert "Bản chính" in html and "Theo trường hợp" in html
    assert "Sở thẩm định" in html and "Sở Tư pháp" in html
    assert "UBND xã tiếp nhận hồ sơ" in html
    assert "10.000 đồng" in html


def test_null_fee_and_demo_time_limit_are_never_shown_as_real_values(client, province):
    procedure = province.birth
    Fee.objects.filter(procedure=procedure).update(amount_vnd=None)
    Procedure.objects.filter(pk=procedure.pk).update(
        time_limit_amount=4, time_limit_unit="working_hours", time_limit_is_demo_choice=True
    )
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Chưa công bố" in html
    assert "4 giờ làm việc (dữ liệu mẫu)" in html


def test_unknown_code_is_404(client, province):
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_search_filters_by_name_or_code(client, province):
    Procedure.objects.filter(code="1.005136").update(name="Đăng ký quốc tịch")
    html = client.get("/", {"q": "1.0139"}).content.decode()
    assert "Thủ tục 1.013978" in html and "Thủ tục 1.001193" not in html
    html = client.get("/", {"q": "đăng KÝ"}).content.decode()  # case-insensitive beyond ASCII
    assert "Đăng ký quốc tịch" in html and "Thủ tục 1.001193" not in html
    html = client.get("/", {"q": "không có"}).content.decode()
    assert "Không có thủ tục nào phù hợp." in html


def test_pages_are_vietnamese_first_and_follow_the_chosen_language(client, province, settings):
    assert '<html lang="vi">' in client.get("/").content.decode()
    # A browser sending English (common in Vietnam) still gets Vietnamese until the person chooses.
    assert '<html lang="vi">' in client.get("/", headers={"accept-language": "en-US"}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get("/thu-tuc/1.001193/").content.decode()


def test_language_switcher_posts_to_set_language(client, province):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


# The demo catalogue (tests/catalog/conftest.py `demo`), loaded once for the tests below, which read it.
# It stays until the module ends: the tests that use it come last (it has the factories' unit codes).
def test_demo_catalogue_pages_render(client, demo):
    html = client.get("/").content.decode()
    assert "Thủ tục đăng ký khai sinh" in html
    assert "4 giờ làm việc (dữ liệu mẫu)" in html
    assert "15 ngày" in html
    for code in Procedure.objects.values_list("code", flat=True):
        assert client.get(f"/thu-tuc/{code}/").status_code == 200
    html = client.get("/thu-tuc/1.003460/").content.decode()
    assert "Chưa công bố" in html and "145 USD" in html


def test_quantri_configures_procedures_in_the_admin(client, demo):
    assert client.login(username="quantri", password="motcua-demo")
    assert client.get("/admin/catalog/procedure/", {"q": "khai sinh"}).status_code == 200
    procedure = Procedure.objects.get(code="1.013978")
    html = client.get(f"/admin/catalog/procedure/{procedure.pk}/change/").content.decode()
    assert "Văn phòng ĐKĐĐ thẩm định" in html  # the process template inline
