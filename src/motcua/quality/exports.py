"""The statistics report as XLSX (openpyxl) and PDF (reportlab, DejaVu fonts): the page's numbers."""

import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.models import OrgUnit
from motcua.quality.periods import Period
from motcua.quality.selectors import Figures

FONTS = Path(__file__).resolve().parent.parent / "documents" / "fonts"


def columns() -> list[tuple[str, str]]:
    """(header, attribute) of the report, in order; rates say their denominator in the header."""
    return [
        (_("Tồn kỳ trước chuyển sang"), "carried"),
        (_("Tiếp nhận trực tuyến"), "received_online"),
        (_("Tiếp nhận trực tiếp"), "received_counter"),
        (_("Tiếp nhận qua bưu chính"), "received_post"),
        (_("Tổng tiếp nhận"), "received"),
        (_("Đã giải quyết trước hạn"), "early"),
        (_("Đã giải quyết đúng hạn"), "on_time"),
        (_("Đã giải quyết trễ hạn"), "late"),
        (_("Trong đó từ chối giải quyết"), "refused"),
        (_("Đang giải quyết trong hạn"), "in_time"),
        (_("Đang giải quyết quá hạn"), "overdue"),
        (_("Rút hồ sơ"), "withdrawn"),
        (_("Tỷ lệ đúng hạn (trước hạn + đúng hạn) / đã giải quyết"), "on_time_rate"),
        (_("Tỷ lệ trực tuyến / tổng tiếp nhận"), "online_rate"),
    ]


def cell(row: Figures, attribute: str):
    value = getattr(row, attribute)
    if attribute.endswith("_rate"):
        return None if value is None else round(value * 100, 2)
    return value


def xlsx(*, unit: OrgUnit, period: Period, rows: list[Figures], total: Figures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Thống kê")
    sheet.append([_("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")])
    sheet.append([_("Đơn vị"), unit.name])
    sheet.append([_("Kỳ báo cáo"), f"{period.label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"])
    sheet.append([_("Lập lúc"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    sheet.append([])
    sheet.append([_("Thủ tục"), *[h for h, _a in columns()]])
    for c in sheet[6]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for row in [*rows, total]:
        label = row.label if row is not total else _("Tổng cộng")
        sheet.append([label, *[cell(row, a) for _h, a in columns()]])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(*, unit: OrgUnit, period: Period, rows: list[Figures], total: Figures) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    title = ParagraphStyle("title", fontName="DejaVuSans-Bold", fontSize=12, leading=15)
    small = ParagraphStyle("small", fontName="DejaVuSans", fontSize=6.5, leading=8)
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=11)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm, topMargin=10 * mm
    )
    header = [Paragraph(_("Thủ tục"), small), *[Paragraph(h, small) for h, _a in columns()]]
    data = [header]
    for row in [*rows, total]:
        label = row.label if row is not total else _("Tổng cộng")
        values = ["" if cell(row, a) is None else str(cell(row, a)) for _h, a in columns()]
        data.append([Paragraph(label, small), *values])
    table = Table(data, colWidths=[70 * mm] + [14.5 * mm] * len(columns()), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "DejaVuSans", 7),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONT", (0, -1), (-1, -1), "DejaVuSans-Bold", 7),
            ]
        )
    )
    story = [
        Paragraph(_("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"), title),
        Paragraph(f"{unit.name} — {period.label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})", body),
        Spacer(1, 4 * mm),
        table,
    ]
    doc.build(story)
    return out.getvalue()
