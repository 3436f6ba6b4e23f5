"""Online payments of a dossier's fees (integer VND)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Thanh toán không thành công")
        CANCELLED = "cancelled", _("Đã hủy thanh toán")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    provider = models.CharField(_("cổng thanh toán"), max_length=30)
    # Our reference, sent to the provider; the provider's own transaction number comes back in the callback.
    reference = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    provider_ref = models.CharField(_("mã giao dịch của cổng"), max_length=100, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The raw (verified) callback that settled the payment, kept for reconciliation with the provider.
    callback_data = models.JSONField(default=dict, blank=True)
    # Money taken that the dossier may not keep (withdrawn or refused meanwhile, already paid, more than
    # due): the payment is still recorded as paid, and the counter officer / administrator refunds it.
    needs_refund = models.BooleanField(_("cần hoàn tiền"), default=False, db_index=True)
    refund_reason = models.TextField(_("lý do hoàn tiền"), blank=True)
    # The payer gave this attempt up (left the provider's page) and started a new one: this one is cancelled
    # and kept for reconciliation; should the provider still report it paid, the money is recorded.
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("thay bằng giao dịch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at"]
        constraints = [
            # At most one paid payment kept per dossier: a second successful callback cannot double-charge
            # (it is recorded as paid and to be refunded).
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(status="paid", needs_refund=False),
                name="one_kept_paid_payment_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount_vnd} {self.status}"


class BankStatement(models.Model):
    """A statement of the Center's collection account imported by the accountant (CSV, the bank's XLSX,
    or ISO 20022 camt.053). A statement is stored only when it brings new lines: importing the same one
    again changes nothing (`bank.import_statement`, idempotent by the bank's reference of each line)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        CAMT053 = "camt053", "ISO 20022 camt.053"

    bank = models.CharField(_("ngân hàng"), max_length=30)
    account = models.CharField(_("số tài khoản"), max_length=40, blank=True)
    statement_id = models.CharField(_("số hiệu sao kê"), max_length=60, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    # Credit lines already imported (by an earlier statement, or twice in this file): not stored again.
    repeated_lines = models.PositiveIntegerField(_("số dòng đã nhập trước đó"), default=0)
    # Debit lines (the bank's charges, transfers out): no fee collected, not reconciled.
    debit_lines = models.PositiveIntegerField(_("số dòng ghi nợ"), default=0)

    class Meta:
        verbose_name = _("sao kê ngân hàng")
        verbose_name_plural = _("sao kê ngân hàng")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.bank} {self.statement_id or self.file_name}"


class BankLine(models.Model):
    """One credit of a bank statement and where reconciliation put it."""

    class Category(models.TextChoices):
        MATCHED = "matched", _("Khớp, đã ghi nhận thanh toán")
        UNMATCHED = "unmatched", _("Không tìm thấy hồ sơ")
        MISMATCH = "mismatch", _("Số tiền không khớp")
        DUPLICATE = "duplicate", _("Thu trùng (hồ sơ đã nộp đủ)")
        NOT_PAYABLE = "not_payable", _("Hồ sơ không nhận thanh toán")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    bank = models.CharField(_("ngân hàng"), max_length=30)
    bank_ref = models.CharField(_("số tham chiếu của ngân hàng"), max_length=40)
    booked_on = models.DateField(_("ngày hạch toán"), db_index=True)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    remittance = models.TextField(_("nội dung chuyển khoản"), blank=True)
    payer = models.CharField(_("người nộp"), max_length=255, blank=True)
    category = models.CharField(_("kết quả đối soát"), max_length=12, choices=Category.choices)
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_lines"
    )
    # The fee still due when the line was reconciled (None: no dossier, or a fee without a published amount).
    expected_vnd = models.BigIntegerField(_("số tiền phải nộp"), null=True, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_line"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dòng sao kê ngân hàng")
        verbose_name_plural = _("dòng sao kê ngân hàng")
        ordering = ["booked_on", "pk"]
        constraints = [
            # The bank's reference names one credit: a line imported again is never stored twice.
            models.UniqueConstraint(fields=["bank", "bank_ref"], name="bank_line_once_per_reference")
        ]

    def __str__(self) -> str:
        return f"{self.bank_ref} {self.amount_vnd} {self.category}"
