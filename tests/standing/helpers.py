"""Workbooks written in the tests, in the layout of `standing.xlsx`."""

import io

from openpyxl import Workbook

from motcua.standing.xlsx import HEADINGS

H = list(HEADINGS.values())


def workbook(rows: list[dict[str, object]], headings: list[str] = H) -> bytes:
    """A workbook whose first sheet has `headings` in row 1 and one row per dict (keys: headings)."""
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(h) for h in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PAPI_2023 = [
    {
        "Chỉ số": "PAPI",
        "Năm": 2023,
        "Điểm": 42.8474,
        "Điểm tối đa": 80,
        "Xếp hạng": 25,
        "Số tỉnh xếp hạng": 63,
        "Nguồn": "Sở Nội vụ Nghệ An",
        "Đường dẫn nguồn": "https://noivu.nghean.gov.vn/papi-2023",
    },
    {"Chỉ số": "PAPI", "Năm": 2023, "Mã thành phần": "tthc_cong", "Điểm": "7,0761", "Điểm tối đa": 10},
    {"Chỉ số": "PAPI", "Năm": 2023, "Mã thành phần": "dien_tu", "Điểm": 2.9799, "Điểm tối đa": 10},
]
PAR_2023 = [
    {
        "Chỉ số": "PAR Index",
        "Năm": 2023,
        "Điểm tối đa": 100,
        "Xếp hạng": 15,
        "Số tỉnh xếp hạng": 63,
        "Mẫu": "x",
    },
    {"Chỉ số": "PAR Index", "Năm": 2023, "Mã thành phần": "tthc", "Điểm": 11.3, "Điểm tối đa": 12.5},
]
