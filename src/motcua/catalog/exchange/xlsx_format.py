"""The national procedure list's XLSX layout (see `formats` for the layout and what it is based on)."""

import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.exchange.published import (
    PublishedComponent,
    PublishedProcedure,
    check_codes,
    clean_lines,
    clean_text,
    read_count,
    read_fee,
    read_form,
    read_level,
    read_online_level,
    review_notes,
)
from motcua.catalog.models import ProcedureComponent
from motcua.catalog.time_limits import parse_time_limit
from motcua.core.errors import ValidationFailed
from motcua.core.text import fold

MAIN_SHEET = "Danh sách TTHC"
COMPONENT_SHEET = "Thành phần hồ sơ"
FEE_SHEET = "Phí, lệ phí"
TITLE = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n"
    + "-" * 30
    + "\n\nDANH SÁCH THỦ TỤC HÀNH CHÍNH"
)

# Column key → its heading as exported, then other headings read as the same column.
MAIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã số", "Mã thủ tục", "Mã TTHC"),
    "name": ("Tên", "Tên thủ tục", "Tên TTHC"),
    "issuer": ("Cơ quan ban hành",),
    "agency": ("Cơ quan thực hiện",),
    "field": ("Lĩnh vực",),
    "level": ("Cấp thực hiện",),
    "time_limit": ("Thời hạn giải quyết", "Thời gian", "Thời hạn"),
    "online_level": ("Mức độ trực tuyến", "Mức độ"),
    "legal_basis": ("Căn cứ pháp lý",),
    "result": ("Kết quả thực hiện", "Kết quả xử lý", "Kết quả"),
    "name_en": ("Tên tiếng Anh",),
}
CODE_HEADING = "Mã số"
REQUIRED_MAIN = ("code", "name", "agency", "field")
COMPONENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã số", "Mã thủ tục"),
    "position": ("STT",),
    "name": ("Tên giấy tờ",),
    "form": ("Hình thức",),
    "count": ("Số lượng",),
    "note": ("Ghi chú",),
}
FEE_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã số", "Mã thủ tục"),
    "position": ("STT",),
    "name": ("Tên phí, lệ phí",),
    "channel": ("Hình thức nộp",),
    "amount": ("Mức thu (đồng)", "Mức thu"),
    "note": ("Ghi chú",),
}

Row = dict[str, Any]


def _header_map(cells: tuple[Any, ...], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    folded = [fold(clean_text(cell)) for cell in cells]
    found: dict[str, int] = {}
    for key, headings in columns.items():
        for heading in headings:
            if fold(heading) in folded:
                found[key] = folded.index(fold(heading))
                break
    return found


def _sheet_rows(
    sheet: Any, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> Iterator[tuple[int, Row]]:
    """(row number, {key: value}) of a sheet whose heading row is among its first five rows."""
    rows = sheet.iter_rows(values_only=True)
    header: dict[str, int] = {}
    number = 0
    for number, cells in enumerate(rows, start=1):
        header = _header_map(tuple(cells), columns)
        if "code" in header or number >= 5:
            break
    missing = [columns[key][0] for key in required if key not in header]
    if missing:
        raise ValidationFailed(
            _("Trang “%(sheet)s” thiếu cột: %(columns)s (dòng tiêu đề phải có “%(code)s”).")
            % {"sheet": sheet.title, "columns": ", ".join(missing), "code": CODE_HEADING},
            code="catalogue_columns",
        )
    for row_number, cells in enumerate(rows, start=number + 1):
        values = {key: cells[index] if index < len(cells) else None for key, index in header.items()}
        if any(clean_text(value) for value in values.values()):
            yield row_number, values


def _code(values: Row, sheet: str, number: int) -> str:
    code = clean_text(values.get("code"))
    if not code:
        raise ValidationFailed(
            _("Trang “%(sheet)s”, dòng %(row)s: thiếu mã thủ tục (cột “%(code)s”).")
            % {"sheet": sheet, "row": number, "code": CODE_HEADING},
            code="catalogue_code",
        )
    return code


def read_xlsx(data: bytes) -> list[PublishedProcedure]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationFailed(
            _("Tệp không phải tệp XLSX đọc được (%(error)s).") % {"error": exc}, code="catalogue_format"
        ) from exc
    try:
        main = book[MAIN_SHEET] if MAIN_SHEET in book.sheetnames else book.worksheets[0]
        procedures: dict[str, tuple[int, Row]] = {}
        for number, values in _sheet_rows(main, MAIN_COLUMNS, REQUIRED_MAIN):
            code = _code(values, main.title, number)
            if code in procedures:
                raise ValidationFailed(
                    _("Mã thủ tục %(code)s xuất hiện nhiều lần trong tệp.") % {"code": code},
                    code="catalogue_duplicate_code",
                )
            procedures[code] = (number, values)
        components = _detail_rows(book, COMPONENT_SHEET, COMPONENT_COLUMNS, procedures)
        fees = _detail_rows(book, FEE_SHEET, FEE_COLUMNS, procedures)
    finally:
        book.close()
    present: set[str] = set().union(*(values.keys() for _number, values in procedures.values()))
    result = [
        _xlsx_procedure(code, values, present, components, fees)
        for code, (_number, values) in procedures.items()
    ]
    return check_codes(result)


def _detail_rows(
    book: Any, sheet_name: str, columns: dict[str, tuple[str, ...]], procedures: dict[str, tuple[int, Row]]
) -> dict[str, list[Row]] | None:
    """Rows of a components or fees sheet by code, in their STT order; None when the sheet is absent."""
    if sheet_name not in book.sheetnames:
        return None
    by_code: dict[str, list[Row]] = {code: [] for code in procedures}
    for number, values in _sheet_rows(book[sheet_name], columns, ("code", "name")):
        code = _code(values, sheet_name, number)
        if code not in by_code:
            raise ValidationFailed(
                _("Trang “%(sheet)s”, dòng %(row)s: mã thủ tục %(code)s không có trong danh sách thủ tục.")
                % {"sheet": sheet_name, "row": number, "code": code},
                code="catalogue_code",
            )
        values["row"] = number
        by_code[code].append(values)
    for rows in by_code.values():
        rows.sort(key=lambda row: (_int(row.get("position"), 0), row["row"]))
    return by_code


def _int(value: Any, default: int) -> int:
    try:
        return int(Decimal(clean_text(value)))
    except InvalidOperation:
        return default


def _xlsx_procedure(
    code: str,
    values: Row,
    present: set[str],
    components: dict[str, list[Row]] | None,
    fees: dict[str, list[Row]] | None,
) -> PublishedProcedure:
    level_text = clean_text(values.get("level"))
    level = read_level(level_text)
    online_level = read_online_level(clean_text(values.get("online_level")))
    limit = parse_time_limit(clean_text(values.get("time_limit")))
    provided = {"name", "agency", "field"} | (present & {"time_limit", "legal_basis", "result", "name_en"})
    if level is not None:
        provided.add("level")
    if online_level is not None:
        provided.add("online_level")
    if components is not None:
        provided.add("components")
    if fees is not None:
        provided.add("fees")
    where = _("Thủ tục %(code)s") % {"code": code}
    return PublishedProcedure(
        code=code,
        name=clean_text(values.get("name")),
        field=clean_text(values.get("field")),
        level=level,
        agency="; ".join(clean_lines(values.get("agency"))),
        name_en=clean_text(values.get("name_en")),
        time_limit=limit,
        online_level=online_level,
        legal_basis=clean_lines(values.get("legal_basis")),
        result=clean_text(values.get("result")),
        components=tuple(
            PublishedComponent(
                name=clean_text(row.get("name")),
                form=read_form(clean_text(row.get("form"))) or ProcedureComponent.Form.ORIGINAL,
                count=read_count(row.get("count"), where),
                note=clean_text(row.get("note")),
            )
            for row in (components or {}).get(code, [])
        ),
        fees=tuple(
            read_fee(
                name=row.get("name"),
                amount=row.get("amount"),
                channel=row.get("channel"),
                note=row.get("note"),
                where=where,
            )
            for row in (fees or {}).get(code, [])
        ),
        provided=frozenset(provided),
        review=review_notes(limit if "time_limit" in provided else None, level_text, level),
    )
