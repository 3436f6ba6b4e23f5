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
