"""Bank collection: the fees the bank collects on the Center's behalf ("thu hộ qua Vietcombank"),
imported from its statement and reconciled against the dossiers' fees.

Each credit line names its dossier in the transfer's text (the dossier code, however the bank wrote its dots
and dashes, or the reference of an online payment attempt). Against what the dossier still owes
(`dossiers.access.fees_outstanding`) the line is:
- matched: exactly what is due → a paid `Payment` (provider the bank, reference the bank's) recorded in
  the dossier's history through `dossiers.services.record_payment`, acting as the payment gateway's
  system account: the one guard decides, nothing here writes a dossier;
- unmatched: no dossier named;
- mismatch: another amount than is due (or a fee without a published amount): left to the accountant;
- duplicate: the dossier owes nothing any more (paid online, at the counter or by an earlier line):
  collected twice, the money recorded as a payment to refund;
- not payable: the dossier was withdrawn, refused or returned: recorded as a payment to refund.
A line is identified by the bank's reference: a line already imported (or twice in one file) is not stored
again, so importing the same statement again changes nothing. The whole import is one transaction: a bad
file, or another import of the same lines at the same moment, imports nothing.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import audit
from motcua.core.errors import ConflictError, PermissionDenied
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.dossiers.access import fees_outstanding, fees_published
from motcua.dossiers.models import Dossier
from motcua.payments import bank_formats
from motcua.payments.models import BankLine, BankStatement, Payment
from motcua.payments.services import PAYABLE_STATUSES, record_in_history

Category = BankLine.Category

# Who reconciles the bank's collections: the Center's administrator (core.roles has no accountant role;
# the Center's accounting is done under its administrator's account).
RECONCILING_ROLES = frozenset({Role.CENTER_ADMIN})

# `000.00.12.H40-261201-0001`, also as banks write it: `000 00 12 H40 261201 0001`, `0000012H402612010001`.
DOSSIER_CODE = re.compile(
    r"(?<![0-9A-Za-z])(\d{3})\W?(\d{2})\W?(\d{2})\W?([A-Za-z]\d{2})\W{0,3}(\d{6})\W{0,3}(\d{4})(?!\d)"
)
PAYMENT_REFERENCE = re.compile(r"(?<![0-9A-Za-z])TT\d{6}[0-9A-F]{12}(?![0-9A-Za-z])", re.IGNORECASE)


def bank_name() -> str:
    return str(getattr(settings, "MOTCUA_BANK_COLLECTION_BANK", "vietcombank"))


def may_reconcile(user: User) -> bool:
    return user.is_active and user.role in RECONCILING_ROLES


@dataclass
class ImportResult:
    statement: BankStatement | None  # None: nothing new (the same statement imported again)
    counts: Counter[str] = field(default_factory=Counter)
    repeated: int = 0
    debits: int = 0

    @property
    def new_lines(self) -> int:
        return sum(self.counts.values())


def named_codes(remittance: str) -> list[str]:
    """The dossier codes the transfer's text names, in the form the system writes them."""
    return [
        f"{a}.{b}.{c}.{m.upper()}-{day}-{number}"
        for a, b, c, m, day, number in DOSSIER_CODE.findall(remittance)
    ]


def named_payments(remittance: str) -> list[str]:
    """The online payment references the transfer's text names."""
    return [match.upper() for match in PAYMENT_REFERENCE.findall(remittance)]


def chunks(values: list[str], size: int = 5000) -> list[list[str]]:
    """A long list in parts, each within the databases' limit on a query's parameters."""
    return [values[i : i + size] for i in range(0, len(values), size)]


class DossierFinder:
    """Which dossier each line names (by its code, else by an online payment attempt's reference), read
    for a whole statement in a few queries."""

    def __init__(self, remittances: list[str]) -> None:
        codes = sorted({code for text in remittances for code in named_codes(text)})
        references = sorted({ref for text in remittances for ref in named_payments(text)})
        self.by_code: dict[str, int] = {}
        self.by_payment: dict[str, int] = {}
        for part in chunks(codes):
            self.by_code.update(Dossier.objects.filter(code__in=part).values_list("code", "pk"))
        for part in chunks(references):
            self.by_payment.update(
                Payment.objects.filter(reference__in=part).values_list("reference", "dossier_id")
            )

    def dossier_id(self, remittance: str) -> int | None:
        for code in named_codes(remittance):
            if code in self.by_code:
                return self.by_code[code]
        for reference in named_payments(remittance):
            if reference in self.by_payment:
                return self.by_payment[reference]
        return None


def import_statement(*, content: bytes, file_name: str, acting_user: User) -> ImportResult:
    """Read the statement whole (a bad file: `ValidationFailed`, nothing imported), then store and
    reconcile its new credit lines in one transaction."""
    if not may_reconcile(acting_user):
        raise PermissionDenied(_("Chỉ quản trị Trung tâm được nhập và đối soát sao kê ngân hàng."))
    parsed = bank_formats.parse(content, file_name)
    account = str(getattr(settings, "MOTCUA_BANK_COLLECTION_ACCOUNT", ""))
    if account and parsed.account and parsed.account != account:
        raise bank_formats.bad_file(
            _("Sao kê của tài khoản %(theirs)s, không phải tài khoản thu hộ của Trung tâm (%(ours)s).")
            % {"theirs": parsed.account, "ours": account}
        )
    bank = bank_name()
    credits = [line for line in parsed.lines if line.credit]
    result = ImportResult(statement=None, debits=len(parsed.lines) - len(credits))
    try:
        with transaction.atomic():
            known: set[str] = set()
            for part in chunks(sorted({line.bank_ref for line in credits})):
                known.update(
                    BankLine.objects.filter(bank=bank, bank_ref__in=part)
                    .select_for_update()
                    .values_list("bank_ref", flat=True)
                )
            fresh: list[bank_formats.StatementLine] = []
            for line in credits:
                if line.bank_ref in known:
                    result.repeated += 1
                else:
                    known.add(line.bank_ref)
                    fresh.append(line)
            if not fresh:
                return result
            statement = BankStatement.objects.create(
                bank=bank,
                account=parsed.account[:40],
                statement_id=parsed.statement_id[:60],
                file_name=file_name[:255],
                format=parsed.format,
                imported_by=acting_user,
                repeated_lines=result.repeated,
                debit_lines=result.debits,
            )
            result.statement = statement
            finder = DossierFinder([line.remittance for line in fresh])
            rows = [
                reconcile(statement=statement, line=line, dossier_id=finder.dossier_id(line.remittance))
                for line in sorted(fresh, key=lambda one: (one.booked_on, one.row))
            ]
            BankLine.objects.bulk_create(rows)
            result.counts.update(row.category for row in rows)
    except IntegrityError:
        raise ConflictError(
            _("Sao kê này đang được nhập cùng lúc; vui lòng tải lại trang và kiểm tra kết quả.")
        ) from None
    audit.record(
        "bank_statement_imported",
        user=acting_user,
        statement_id=result.statement.pk if result.statement else None,
        lines=result.new_lines,
        repeated=result.repeated,
    )
    return result


def reconcile(
    *, statement: BankStatement, line: bank_formats.StatementLine, dossier_id: int | None
) -> BankLine:
    """One new credit line in its category, with the payment it records (inside the import's transaction;
    the caller stores the lines)."""
    row = BankLine(
        statement=statement,
        bank=statement.bank,
        bank_ref=line.bank_ref,
        booked_on=line.booked_on,
        amount_vnd=line.amount_vnd,
        remittance=line.remittance,
        payer=line.payer[:255],
    )
    if dossier_id is None:
        row.category = Category.UNMATCHED
        return row
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    row.dossier = dossier
    due = fees_outstanding(dossier)
    row.expected_vnd = due
    if dossier.status not in PAYABLE_STATUSES:
        row.category = Category.NOT_PAYABLE
        row.note = _("Hồ sơ đã rút, bị từ chối hoặc đã trả kết quả; khoản tiền cần hoàn lại.")[:255]
        row.payment = _paid(row, to_refund=row.note)
    elif due == 0 and fees_published(dossier) > 0:
        row.category = Category.DUPLICATE
        row.note = _("Hồ sơ đã nộp đủ phí, lệ phí; khoản thu trùng cần hoàn lại.")[:255]
        row.payment = _paid(row, to_refund=row.note)
    elif due is None or due != line.amount_vnd:
        row.category = Category.MISMATCH
        row.note = (
            _("Phí, lệ phí của thủ tục chưa công bố số tiền; kế toán kiểm tra.")
            if due is None
            else _("Số tiền khác số phí, lệ phí còn phải nộp; kế toán kiểm tra.")
        )[:255]
    else:
        row.category = Category.MATCHED
        row.payment = _paid(row, to_refund="")
        if row.payment.needs_refund:  # the dossier refused it after all (the guard): money to refund
            row.category, row.note = Category.NOT_PAYABLE, row.payment.refund_reason[:255]
    return row


def _paid(row: BankLine, *, to_refund: str) -> Payment:
    """The bank's collection as a paid payment of the dossier: recorded in its history when it may keep
    it, else kept as money to refund. Online attempts still pending are cancelled, superseded by it."""
    assert row.dossier is not None
    now = timezone.now()
    payment = Payment.objects.create(
        dossier=row.dossier,
        amount_vnd=row.amount_vnd,
        description=_("Thu hộ qua ngân hàng, hồ sơ %(code)s") % {"code": row.dossier.code},
        status=Payment.Status.PAID,
        provider=row.bank,
        reference=row.bank_ref,
        provider_ref=row.bank_ref,
        paid_at=now,
        finished_at=now,
        callback_data={"statement": row.statement_id, "booked_on": row.booked_on.isoformat()},
        needs_refund=bool(to_refund),
        refund_reason=to_refund,
    )
    if to_refund:
        return payment
    refusal = record_in_history(payment, now)
    if refusal is not None:
        payment.needs_refund, payment.refund_reason = True, str(refusal.message)
        payment.save(update_fields=["needs_refund", "refund_reason"])
        return payment
    pending = Payment.objects.select_for_update().filter(dossier=row.dossier, status=Payment.Status.PENDING)
    for attempt in pending:
        attempt.status, attempt.finished_at, attempt.superseded_by = Payment.Status.CANCELLED, now, payment
        attempt.save(update_fields=["status", "finished_at", "superseded_by"])
    return payment
