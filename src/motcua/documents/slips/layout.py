"""Page furniture shared by the legal slips: fonts, styles, the national heading, QR code, tables, dates.

Everything here is presentation; what each form says lives in `forms.py`.
"""

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from motcua.core.formatting import format_date, format_datetime
from motcua.core.models import OrgUnit

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"

A5_PORTRAIT = A5
A5_LANDSCAPE = landscape(A5)
A4_LANDSCAPE = landscape(A4)
MARGIN: float = 12 * mm  # reportlab has no type hints: its units are floats
QR_SIZE = 22 * mm


@cache
def register_fonts() -> None:
    """Register the vendored DejaVu fonts once (they cover Vietnamese); italic falls back to upright."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, alignment=TA_LEFT, spaceAfter=1.5)
    return {
        "body": body,
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "small_center": ParagraphStyle("small_center", parent=body, fontSize=7.5, leading=9.5, alignment=1),
        "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10, alignment=1),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=13.5, alignment=TA_CENTER
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9.5, spaceAfter=0),
        "cell_head": ParagraphStyle(
            "cell_head", parent=body, fontName=FONT_BOLD, fontSize=7.5, leading=9.5, alignment=1
        ),
    }


def esc(value: Any) -> str:
    """Text from the database, safe inside ReportLab's paragraph markup."""
    return escape("" if value is None else str(value))


def para(markup: str, style: str = "body") -> Paragraph:
    return Paragraph(markup, styles()[style])


def text(value: Any, style: str = "body") -> Paragraph:
    return para(esc(value), style)


def field(label: str, value: Any, style: str = "body") -> Paragraph:
    """`Label: value` with the value in bold; an empty value prints a dotted blank to fill by hand."""
    shown = esc(value) if value not in (None, "") else "…………………"
    return para(f"{esc(label)}: <b>{shown}</b>", style)


# --- dates (always local time, Asia/Ho_Chi_Minh) -----------------------------------------------------


def date_dmy(moment: datetime | None) -> str:
    """`02/12/2026`, as every page prints it (`motcua.core.formatting`)."""
    return format_date(moment)


def time_dmy(moment: datetime | None) -> str:
    """`02/12/2026 08:30`, as every page prints it."""
    return format_datetime(moment)


def long_time(moment: datetime | None) -> str:
    """`09 giờ 30 phút, ngày 02/03/2026`, the wording of forms 01 and 04."""
    if moment is None:
        return ""
    local = localtime(moment)
    return _("%(hour)s giờ %(minute)s phút, ngày %(date)s") % {
        "hour": f"{local:%H}",
        "minute": f"{local:%M}",
        "date": format_date(local),
    }


def place_date(unit: OrgUnit, moment: datetime | None) -> str:
    """`Thành Vinh, ngày 02 tháng 03 năm 2026` under the national heading."""
    if moment is None:
        return ""
    local = localtime(moment)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place_name(unit),
        "day": f"{local:%d}",
        "month": f"{local:%m}",
        "year": local.year,
    }


PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def place_name(unit: OrgUnit) -> str:
    """The locality an agency signs from: its commune, else its province, without the prefix."""
    ids = [int(pk) for pk in unit.path.strip("/").split("/") if pk] or [unit.pk]
    chain = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    for pk in reversed(ids):
        candidate = chain.get(pk)
        if candidate is not None and candidate.kind in (OrgUnit.Kind.COMMUNE, OrgUnit.Kind.PROVINCE):
            name = candidate.name
            for prefix in PLACE_PREFIXES:
                if name.startswith(prefix):
                    return name[len(prefix) :]
            return name
    return unit.name


# --- blocks ------------------------------------------------------------------------------------------


def issuing_body(unit: OrgUnit) -> tuple[str, str]:
    """(governing body, issuing body) for the top left of a slip, in capitals, as Decree 30/2020 writes
    them: "UBND PHƯỜNG THÀNH VINH"; "UBND TỈNH NGHỆ AN" over "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH
    NGHỆ AN"; a department's office under its department. A commune's or the province's people's
    committee has no governing body line."""
    if unit.kind in (OrgUnit.Kind.COMMUNE, OrgUnit.Kind.PROVINCE):
        return "", body_name(unit).upper()
    if unit.kind == OrgUnit.Kind.COMMUNE_POLICE:  # under the provincial police, not the commune
        province = _ancestor(unit, OrgUnit.Kind.PROVINCE)
        governing = _("Công an %(province)s") % {"province": province.name} if province else ""
        return governing.upper(), unit.name.upper()
    parent = unit.parent if unit.parent_id else None
    return (body_name(parent).upper() if parent else ""), unit.name.upper()


def _ancestor(unit: OrgUnit, kind: str) -> OrgUnit | None:
    ids = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return OrgUnit.objects.filter(pk__in=ids, kind=kind).first()


def body_name(unit: OrgUnit) -> str:
    """The name a unit signs with: a commune or the province signs as its people's committee."""
    if unit.kind in (OrgUnit.Kind.COMMUNE, OrgUnit.Kind.PROVINCE):
        return _("UBND %(name)s") % {"name": unit.name}
    return unit.name


def heading(*, unit: OrgUnit, form_no: str, dated: str, width: float) -> list[Flowable]:
    """Form number, issuing body (left) and the national heading with place and date (right)."""
    governing, issuer = issuing_body(unit)
    left = [text(governing, "head")] if governing else []
    left.append(para(f"<b>{esc(issuer)}</b>", "head"))
    right = [
        para(esc(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")), "head"),
        para(f"<u>{esc(_('Độc lập - Tự do - Hạnh phúc'))}</u>", "head"),
        Spacer(1, 2),
        text(dated, "small_center"),
    ]
    table = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]))
    return [text(form_no, "right"), table, Spacer(1, 4 * mm)]


def title_with_qr(*, title: str, lines: Sequence[Flowable], url: str, width: float) -> Table:
    """The form's title and first lines, with the QR code of the public tracking page beside them."""
    qr = [qr_image(url), text(_("Tra cứu hồ sơ"), "small_center")]
    table = Table(
        [[[text(title, "title"), Spacer(1, 2), *lines], qr]],
        colWidths=[width - QR_SIZE - 3 * mm, QR_SIZE + 3 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]))
    return table


def qr_image(url: str, size: float = QR_SIZE) -> Image:
    """A QR code rendered by segno to PNG in memory."""
    buffer = BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=size, height=size)


def signatures(*blocks: tuple[str, str], width: float) -> Table:
    """Signature blocks side by side: (title, printed name); the space between is for the signature."""
    if len(blocks) == 1:
        blocks = (("", ""), *blocks)  # a single signer signs on the right half, as on the printed forms
    cells = [
        [
            para(f"<b>{esc(title.upper())}</b>", "center"),
            text(_("(Ký và ghi rõ họ tên)"), "small_center"),
            Spacer(1, 16 * mm),
            para(f"<b>{esc(name)}</b>", "center"),
        ]
        if title
        else []
        for title, name in blocks
    ]
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]))
    return table


def grid(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    """A ruled table; header cells bold, body cells wrapped."""
    data = [[text(cell, "cell_head") for cell in header]]
    data += [[cell if isinstance(cell, Flowable) else text(cell, "cell") for cell in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


_NO_PADDING = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING")]


def content_width(pagesize: tuple[float, float]) -> float:
    return pagesize[0] - 2 * MARGIN


def render(
    story: list[Flowable],
    *,
    pagesize: tuple[float, float],
    title: str,
    subject: str,
    author: str,
    printed_at: datetime,
) -> bytes:
    """Lay out `story` and return the PDF; `printed_at` is the only moment not taken from the dossier."""
    register_fonts()
    buffer = BytesIO()
    printed = _("In lúc %(moment)s") % {"moment": time_dmy(printed_at)}

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        canvas.drawString(MARGIN, MARGIN / 2, printed)
        page = _("Trang %(page)s") % {"page": doc.page}
        canvas.drawRightString(pagesize[0] - MARGIN, MARGIN / 2, page)
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        subject=subject,
        author=author,
        creator="motcua",
        invariant=True,  # no creation date or random id: the same dossier prints the same bytes
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
