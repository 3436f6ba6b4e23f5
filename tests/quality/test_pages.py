import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.quality import services
from tests.quality.scenario import build

MARCH = "?kind=month&month=3&year=2026"


@pytest.fixture
def scenario(province):
    s = build(province)
    services.rebuild()
    return s


@pytest.mark.parametrize("url", ["/chat-luong/", "/chat-luong/thong-ke/", "/chat-luong/tre-han/"])
def test_officer_pages_render(client, province, scenario, url):
    client.force_login(province.admin)
    response = client.get(url + MARCH)
    assert response.status_code == 200
    assert "01/03/2026" in response.content.decode()


def test_dashboard_shows_formulas_and_missing_data(client, province, scenario):
    client.force_login(province.leader)
    page = client.get("/chat-luong/" + MARCH).content.decode()
    assert "chưa có dữ liệu" in page
    assert "R × điểm tối đa / T" in page
    assert "<svg" in page


def test_anonymous_and_citizens_are_kept_out(client, province, scenario):
    assert client.get("/chat-luong/").status_code == 302
    client.force_login(province.citizen)
    assert client.get("/chat-luong/thong-ke/").status_code == 403


def test_a_unit_leader_sees_only_their_subtree(client, province, scenario):
    client.force_login(province.justice_leader)
    page = client.get(f"/chat-luong/tre-han/{MARCH}&unit={province.commune.pk}").content.decode()
    assert province.justice.name in page
    assert scenario.apology.code not in page  # the commune's dossier: not in the department's scope
    client.force_login(province.leader)
    page = client.get(f"/chat-luong/tre-han/{MARCH}").content.decode()
    assert scenario.apology.code in page


def test_public_page_has_figures_and_no_personal_data(client, province, scenario):
    page = client.get("/chat-luong/cong-khai/").content.decode()
    assert client.get("/chat-luong/cong-khai/").status_code == 200
    assert scenario.apology.code not in page and "Nguyễn Văn An" not in page


def test_exports_carry_the_page_numbers(client, province, scenario):
    client.force_login(province.admin)
    book = load_workbook(io.BytesIO(client.get("/chat-luong/thong-ke/xuat.xlsx" + MARCH).content))
    rows = list(book.active.iter_rows(values_only=True))
    header, total = rows[5], rows[-1]
    figures = dict(zip(header, total, strict=True))
    assert figures["Tồn kỳ trước chuyển sang"] == 1
    assert figures["Tổng tiếp nhận"] == 5
    assert figures["Đã giải quyết trễ hạn"] == 1
    assert figures["Rút hồ sơ"] == 1
    assert figures["Tỷ lệ đúng hạn (trước hạn + đúng hạn) / đã giải quyết"] == 75.0
    pdf = client.get("/chat-luong/thong-ke/xuat.pdf" + MARCH)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Tổng cộng" in text and "75.0" in text
    assert client.get("/chat-luong/thong-ke/xuat.doc" + MARCH).status_code == 404
