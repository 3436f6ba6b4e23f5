"""The report period picker (#13 item 13): one kind at a time, today's month or quarter by default, and a
wrong period refused with its reason instead of being corrected silently."""

import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.core.models import OrgUnit
from motcua.quality.periods import choose_period, quarter_of
from tests.factories import make_unit

DECEMBER = date(2026, 12, 15)
PAGES = ["/chat-luong/", "/chat-luong/thong-ke/", "/chat-luong/tre-han/", "/chat-luong/thong-ke/xuat.xlsx"]


def test_in_december_the_default_quarter_is_the_fourth():
    picker = choose_period({"kind": "quarter"}, DECEMBER)
    assert (picker.quarter, picker.period.start, picker.period.end) == (
        "4",
        date(2026, 10, 1),
        date(2026, 12, 31),
    )
    assert choose_period({}, DECEMBER).period.label == "Tháng 12/2026"


def test_the_picker_shows_the_fourth_quarter_selected_in_december():
    html = render_to_string(
        "quality/_filters.html",
        {"picker": choose_period({"kind": "quarter"}, DECEMBER), "quarters": ["1", "2", "3", "4"]},
    )
    assert '<option value="4" selected>' in html
    assert '<option value="1" selected>' not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "custom", "from": "31/03/2026", "to": "01/03/2026"}, "“Từ ngày” sau “Đến ngày”"),
        (
            {"kind": "custom", "from": "01/03/2026", "to": "16/12/2026"},
            "“Đến ngày” sau ngày hôm nay (15/12/2026)",
        ),
        ({"kind": "custom", "from": "32/03/2026", "to": "01/04/2026"}, "“Từ ngày” không phải ngày hợp lệ"),
        ({"kind": "custom", "from": "2026-03-01", "to": "01/04/2026"}, "“Từ ngày” không phải ngày hợp lệ"),
        ({"kind": "custom", "from": "01/03/2026"}, "Nhập “Đến ngày”"),
        ({"kind": "month", "month": "13", "year": "2026"}, "Tháng phải là số từ 1 đến 12"),
        ({"kind": "quarter", "quarter": "0"}, "Quý phải là số từ 1 đến 4"),
        ({"kind": "year", "year": "20x6"}, "Năm phải là số từ 2000 đến 2026"),
        ({"kind": "year", "year": "2027"}, "Năm phải là số từ 2000 đến 2026"),
        ({"kind": "week"}, "Loại kỳ báo cáo không hợp lệ"),
    ],
)
def test_a_wrong_period_is_refused_with_its_reason(params, message):
    picker = choose_period(params, DECEMBER)
    assert picker.period is None
    assert any(message in str(e) for e in picker.errors), picker.errors


def test_a_month_that_has_not_begun_is_refused_but_the_current_one_is_not():
    assert choose_period({"kind": "month", "month": "12", "year": "2026"}, DECEMBER).period is not None
    later = choose_period({"kind": "month", "month": "4", "year": "2026"}, date(2026, 3, 31))
    assert later.period is None and "chưa bắt đầu" in later.errors[0]


def test_only_the_chosen_kind_is_read():
    picker = choose_period(
        {"kind": "month", "month": "3", "year": "2026", "from": "rác", "to": "x"}, DECEMBER
    )
    assert picker.errors == [] and picker.period.start == date(2026, 3, 1)


@pytest.mark.parametrize("page", PAGES)
def test_reversed_dates_show_the_error_and_no_figures(client, province, page):
    client.force_login(province.admin)
    response = client.get(page, {"kind": "custom", "from": "31/03/2026", "to": "01/03/2026"})
    html = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "“Từ ngày” sau “Đến ngày”" in html and 'role="alert"' in html
    assert 'value="31/03/2026"' in html  # what was typed is shown back to be corrected
    for figure in ("Tổng cộng", "Tóm tắt", "Hồ sơ giải quyết trễ hạn trong kỳ", "01/03/2026 – 31/03/2026"):
        assert figure not in html


def test_a_date_after_today_is_refused_on_the_page(client, province):
    client.force_login(province.admin)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.get(
        "/chat-luong/thong-ke/", {"kind": "custom", "from": "01/01/2026", "to": f"{tomorrow:%d/%m/%Y}"}
    )
    assert response.status_code == 400 and "sau ngày hôm nay" in response.content.decode()


def test_bookmarked_queries_still_work(client, province):
    client.force_login(province.admin)
    for query in ("?kind=month&month=3&year=2026", "?kind=custom&from=01/03/2026&to=31/03/2026&by=unit"):
        response = client.get("/chat-luong/thong-ke/" + query)
        assert response.status_code == 200 and "01/03/2026" in response.content.decode()
    export = client.get("/chat-luong/thong-ke/xuat.xlsx?kind=quarter&quarter=1&year=2026")
    assert export.status_code == 200 and "thong-ke-20260101-20260331" in export["Content-Disposition"]


def test_without_a_query_the_page_opens_on_this_month_with_only_its_controls(client, province):
    client.force_login(province.admin)
    today = timezone.localdate()
    html = client.get("/chat-luong/").content.decode()
    assert f'<option value="{today.month}" selected>' in html
    assert f'<option value="{quarter_of(today)}" selected>' in html  # ready when the quarter kind is chosen
    assert '<div data-kinds="month">' in html  # shown
    assert '<div data-kinds="quarter" hidden>' in html and '<div data-kinds="custom" hidden>' in html


def test_units_to_report_on_come_as_a_tree_in_vietnamese_order(client, province):
    make_unit("003.00.50.H40", "Xã Bạch Ngọc", OrgUnit.Kind.COMMUNE, province.province)
    make_unit("000.02.12.H40", "Phòng Hộ tịch", OrgUnit.Kind.SUB_UNIT, province.justice)
    make_unit("000.01.12.H40", "Phòng Bổ trợ tư pháp", OrgUnit.Kind.SUB_UNIT, province.justice)
    client.force_login(province.admin)
    html = client.get("/chat-luong/").content.decode()
    start = html.index('<select name="unit"')
    names = re.findall(
        r"<option value=\"\d+\"[^>]*>([^<]*)</option>", html[start : html.index("</select>", start)]
    )
    assert names == [
        "Tỉnh Nghệ An",
        "Trung tâm PVHCC tỉnh",
        "Sở Tư pháp",
        "Phòng Bổ trợ tư pháp",
        "Phòng Hộ tịch",
        "Xã Bạch Ngọc",
        "Xã Hưng Nguyên",
        "Phường Thành Vinh",
    ]
    assert 'data-filter="Gõ để lọc theo tên đơn vị"' in html
