import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.quality import services
from tests.factories import Province, build_province
from tests.quality.scenario import Month, build

MARCH = "?kind=month&month=3&year=2026"


@pytest.fixture(scope="module")
def _march(module_db) -> tuple[Province, Month]:
    p = build_province()
    s = build(p)
    services.rebuild()
    return p, s


# March, built once for the module: its tests read it (what one writes is rolled back after it).
@pytest.fixture
def province(_march, db) -> Province:
    return _march[0]


@pytest.fixture
def scenario(_march, db) -> Month:
    return _march[1]


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
    assert scenario["E1"].code not in page  # the commune's dossier: not in the department's scope
    client.force_login(province.leader)
    page = client.get(f"/chat-luong/tre-han/{MARCH}").content.decode()
    assert scenario["E1"].code in page and scenario["M2"].code in page
    assert scenario["G1"].code not in page and scenario["H2"].code not in page  # paused: never overdue
    assert "Yêu cầu bổ sung sau thời hạn 03 ngày làm việc" in page
    assert page.count(f"{scenario['F3'].code}</a>") == 1  # the one request made after 3 working days


def test_public_page_has_figures_and_no_personal_data(client, province, scenario):
    page = client.get("/chat-luong/cong-khai/").content.decode()
    assert client.get("/chat-luong/cong-khai/").status_code == 200
    assert scenario["E1"].code not in page and "Nguyễn Văn An" not in page


def test_statistics_page_prints_the_hand_computed_figures(client, province, scenario):
    client.force_login(province.admin)
    page = client.get("/chat-luong/thong-ke/" + MARCH).content.decode()
    # (early 13 + on time 7) / settled 28 = 71,43 %; online 3 / received 38 = 7,89 %
    assert "71,4 %" in page and "7,9 %" in page and "3,33" in page  # 692,5 h / 26 results / 8 h
    assert "71.4" not in page and "71,43" not in page
    assert "01/04/2026 00:00" in page  # the moment open dossiers were judged at: the end of March


def test_exports_carry_the_page_numbers(client, province, scenario):
    client.force_login(province.admin)
    book = load_workbook(io.BytesIO(client.get("/chat-luong/thong-ke/xuat.xlsx" + MARCH).content))
    rows = list(book.active.iter_rows(values_only=True))
    header, total = rows[5], rows[-1]
    figures = dict(zip(header, total, strict=True))
    assert figures["Tồn kỳ trước chuyển sang"] == 2
    assert figures["Tổng tiếp nhận"] == 38
    assert (figures["Tiếp nhận trực tuyến"], figures["Tiếp nhận qua bưu chính"]) == (3, 2)
    assert (figures["Đã giải quyết trước hạn"], figures["Đã giải quyết đúng hạn"]) == (13, 7)
    assert figures["Đã giải quyết trễ hạn"] == 8
    assert figures["Trong đó từ chối giải quyết"] == 2
    assert (figures["Đang giải quyết trong hạn"], figures["Đang giải quyết quá hạn"]) == (3, 4)
    assert figures["Tạm dừng tính thời hạn (chờ bổ sung, nghĩa vụ tài chính)"] == 3
    assert figures["Rút hồ sơ"] == 2
    assert figures["Không được tiếp nhận"] == 3
    assert figures["Tỷ lệ đúng hạn (trước hạn + đúng hạn) / đã giải quyết (%)"] == 71.4
    assert figures["Tỷ lệ trực tuyến / tổng tiếp nhận (%)"] == 7.9
    # 692,5 working hours over 26 results = 3,329 working days
    average = "Thời gian giải quyết bình quân (ngày làm việc, trừ thời gian tạm dừng) / hồ sơ có kết quả"
    assert figures[average] == 3.33
    pdf = client.get("/chat-luong/thong-ke/xuat.pdf" + MARCH)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Tổng cộng" in text and "71,4" in text and "7,9" in text and "3,33" in text
    assert "71.4" not in text
    assert client.get("/chat-luong/thong-ke/xuat.doc" + MARCH).status_code == 404


def test_the_766_page_shows_the_rule_behind_each_figure(client, province, scenario):
    client.force_login(province.admin)
    page = client.get("/chat-luong/" + MARCH).content.decode()
    assert "65,8 %" in page  # 2.1: 25 / 38
    assert "13,16" in page  # its score: 20 × 25 / 38
    assert "4,39" in page  # 6.3: 6 × (25 / 38) / 0,9
    assert "Rút hồ sơ sau tiếp nhận" in page  # the withdrawal setting in force
