"""The consolidated report of a directive's period as XLSX (openpyxl) and DOCX (python-docx): the same
figures and tables as the dashboard page (`selectors.consolidate`)."""

import io

from django.utils.translation import gettext as _

from motcua.core.formatting import format_date, format_datetime
from motcua.directives.selectors import Consolidation, Slot, Totals

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def summary(t: Totals) -> list[tuple[str, int | float | None]]:
    return [
        (_("Lượt báo cáo phải gửi (đơn vị × nhiệm vụ)"), t.assigned),
        (_("Đã gửi"), t.reported),
        (_("Gửi đúng hạn"), t.on_time),
        (_("Gửi trễ hạn"), t.late),
        (_("Chưa gửi, đã quá hạn"), t.missing),
        (_("Chưa đến hạn"), t.pending),
        (_("Chờ xem xét"), t.awaiting_review),
        (_("Đã trả lại, chờ gửi lại"), t.returned),
        (_("Đã chấp nhận"), t.accepted),
        (_("Nhiệm vụ đã hoàn thành (báo cáo được chấp nhận)"), t.completed),
        (_("Tỷ lệ hoàn thành (%)"), t.completion_percent),
    ]


def slot_headers() -> list[str]:
    return [
        _("Nhiệm vụ"),
        _("Đơn vị"),
        _("Hạn gửi"),
        _("Gửi lần đầu"),
        _("Đánh giá"),
        _("Trạng thái"),
        _("Tiến độ"),
    ]


def slot_cells(s: Slot) -> list[str]:
    report = s.report
    return [
        f"{s.assignment.task.position}. {s.assignment.task.title}",
        s.assignment.unit.name,
        format_date(s.period.due_on),
        format_datetime(report.first_submitted_at) if report else "",
        s.standing_label,
        str(report.get_status_display()) if report else "",
        str(report.get_progress_display()) if report else "",
    ]


def title(c: Consolidation) -> str:
    return _("Tổng hợp báo cáo thực hiện Chỉ thị %(number)s — %(period)s") % {
        "number": c.directive.number,
        "period": c.key.label,
    }


def judged(c: Consolidation) -> str:
    return _("Số liệu tính đến %(at)s.") % {"at": format_datetime(c.judged_at)}


def xlsx(c: Consolidation) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Tổng hợp")
    sheet.append([title(c)])
    sheet.append([c.directive.title])
    sheet.append([judged(c)])
    sheet.append([])
    for label, value in summary(c.totals):
        sheet.append([label, value])
    sheet.append([])
    sheet.append(
        [_("Nhiệm vụ"), _("Phải báo cáo"), _("Đã gửi"), _("Trễ hạn"), _("Chưa gửi"), _("Hoàn thành")]
    )
    for line in c.tasks:
        t = line.totals
        sheet.append(
            [f"{line.position}. {line.title}", t.assigned, t.reported, t.late, t.missing, t.completed]
        )
    units = book.create_sheet(_("Theo đơn vị"))
    units.append(slot_headers())
    for s in c.slots:
        units.append(slot_cells(s))
    sheet.column_dimensions["A"].width = 60
    for column, width in zip("ABCDEFG", (50, 40, 12, 18, 22, 26, 18), strict=True):
        units.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(c: Consolidation) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title(c), level=1)
    document.add_paragraph(c.directive.title)
    document.add_paragraph(judged(c))
    document.add_heading(_("Tổng hợp chung"), level=2)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in summary(c.totals):
        row = table.add_row().cells
        row[0].text = label
        row[1].text = "" if value is None else str(value).replace(".", ",")
    document.add_heading(_("Theo nhiệm vụ"), level=2)
    heads = [_("Nhiệm vụ"), _("Phải báo cáo"), _("Đã gửi"), _("Trễ hạn"), _("Chưa gửi"), _("Hoàn thành")]
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
    for line in c.tasks:
        t = line.totals
        texts = [
            f"{line.position}. {line.title}",
            *map(str, (t.assigned, t.reported, t.late, t.missing, t.completed)),
        ]
        for cell, text in zip(table.add_row().cells, texts, strict=True):
            cell.text = text
    for heading, slots in (
        (_("Đơn vị gửi trễ hạn"), c.late),
        (_("Đơn vị chưa gửi, đã quá hạn"), c.missing),
    ):
        document.add_heading(heading, level=2)
        if not slots:
            document.add_paragraph(_("Không có."))
        for s in slots:
            document.add_paragraph(
                f"{s.assignment.unit.name} — {_('nhiệm vụ')} {s.assignment.task.position}",
                style="List Bullet",
            )
    document.add_heading(_("Chi tiết theo đơn vị"), level=2)
    heads = slot_headers()
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
    for s in c.slots:
        for cell, text in zip(table.add_row().cells, slot_cells(s), strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
