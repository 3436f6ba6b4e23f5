"""The published tables as a workbook: its column layout, the reader and an empty template to fill in.

Layout (the first sheet; row 1 the headings, in any order, matched without regard to case):

| heading           | content                                                                        |
|-------------------|--------------------------------------------------------------------------------|
| Chỉ số            | PAR Index, SIPAS or PAPI                                                       |
| Năm               | the year the index measures (e.g. 2023 for "PAR Index 2023")                   |
| Mã thành phần     | empty on the index's total row; a component's code (components.COMPONENTS)     |
| Tên thành phần    | optional; the catalogue's name when empty                                      |
| Điểm              | the score (a decimal point or comma); may be empty on the total row            |
| Điểm tối đa       | the maximum (100 for PAR Index and SIPAS, 80 for PAPI, 10 for PAPI dimensions) |
| Xếp hạng          | optional rank                                                                  |
| Số tỉnh xếp hạng  | how many provinces were ranked that year (63 before the 2025 merger, then 34)  |
| Nguồn             | the publication                                                                |
| Đường dẫn nguồn   | its URL                                                                        |
| Mẫu               | "x" when the figure is a sample (no source found)                              |
| Ghi chú           | optional note (total row)                                                      |

Each index and year needs exactly one total row; a component row without a source takes its total row's.
A file with any wrong row is refused whole, with every wrong row named.
"""

import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.standing.components import COMPONENTS, SHORT_NAME, Index
from motcua.standing.inputs import ComponentFigures, Source, StandingFigures, problems

HEADINGS = {
    "index": "Chỉ số",
    "year": "Năm",
    "code": "Mã thành phần",
    "name": "Tên thành phần",
    "score": "Điểm",
    "max_score": "Điểm tối đa",
    "rank": "Xếp hạng",
    "ranked_out_of": "Số tỉnh xếp hạng",
    "source_title": "Nguồn",
    "source_url": "Đường dẫn nguồn",
    "sample": "Mẫu",
    "note": "Ghi chú",
}
REQUIRED = ("index", "year", "code", "score", "max_score")
INDEX_NAMES = {"parindex": Index.PAR_INDEX, "par": Index.PAR_INDEX, "sipas": Index.SIPAS, "papi": Index.PAPI}
MAX_ERRORS = 20

Row = dict[str, Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value: Any) -> Decimal | None:
    text = _text(value).replace(" ", "").replace("%", "")
    if not text:
        return None
    if isinstance(value, str):
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number.quantize(Decimal("0.0001"))


def _integer(value: Any) -> int | None:
    number = _decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(_text(value))
    return int(number)


def _rows(sheet: Any) -> Iterator[tuple[int, Row]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    wanted = {heading.lower(): key for key, heading in HEADINGS.items()}
    columns = {wanted[_text(h).lower()]: i for i, h in enumerate(header) if _text(h).lower() in wanted}
    missing = [HEADINGS[key] for key in REQUIRED if key not in columns]
    if missing:
        raise ValidationFailed(
            _("Tệp thiếu cột: %(columns)s (dòng 1 là dòng tiêu đề). Chưa nhập gì.")
            % {"columns": ", ".join(missing)},
            code="standing_columns",
        )
    for number, cells in enumerate(rows, start=2):
        values = {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
        if any(_text(v) for v in values.values()):
            yield number, values


def _index(value: Any) -> str:
    key = _text(value).lower().replace(" ", "").replace("_", "").replace("-", "")
    if key not in INDEX_NAMES:
        raise ValueError(_text(value))
    return INDEX_NAMES[key]


def _source(values: Row) -> Source:
    sample = _text(values.get("sample")).lower() in ("x", "có", "co", "mẫu", "mau", "1", "true")
    return Source(_text(values.get("source_title")), _text(values.get("source_url")), sample)


def read_workbook(data: bytes) -> list[StandingFigures]:
    """The figures in the workbook, each index and year once; ValidationFailed naming every wrong row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationFailed(
            _("Tệp không phải tệp XLSX đọc được (%(error)s). Chưa nhập gì.") % {"error": exc},
            code="standing_format",
        ) from exc
    errors: list[str] = []
    totals: dict[tuple[str, int], tuple[int, Row]] = {}
    parts: dict[tuple[str, int], list[tuple[int, Row]]] = {}
    try:
        if not book.worksheets:
            raise ValidationFailed(_("Tệp không có trang tính nào. Chưa nhập gì."), code="standing_format")
        for number, values in _rows(book.worksheets[0]):
            try:
                index, year = _index(values.get("index")), _integer(values.get("year"))
            except ValueError as exc:
                errors.append(
                    _("dòng %(row)d: chỉ số hoặc năm không đọc được (“%(value)s”)")
                    % {"row": number, "value": exc}
                )
                continue
            if year is None:
                errors.append(_("dòng %(row)d: thiếu năm") % {"row": number})
                continue
            key = (index, year)
            if _text(values.get("code")):
                parts.setdefault(key, []).append((number, values))
            elif key in totals:
                errors.append(
                    _("dòng %(row)d: dòng tổng của %(index)s %(year)d đã có ở dòng %(first)d")
                    % {"row": number, "index": Index(index).label, "year": year, "first": totals[key][0]}
                )
            else:
                totals[key] = (number, values)
    finally:
        book.close()
    out = []
    for key in sorted(set(totals) | set(parts)):
        if key not in totals:
            first = parts[key][0][0]
            errors.append(
                _("dòng %(row)d: %(index)s %(year)d thiếu dòng tổng (cột “Mã thành phần” để trống)")
                % {"row": first, "index": Index(key[0]).label, "year": key[1]}
            )
            continue
        figures = _figures(key, totals[key], parts.get(key, []), errors)
        if figures is not None:
            out.append(figures)
    if not out and not errors:
        errors.append(_("tệp không có dòng số liệu nào"))
    if errors:
        shown = errors[:MAX_ERRORS] + (
            [_("… và %(n)d lỗi khác") % {"n": len(errors) - MAX_ERRORS}] if len(errors) > MAX_ERRORS else []
        )
        raise ValidationFailed(
            _("Tệp có lỗi, chưa nhập gì: %(errors)s.") % {"errors": "; ".join(shown)}, code="standing_rows"
        )
    return out


def _figures(
    key: tuple[str, int], total: tuple[int, Row], rows: list[tuple[int, Row]], errors: list[str]
) -> StandingFigures | None:
    index, year = key
    number, values = total
    try:
        max_score = _decimal(values.get("max_score"))
        standing = StandingFigures(
            index=index,
            year=year,
            score=_decimal(values.get("score")),
            max_score=max_score if max_score is not None else Decimal(0),
            rank=_integer(values.get("rank")),
            ranked_out_of=_integer(values.get("ranked_out_of")),
            source=_source(values),
            note=_text(values.get("note"))[:500],
        )
    except ValueError as exc:
        errors.append(_("dòng %(row)d: số không đọc được (“%(value)s”)") % {"row": number, "value": exc})
        return None
    components = []
    for row_number, row in rows:
        try:
            score, maximum = _decimal(row.get("score")), _decimal(row.get("max_score"))
            rank = _integer(row.get("rank"))
        except ValueError as exc:
            errors.append(
                _("dòng %(row)d: số không đọc được (“%(value)s”)") % {"row": row_number, "value": exc}
            )
            continue
        if score is None or maximum is None:
            errors.append(_("dòng %(row)d: thành phần thiếu điểm hoặc điểm tối đa") % {"row": row_number})
            continue
        source = _source(row)
        if not (source.sample or source.title or source.url):
            source = standing.source
        components.append(
            ComponentFigures(
                code=_text(row.get("code")),
                name=_text(row.get("name"))[:200],
                score=score,
                max_score=maximum,
                rank=rank,
                source=source,
            )
        )
    standing = StandingFigures(**{**standing.__dict__, "components": tuple(components)})
    wrong = problems(standing)
    for problem in wrong:
        errors.append(
            _("dòng %(row)d (%(index)s %(year)d): %(problem)s")
            % {"row": number, "index": Index(index).label, "year": year, "problem": problem}
        )
    return None if wrong else standing


def template() -> bytes:
    """An empty workbook with the headings, one example total row and the components' codes per index."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Chỉ số"
    sheet.append(list(HEADINGS.values()))
    codes = book.create_sheet("Mã thành phần")
    codes.append(["Chỉ số", "Mã thành phần", "Tên thành phần", "Điểm tối đa"])
    for index, components in COMPONENTS.items():
        for c in components:
            codes.append([SHORT_NAME[index], c.code, str(c.name), float(c.maximum)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
