"""Who is late, and why (#17): the figures of `tests/quality/lateness_scenario.py`, worked out by hand."""

import io

import pytest
from openpyxl import load_workbook

from motcua.quality import lateness, services
from motcua.quality.periods import custom, month, year
from motcua.quality.selectors import Scope
from tests.factories import Province, local
from tests.quality.lateness_scenario import LAND, Land, build

MARCH = "?kind=month&month=3&year=2026"


@pytest.fixture(scope="module")
def _land(module_db) -> tuple[Province, Land]:
    from tests.factories import build_province

    p = build_province()
    land = build(p)
    services.rebuild()
    return p, land


@pytest.fixture
def land(_land, db) -> Land:
    return _land[1]


def figures(row: lateness.Row) -> tuple:
    return (
        row.steps,
        row.median,
        row.p90,
        row.late,
        round(row.overrun_hours, 2),
        _pct(row.late_share),
        _pct(row.delay_share),
    )


def _pct(ratio: float | None) -> float | None:
    return None if ratio is None else round(ratio * 100, 1)


@pytest.mark.parametrize(
    "period", [month(2026, 3), year(2026), custom(local(2026, 3, 2).date(), local(2026, 3, 31).date())]
)
def test_per_unit_the_slow_tax_department_caused_most_of_the_delay(land, period):
    table = lateness.by_unit(scope=Scope.of(land.p.province), period=period)
    rows = {r.label: figures(r) for r in table.rows}
    # steps, median, p90, late, overrun h, % late, % of the delay (of 33.5 h)
    assert rows == {
        "Cục Thuế tỉnh": (3, 24, 32, 2, 24.0, 66.7, 71.6),  # [20, 24, 32]
        "Sở Tư pháp": (6, 2, 16, 1, 8.0, 16.7, 23.9),  # [1, 1, 2, 2, 7, 16]
        "Trung tâm PVHCC tỉnh": (4, 1, 12, 1, 1.5, 25.0, 4.5),  # transfers [1, 1, 1, 12]
        "Phường Thành Vinh": (3, 8, 8, 0, 0.0, 0.0, 0.0),
    }
    # the largest overrun first
    assert [r.label for r in table.rows] == [
        "Cục Thuế tỉnh",
        "Sở Tư pháp",
        "Trung tâm PVHCC tỉnh",
        "Phường Thành Vinh",
    ]
    # 16 steps: 1 1 1 1 1 2 2 7 8 8 8 12 16 20 24 32 → 8th is 7, 15th is 24
    assert figures(table.total) == (16, 7, 24, 4, 33.5, 25.0, 100.0)


def test_per_step_of_the_procedure_each_parallel_step_judged_on_its_own(land):
    table = lateness.by_step(scope=Scope.of(land.p.province), period=month(2026, 3), code=LAND)
    rows = [(r.key[1], r.label, *figures(r)) for r in table.rows]
    assert rows == [
        (0, "Chuyển hồ sơ đến cơ quan giải quyết", 4, 1, 12, 1, 1.5, 25.0, 4.5),
        (1, "Sở thẩm định", 3, 7, 16, 1, 8.0, 33.3, 23.9),  # [2, 7, 16]
        (2, "Xã xác minh", 3, 8, 8, 0, 0.0, 0.0, 0.0),
        (3, "Thuế xác định nghĩa vụ", 3, 24, 32, 2, 24.0, 66.7, 71.6),
        (4, "Lãnh đạo Sở phê duyệt", 3, 1, 2, 0, 0.0, 0.0, 0.0),  # [1, 1, 2]
    ]


def test_per_official_the_one_who_finished_the_step(land):
    table = lateness.by_official(scope=Scope.of(land.p.province), period=month(2026, 3))
    rows = {(r.label, r.unit_label): figures(r)[:4] for r in table.rows}
    assert rows == {
        ("Chuyên viên Thuế", "Cục Thuế tỉnh"): (3, 24, 32, 2),
        ("justice_specialist", "Sở Tư pháp"): (3, 7, 16, 1),
        ("center_counter", "Trung tâm PVHCC tỉnh"): (4, 1, 12, 1),
        ("specialist", "Phường Thành Vinh"): (3, 8, 8, 0),
        ("justice_leader", "Sở Tư pháp"): (3, 1, 2, 0),
    }


def test_consultations_answered_late_per_consulted_unit(land):
    rows = lateness.consultations(scope=Scope.of(land.p.province), period=month(2026, 3))
    # tax: D2's answered a day late, D4's unanswered past its deadline (Wed 25/03) at the end of March
    assert [(r.label, r.asked, r.late, r.open_late, _pct(r.late_share)) for r in rows] == [
        ("Cục Thuế tỉnh", 2, 2, 1, 100.0),
        ("Phường Thành Vinh", 1, 0, 0, 0.0),
    ]
    # Before D4's deadline, its consultation is not late yet.
    early = lateness.consultations(
        scope=Scope.of(land.p.province), period=custom(local(2026, 3, 1).date(), local(2026, 3, 24).date())
    )
    assert [(r.label, r.asked, r.late) for r in early] == [
        ("Cục Thuế tỉnh", 1, 1),
        ("Phường Thành Vinh", 1, 0),
    ]


def test_drill_down_from_the_province_to_the_dossier_that_caused_the_delay(client, land):
    p = land.p
    client.force_login(p.admin)
    page = client.get("/chat-luong/ai-cham/" + MARCH).content.decode()
    assert f"?unit={land.tax.pk}&amp;kind=month" in page
    assert f"/chat-luong/ai-cham/thu-tuc/{LAND}/" in page
    assert "71,6 %" in page
    unit_page = client.get(f"/chat-luong/ai-cham/{MARCH}&unit={land.tax.pk}").content.decode()
    assert "Sở Tư pháp" not in unit_page.split("Theo đơn vị xử lý")[1].split("Theo thủ tục")[0]
    steps = client.get(f"/chat-luong/ai-cham/thu-tuc/{LAND}/{MARCH}&unit={land.tax.pk}").content.decode()
    assert f"/chat-luong/ai-cham/thu-tuc/{LAND}/buoc/3/" in steps
    assert "Sở thẩm định" not in steps  # the tax department's subtree only
    response = client.get(f"/chat-luong/ai-cham/thu-tuc/{LAND}/buoc/3/{MARCH}&unit={land.tax.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    d1, d2 = land.dossiers["D1"].code, land.dossiers["D2"].code
    # D2 overran by 16 h, D1 by 8 h: the largest first, each linked to its back-office page
    assert html.index(f'href="/can-bo/ho-so/{d2}/"') < html.index(f'href="/can-bo/ho-so/{d1}/"')
    assert land.dossiers["D3"].code not in html  # on time at the tax step


def test_xlsx_exports_the_tables(client, land):
    client.force_login(land.p.admin)
    response = client.get("/chat-luong/ai-cham/xuat.xlsx" + MARCH)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Đơn vị", "Thủ tục", "Cán bộ", "Xin ý kiến", "Đề xuất rút ngắn"]
    units = [list(r) for r in book["Đơn vị"].iter_rows(min_row=7, values_only=True)]
    assert units[0] == ["Cục Thuế tỉnh", 3, 24, 32, 2, 66.7, 24.0, 71.6]
    assert units[-1] == ["Tổng cộng", 16, 7, 24, 4, 25.0, 33.5, 100.0]
    response = client.get(f"/chat-luong/ai-cham/thu-tuc/{LAND}/buoc/3/xuat.xlsx" + MARCH)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=7, values_only=True))
    assert [(r[0], r[2], r[-1]) for r in rows] == [
        (land.dossiers["D2"].code, "Cục Thuế tỉnh", 16.0),
        (land.dossiers["D1"].code, "Cục Thuế tỉnh", 8.0),
    ]


def test_another_units_officer_cannot_see(client, land):
    p = land.p
    client.force_login(p.other_counter)  # an officer of another commune
    page = client.get(f"/chat-luong/ai-cham/{MARCH}&unit={land.tax.pk}").content.decode()
    assert "Cục Thuế tỉnh" not in page and "Không có bước nào hoàn thành trong kỳ." in page
    step = client.get(f"/chat-luong/ai-cham/thu-tuc/{LAND}/buoc/3/{MARCH}&unit={land.tax.pk}")
    assert land.dossiers["D2"].code not in step.content.decode()
    exported = client.get(f"/chat-luong/ai-cham/xuat.xlsx{MARCH}&unit={land.tax.pk}")
    sheet = load_workbook(io.BytesIO(exported.content))["Đơn vị"]
    assert [r[0] for r in sheet.iter_rows(min_row=7, values_only=True)] == []
    client.force_login(p.citizen)
    assert client.get("/chat-luong/ai-cham/" + MARCH).status_code == 403


def test_a_wrong_period_is_refused_with_the_reason(client, land):
    client.force_login(land.p.admin)
    response = client.get("/chat-luong/ai-cham/?kind=month&month=13&year=2026")
    assert response.status_code == 400
    assert "Tháng phải là số từ 1 đến 12." in response.content.decode()
