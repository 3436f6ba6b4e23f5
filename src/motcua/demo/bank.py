"""The demo's bank collection: a Vietcombank statement of the Center's collection account (CSV, as the
bank's export writes it) with one line of each kind — a fee paid exactly, a fee paid short, a transfer
naming no dossier, a fee collected twice — imported and reconciled as the accountant would
(`payments.bank`), so that the reconciliation page (/thanh-toan/doi-soat/) has a day to show."""

from django.utils import timezone

from motcua.core.models import User
from motcua.dossiers.access import fees_outstanding
from motcua.dossiers.models import Dossier
from motcua.payments import bank
from motcua.payments.models import BankStatement
from motcua.payments.services import PAYABLE_STATUSES

HEADINGS = "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả,Tên người chuyển"


def _owing(limit: int) -> list[tuple[Dossier, int]]:
    found = []
    for dossier in (
        Dossier.objects.filter(status__in=PAYABLE_STATUSES).select_related("procedure").order_by("pk")
    ):
        due = fees_outstanding(dossier)
        if due:
            found.append((dossier, due))
        if len(found) == limit:
            break
    return found


def demo_statement() -> bytes:
    """Today's statement for the demo dossiers that still owe a fee (as many lines as there are)."""
    day = timezone.localdate().strftime("%d/%m/%Y")
    stamp = timezone.localdate().strftime("%y%m%d")
    owing = _owing(2)
    rows: list[tuple[int, str, str]] = []  # amount, text, payer
    if owing:
        dossier, due = owing[0]
        rows.append((due, f"NOP PHI LE PHI HO SO {dossier.code}", dossier.applicant_name.upper()))
        rows.append((due, f"NOP LAI PHI HS {dossier.code.replace('.', ' ').replace('-', ' ')}", "NGUOI NOP"))
    if len(owing) > 1:
        dossier, due = owing[1]
        rows.append((max(due // 2, 1000), f"le phi {dossier.code}", dossier.applicant_name.upper()))
    rows.append((50000, "CHUYEN TIEN NOP PHI", "NGUYEN VAN TAM"))
    lines = [
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM - SAO KÊ TÀI KHOẢN",
        "Số tài khoản: 0011001234567 - TRUNG TAM PHUC VU HANH CHINH CONG TINH NGHE AN",
        HEADINGS,
        *(
            f"{i},{day},FT{stamp}{i:05d},,{f'{amount:,}'.replace(',', '.')},{text},{payer}"
            for i, (amount, text, payer) in enumerate(rows, start=1)
        ),
        f"{len(rows) + 1},{day},FT{stamp}{len(rows) + 1:05d},11.000,,PHI QUAN LY TAI KHOAN,",
    ]
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def load_demo_bank_statement(accountant: User) -> int:
    """Import the demo statement once (into a system without one); the lines stored."""
    if BankStatement.objects.exists():
        return 0
    result = bank.import_statement(
        content=demo_statement(), file_name="vietcombank-sao-ke.csv", acting_user=accountant
    )
    return result.new_lines
