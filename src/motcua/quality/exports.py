"""The statistics report as XLSX (openpyxl) and PDF (reportlab, DejaVu fonts): the page's numbers."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import numbers
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
        (_("Tạm dừng tính thời hạn (chờ bổ sung, nghĩa vụ tài chính)"), "paused"),
        (_("Rút hồ sơ"), "withdrawn"),
        (_("Không được tiếp nhận"), "not_accepted"),
        (_("Tỷ lệ đúng hạn (trước hạn + đúng hạn) / đã giải quyết (%)"), "on_time_rate"),
        (_("Tỷ lệ trực tuyến / tổng tiếp nhận (%)"), "online_rate"),
        (
            _("Thời gian giải quyết bình quân (ngày làm việc, trừ thời gian tạm dừng) / hồ sơ có kết quả"),
            "average_days",
        ),
    ]


DIGITS = {"average_days": 2}  # rates: 1 decimal (of a percentage)


def cell(row: Figures, attribute: str) -> int | float | None:
    """The value of a column, rounded half up as the page shows it (a number for the spreadsheet)."""
    value = getattr(row, attribute)
    if value is None or not isinstance(value, float):
        return value
    if attribute.endswith("_rate"):
        return float(numbers.rounded(value * 100, 1))
    return float(numbers.rounded(value, DIGITS.get(attribute, 2)))


def text(row: Figures, attribute: str) -> str:
    """The value of a column as printed: decimal comma, rounded half up."""
    value = getattr(row, attribute)
    if value is None:
        return ""
    if attribute.endswith("_rate"):
        return numbers.percent(value).removesuffix(" %")
    if isinstance(value, float):
        return numbers.decimal_vi(value, DIGITS.get(attribute, 2))
    return str(value)


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
        for c, (_h, a) in zip(sheet[sheet.max_row][1:], columns(), strict=True):
            if isinstance(c.value, float):
                c.number_format = "0." + "0" * DIGITS.get(a, 1)
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
    header = [Paragraph(_("Thủ tục"), small), *[Paragraph(escape(h), small) for h, _a in columns()]]
    data = [header]
    for row in [*rows, total]:
        label = row.label if row is not total else _("Tổng cộng")
        data.append([Paragraph(escape(label), small), *[text(row, a) for _h, a in columns()]])
    table = Table(data, colWidths=[50 * mm] + [13 * mm] * len(columns()), repeatRows=1)
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
        Paragraph(
            escape(f"{unit.name} — {period.label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"), body
        ),
        Spacer(1, 4 * mm),
        table,
    ]
    doc.build(story)
    return out.getvalue()
