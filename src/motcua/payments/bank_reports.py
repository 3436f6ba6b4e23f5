"""The accountant's daily reconciliation: the bank's credit lines booked on a day, counted and listed by
category, and the same as an XLSX workbook (openpyxl). Money in integer đồng, dates dd/mm/yyyy."""

import io
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from motcua.core.formatting import format_date
from motcua.payments.models import BankLine, BankStatement

Category = BankLine.Category


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    lines: int
    amount_vnd: int


@dataclass(frozen=True)
class ReconciliationDay:
    day: date
    totals: list[CategoryTotal]
    lines: list[BankLine]
    statements: list[BankStatement]

    @property
    def count(self) -> int:
        return sum(total.lines for total in self.totals)

    @property
    def amount_vnd(self) -> int:
        return sum(total.amount_vnd for total in self.totals)

    def by_category(self) -> list[tuple[CategoryTotal, list[BankLine]]]:
        return [(t, [line for line in self.lines if line.category == t.category]) for t in self.totals]


def reconciliation_day(day: date) -> ReconciliationDay:
    """The lines booked on `day` (the bank's booking date), every category shown even when empty."""
    lines = list(
        BankLine.objects.filter(booked_on=day)
        .select_related("dossier", "payment", "statement")
        .order_by("category", "pk")
    )
    sums: dict[str, tuple[int, int]] = {
        row["category"]: (row["lines"], int(row["amount"] or 0))
        for row in BankLine.objects.filter(booked_on=day)
        .values("category")
        .annotate(lines=Count("pk"), amount=Sum("amount_vnd"))
    }
    totals = [
        CategoryTotal(
            category=category.value,
            label=str(category.label),
            lines=sums.get(category.value, (0, 0))[0],
            amount_vnd=sums.get(category.value, (0, 0))[1],
        )
        for category in Category
    ]
    statement_ids = {line.statement_id for line in lines}
    statements = list(BankStatement.objects.filter(pk__in=statement_ids).order_by("imported_at"))
    return ReconciliationDay(day=day, totals=totals, lines=lines, statements=statements)


def latest_booking_day() -> date | None:
    return BankLine.objects.order_by("-booked_on").values_list("booked_on", flat=True).first()


def reconciliation_xlsx(report: ReconciliationDay) -> bytes:
    """Two sheets: the counts and amounts by category, then every line."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Tổng hợp"))
    summary.append([_("Đối soát thu hộ ngày %(day)s") % {"day": format_date(report.day)}])
    summary.append([_("Kết quả đối soát"), _("Số dòng"), _("Số tiền (đồng)")])
    for total in report.totals:
        summary.append([total.label, total.lines, total.amount_vnd])
    summary.append([_("Tổng cộng"), report.count, report.amount_vnd])
    sheet = workbook.create_sheet(_("Chi tiết"))
    sheet.append(
        [
            _("Ngày hạch toán"),
            _("Số tham chiếu"),
            _("Số tiền (đồng)"),
            _("Nội dung chuyển khoản"),
            _("Người nộp"),
            _("Kết quả đối soát"),
            _("Mã hồ sơ"),
            _("Số tiền phải nộp (đồng)"),
            _("Ghi chú"),
        ]
    )
    for line in report.lines:
        sheet.append(
            [
                format_date(line.booked_on),
                line.bank_ref,
                line.amount_vnd,
                line.remittance,
                line.payer,
                str(Category(line.category).label),
                line.dossier.code if line.dossier else "",
                line.expected_vnd,
                line.note,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
