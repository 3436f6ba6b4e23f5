"""The tables of "who is late, and why" as XLSX (openpyxl), one sheet per table, the numbers as the pages
show them (hours quantised as `lateness_rules` says, shares in per cent with one decimal)."""

import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import numbers
from motcua.core.models import OrgUnit
from motcua.quality import lateness, lateness_rules
from motcua.quality.periods import Period

Cell = str | int | float | None


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def share(ratio: float | None) -> float | None:
    """A ratio as a percentage with one decimal, rounded half up (as the page prints it)."""
    return None if ratio is None else float(numbers.rounded(ratio * 100, 1))


def hours(value: float) -> float:
    return float(numbers.rounded(value, 1))


def steps_sheet(title: str, table: lateness.Table, *, officials: bool = False, steps: bool = False) -> Sheet:
    headers = [title, *([_("Đơn vị")] if officials else []), *([_("Vị trí")] if steps else [])]
    headers += [
        _("Số bước đã xong"),
        _("Trung vị (giờ làm việc)"),
        _("Phân vị 90 (giờ làm việc)"),
        _("Số bước trễ hạn"),
        _("Tỷ lệ bước trễ hạn (%)"),
        _("Thời gian chậm (giờ làm việc)"),
        _("Tỷ trọng thời gian chậm gây ra (%)"),
    ]
    rows: list[list[Cell]] = []
    for row in [*table.rows, table.total] if table.rows else []:
        label = row.label if row is not table.total else _("Tổng cộng")
        extra: list[Cell] = []
        if officials:
            extra.append(row.unit_label)
        if steps:
            extra.append(row.key[1] if row is not table.total else None)
        rows.append(
            [
                label,
                *extra,
                row.steps,
                row.median,
                row.p90,
                row.late,
                share(row.late_share),
                hours(row.overrun_hours),
                share(row.delay_share),
            ]
        )
    return Sheet(title, headers, rows)


def consultations_sheet(rows: list[lateness.ConsultationRow]) -> Sheet:
    headers = [
        _("Cơ quan được xin ý kiến"),
        _("Số yêu cầu đến hạn trong kỳ"),
        _("Trả lời trễ hạn hoặc quá hạn chưa trả lời"),
        _("Trong đó quá hạn chưa trả lời"),
        _("Tỷ lệ trễ hạn (%)"),
    ]
    data: list[list[Cell]] = [[r.label, r.asked, r.late, r.open_late, share(r.late_share)] for r in rows]
    return Sheet(_("Xin ý kiến"), headers, data)


def candidates_sheet(rows: list[lateness.Candidate]) -> Sheet:
    headers = [
        _("Thủ tục"),
        _("Số hồ sơ có kết quả"),
        _("Trung vị thời gian giải quyết (giờ làm việc)"),
        _("Thời hạn công bố (giờ làm việc)"),
        _("Trung vị / thời hạn (%)"),
    ]
    data: list[list[Cell]] = [
        [c.label, c.results, c.median_hours, hours(float(c.limit_hours or 0)), share(c.share)] for c in rows
    ]
    return Sheet(_("Đề xuất rút ngắn"), headers, data)


def dossiers_sheet(rows: list[lateness.LateStep]) -> Sheet:
    headers = [
        _("Mã hồ sơ"),
        _("Bước"),
        _("Đơn vị"),
        _("Cán bộ"),
        _("Bắt đầu"),
        _("Hạn"),
        _("Hoàn thành"),
        _("Thời gian xử lý (giờ làm việc)"),
        _("Thời gian chậm (giờ làm việc)"),
    ]

    def moment(value: datetime | None) -> str:
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value is not None else ""

    data: list[list[Cell]] = [
        [
            r.dossier_code,
            r.name,
            r.unit,
            r.official,
            moment(r.started_at),
            moment(r.due_at),
            moment(r.finished_at),
            hours(r.spent_hours),
            hours(r.overrun_hours),
        ]
        for r in rows
    ]
    return Sheet(_("Hồ sơ chậm"), headers, data)


def xlsx(*, unit: OrgUnit, period: Period, sheets: list[Sheet]) -> bytes:
    """One sheet per table, written row by row (openpyxl's write-only mode: the province's tables are a
    few thousand rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.column_dimensions["A"].width = 50
        title = WriteOnlyCell(ws, _("AI CHẬM, VÌ SAO: %(table)s") % {"table": sheet.title})
        title.font = Font(bold=True, size=13)
        ws.append([title])
        ws.append([_("Đơn vị"), unit.name])
        ws.append([_("Kỳ báo cáo"), f"{period.label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"])
        ws.append([_("Lập lúc"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
        ws.append([str(lateness_rules.QUANTUM_TEXT)])
        headers = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            headers.append(cell)
        ws.append(headers)
        for row in sheet.rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
