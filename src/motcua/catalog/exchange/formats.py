"""The catalogue as the national procedure database publishes it, read into `PublishedProcedure`.

Two layouts:

- JSON, the shared data's layout (shared/data/procedures.json and its README): a list of objects with
  `code, name_vi, name_en, field_vi, level (commune/province), agency_type_vi, time_limit {amount, unit,
  note}, fees [{name_vi, amount_vnd, note}], components [{name_vi, form, count, note}], online_level,
  legal_basis [..], result_vi, source, notes`. Our export adds an optional `channel` to a fee (else the
  channel is read from the fee's name, `catalog.fees.named_channel`). `online_level` counts only when it is
  one of the catalogue's levels (its code or its label); the shared data's free text ("Có nộp trực tuyến
  (…)") states none, so the file then says nothing about the level.
- XLSX, the list the national database (csdl.thutuchanhchinh.vn / dichvucong.gov.vn) exports: sheet
  "Danh sách TTHC", row 1 a merged title ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM … DANH SÁCH THỦ TỤC HÀNH
  CHÍNH"), row 2 the headings "Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện | Lĩnh vực", one row per
  procedure from row 3. Based on real exports of that list kept in a public repository
  (github:chatbot-tthc/chatbot_tthc, scripts/crawler/danh-sach-tthc-BoTuPhap.xlsx and others, read on
  01/12/2026). That list has only those five columns; the rest of a procedure is on its detail page, whose
  labels the further columns take: "Cấp thực hiện", "Thời hạn giải quyết" (the page's "Thời gian" column,
  text such as "15 Ngày làm việc", read with `catalog.time_limits`), "Mức độ trực tuyến", "Căn cứ pháp lý"
  (one per line), "Kết quả thực hiện", "Tên tiếng Anh"; components and fees, several per procedure, are on
  sheets "Thành phần hồ sơ" and "Phí, lệ phí" keyed by "Mã số". Every column after the five, and both
  sheets, are optional: a field the file does not carry is not compared (`PublishedProcedure.provided`).

Reading changes nothing; a file that cannot be read raises `ValidationFailed` with a message in Vietnamese.
"""

import dataclasses
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.fees import named_channel
from motcua.catalog.models import Fee, Procedure, ProcedureComponent
from motcua.catalog.time_limits import ParsedTimeLimit, parse_time_limit, published_text
from motcua.core.calendar import TimeUnit
from motcua.core.errors import ValidationFailed
from motcua.core.text import fold

MAX_PROCEDURES = 20_000  # a province publishes a few thousand; the whole national list is ~6,000

# The fields a diff compares; a source gives some or all of them (`PublishedProcedure.provided`).
ALL_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "field",
        "level",
        "agency",
        "time_limit",
        "online_level",
        "legal_basis",
        "result",
        "components",
        "fees",
    }
)

# Component forms of the shared data → the catalogue's; "bản chính hoặc bản sao có chứng thực": the
# certified copy is the least the applicant must bring.
JSON_FORMS: dict[str, str] = {
    "original": ProcedureComponent.Form.ORIGINAL,
    "certified_copy": ProcedureComponent.Form.CERTIFIED_COPY,
    "copy": ProcedureComponent.Form.COPY,
    "present": ProcedureComponent.Form.PRESENT,
    "original_or_certified_copy": ProcedureComponent.Form.CERTIFIED_COPY,
}


@dataclass(frozen=True)
class PublishedComponent:
    name: str
    form: str  # ProcedureComponent.Form
    count: int = 1
    note: str = ""


@dataclass(frozen=True)
class PublishedFee:
    name: str
    amount_vnd: int | None  # None: not published (set by the provincial council, varies)
    channel: str = Fee.Channel.ALL
    note: str = ""


@dataclass(frozen=True)
class PublishedProcedure:
    """One procedure as a publication gives it; `provided` names the fields the source carried."""

    code: str
    name: str
    field: str = ""
    level: str | None = None  # Procedure.Level; None when not given or not readable
    agency: str = ""
    name_en: str = ""
    time_limit: ParsedTimeLimit = dataclasses.field(default_factory=lambda: parse_time_limit(""))
    time_limit_note: str = ""
    online_level: str | None = None  # Procedure.OnlineLevel; None when not given or not readable
    legal_basis: tuple[str, ...] = ()
    result: str = ""
    components: tuple[PublishedComponent, ...] = ()
    fees: tuple[PublishedFee, ...] = ()
    source: str = ""
    notes: str = ""
    provided: frozenset[str] = ALL_FIELDS
    review: tuple[str, ...] = ()  # what the reader could not read for sure, for the officer


def read_catalogue(data: bytes, *, filename: str = "") -> list[PublishedProcedure]:
    """The procedures of a file in either layout, recognised by its content (XLSX is a zip archive)."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    if data.lstrip()[:1] in (b"[", b"{"):
        return read_json(data)
    raise ValidationFailed(
        _("Tệp %(name)s không phải tệp XLSX hay JSON danh mục thủ tục hành chính.")
        % {"name": filename or _("đã chọn")},
        code="catalogue_format",
    )


# --- small readers --------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        items = [_text(item) for item in value]
    else:
        items = [_text(line) for line in str(value or "").splitlines()]
    return tuple(item for item in items if item)


def _choice(text: str, choices: Iterable[tuple[str, Any]]) -> str | None:
    """The choice whose code or label is `text` (case and diacritics ignored), or None."""
    wanted = fold(text)
    for value, label in choices:
        if wanted and wanted in (fold(str(value)), fold(str(label))):
            return str(value)
    return None


def read_level(text: str) -> str | None:
    """ "commune", "Cấp xã" → commune; "Cấp tỉnh" → province; anything else (several levels) → None."""
    return _choice(text, Procedure.Level.choices)


def read_online_level(text: str) -> str | None:
    return _choice(text, Procedure.OnlineLevel.choices)


def read_form(text: str) -> str | None:
    return JSON_FORMS.get(text) or _choice(text, ProcedureComponent.Form.choices)


def component_form(name: str, form: str) -> str:
    """A paper the applicant shows ("xuất trình"), not hands in, is `present` whatever its form."""
    shown = "xuat trinh" in fold(name)
    keeps = form in (ProcedureComponent.Form.ORIGINAL, ProcedureComponent.Form.CERTIFIED_COPY)
    return ProcedureComponent.Form.PRESENT if shown and keeps else form


def read_amount_vnd(value: Any, where: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        amount = Decimal(str(value))
    else:
        text = fold(str(value))
        if text in ("mien phi", "0"):
            return 0
        digits = text.replace(".", "").replace(",", "").replace("dong", "").replace("vnd", "").strip()
        try:
            amount = Decimal(digits)
        except InvalidOperation:
            amount = Decimal(-1)
    if amount < 0 or amount != amount.to_integral():
        raise ValidationFailed(
            _("%(where)s: mức thu “%(value)s” không phải số tiền (đồng).") % {"where": where, "value": value},
            code="catalogue_fee",
        )
    return int(amount)


def _review(limit: ParsedTimeLimit | None, level_text: str, level: str | None) -> tuple[str, ...]:
    notes: list[str] = []
    if limit is not None and limit.needs_review:
        notes.append(_("Thời hạn “%(text)s”: %(reason)s") % {"text": limit.text, "reason": limit.reason})
    if level_text and level is None:
        notes.append(_("Cấp thực hiện “%(level)s” không đọc được.") % {"level": level_text})
    return tuple(notes)


def _check_codes(procedures: list[PublishedProcedure]) -> list[PublishedProcedure]:
    if len(procedures) > MAX_PROCEDURES:
        raise ValidationFailed(
            _("Tệp có %(count)s thủ tục, quá giới hạn %(max)s.")
            % {"count": len(procedures), "max": MAX_PROCEDURES},
            code="catalogue_too_large",
        )
    seen: set[str] = set()
    for procedure in procedures:
        if procedure.code in seen:
            raise ValidationFailed(
                _("Mã thủ tục %(code)s xuất hiện nhiều lần trong tệp.") % {"code": procedure.code},
                code="catalogue_duplicate_code",
            )
        seen.add(procedure.code)
    return procedures


# --- JSON -----------------------------------------------------------------------------------------------


def _json_time_limit(value: Any, where: str) -> tuple[ParsedTimeLimit, str]:
    limit = value if isinstance(value, dict) else {}
    note = _text(limit.get("note"))
    amount, unit = limit.get("amount"), limit.get("unit") or ""
    if amount is None:
        return parse_time_limit(""), note
    try:
        decimal = Decimal(str(amount))
        time_unit = TimeUnit(unit)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(
            _("%(where)s: thời hạn %(amount)s %(unit)s không hợp lệ (đơn vị: %(units)s).")
            % {"where": where, "amount": amount, "unit": unit, "units": ", ".join(TimeUnit)},
            code="catalogue_time_limit",
        ) from exc
    text = published_text(decimal, time_unit)
    return ParsedTimeLimit(text=text, amount=decimal, unit=time_unit), note


def _json_procedure(item: Any, index: int) -> PublishedProcedure:
    where = _("Thủ tục thứ %(n)s") % {"n": index}
    if not isinstance(item, dict):
        raise ValidationFailed(
            _("%(where)s không phải một đối tượng JSON.") % {"where": where}, code="catalogue_format"
        )
    code = _text(item.get("code"))
    if not code:
        raise ValidationFailed(
            _("%(where)s thiếu mã thủ tục (code).") % {"where": where}, code="catalogue_code"
        )
    where = _("Thủ tục %(code)s") % {"code": code}
    name = _text(item.get("name_vi"))
    if not name:
        raise ValidationFailed(_("%(where)s thiếu tên (name_vi).") % {"where": where}, code="catalogue_name")
    limit, note = _json_time_limit(item.get("time_limit"), where)
    level_text = _text(item.get("level"))
    level = read_level(level_text)
    online_level = read_online_level(_text(item.get("online_level")))
    components = tuple(
        PublishedComponent(
            name=_text(c.get("name_vi")),
            form=component_form(_text(c.get("name_vi")), read_form(_text(c.get("form"))) or "original"),
            count=int(c.get("count") or 1),
            note=_text(c.get("note")),
        )
        for c in item.get("components") or []
        if isinstance(c, dict)
    )
    fees = tuple(
        PublishedFee(
            name=_text(f.get("name_vi")),
            amount_vnd=read_amount_vnd(f.get("amount_vnd"), where),
            channel=_choice(_text(f.get("channel")), Fee.Channel.choices)
            or named_channel(_text(f.get("name_vi")))
            or Fee.Channel.ALL,
            note=_text(f.get("note")),
        )
        for f in item.get("fees") or []
        if isinstance(f, dict)
    )
    unread = {"online_level"} if online_level is None else set()
    provided = ALL_FIELDS - unread - ({"level"} if level is None else set())
    return PublishedProcedure(
        code=code,
        name=name,
        name_en=_text(item.get("name_en")),
        field=_text(item.get("field_vi")),
        level=level,
        agency=_text(item.get("agency_type_vi")),
        time_limit=limit,
        time_limit_note=note,
        online_level=online_level,
        legal_basis=_lines(item.get("legal_basis")),
        result=_text(item.get("result_vi")),
        components=components,
        fees=fees,
        source=_text(item.get("source")),
        notes=str(item.get("notes") or "").strip(),
        provided=frozenset(provided),
        review=_review(limit if "time_limit" in provided else None, level_text, level),
    )


def read_json(data: bytes) -> list[PublishedProcedure]:
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            _("Tệp JSON không đọc được: %(error)s.") % {"error": exc}, code="catalogue_format"
        ) from exc
    if isinstance(items, dict) and isinstance(items.get("procedures"), list):
        items = items["procedures"]
    if not isinstance(items, list):
        raise ValidationFailed(
            _("Tệp JSON phải là một danh sách thủ tục (như shared/data/procedures.json)."),
            code="catalogue_format",
        )
    return _check_codes([_json_procedure(item, index) for index, item in enumerate(items, start=1)])


# --- XLSX -----------------------------------------------------------------------------------------------

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
    folded = [fold(_text(cell)) for cell in cells]
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
            _("Trang “%(sheet)s” thiếu cột: %(columns)s (dòng tiêu đề phải có “Mã số”).")
            % {"sheet": sheet.title, "columns": ", ".join(missing)},
            code="catalogue_columns",
        )
    for row_number, cells in enumerate(rows, start=number + 1):
        values = {key: cells[index] if index < len(cells) else None for key, index in header.items()}
        if any(_text(value) for value in values.values()):
            yield row_number, values


def _code(values: Row, sheet: str, number: int) -> str:
    code = _text(values.get("code"))
    if not code:
        raise ValidationFailed(
            _("Trang “%(sheet)s”, dòng %(row)s: thiếu mã thủ tục (cột “Mã số”).")
            % {"sheet": sheet, "row": number},
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
    return _check_codes(result)


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
        return int(Decimal(_text(value)))
    except InvalidOperation:
        return default


def _xlsx_procedure(
    code: str,
    values: Row,
    present: set[str],
    components: dict[str, list[Row]] | None,
    fees: dict[str, list[Row]] | None,
) -> PublishedProcedure:
    level_text = _text(values.get("level"))
    level = read_level(level_text)
    online_level = read_online_level(_text(values.get("online_level")))
    limit = parse_time_limit(_text(values.get("time_limit")))
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
        name=_text(values.get("name")),
        field=_text(values.get("field")),
        level=level,
        agency="; ".join(_lines(values.get("agency"))),
        name_en=_text(values.get("name_en")),
        time_limit=limit,
        online_level=online_level,
        legal_basis=_lines(values.get("legal_basis")),
        result=_text(values.get("result")),
        components=tuple(
            PublishedComponent(
                name=_text(row.get("name")),
                form=read_form(_text(row.get("form"))) or ProcedureComponent.Form.ORIGINAL,
                count=_int(row.get("count"), 1),
                note=_text(row.get("note")),
            )
            for row in (components or {}).get(code, [])
        ),
        fees=tuple(
            PublishedFee(
                name=_text(row.get("name")),
                amount_vnd=read_amount_vnd(row.get("amount"), where),
                channel=_choice(_text(row.get("channel")), Fee.Channel.choices)
                or named_channel(_text(row.get("name")))
                or Fee.Channel.ALL,
                note=_text(row.get("note")),
            )
            for row in (fees or {}).get(code, [])
        ),
        provided=frozenset(provided),
        review=_review(limit if "time_limit" in provided else None, level_text, level),
    )
