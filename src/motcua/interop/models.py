from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.outbox.models import OutboxMessage


class Notification(models.Model):
    """A message sent to an applicant (email now; SMS/Zalo adapters later)."""

    dossier_code = models.CharField(max_length=40, db_index=True)
    channel = models.CharField(max_length=10, default="email")
    recipient = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    outbox_message = models.ForeignKey(
        OutboxMessage, null=True, on_delete=models.SET_NULL, related_name="notifications"
    )


class SyncRecord(models.Model):
    """One call to the National Public Service Portal (DVCQG) for a dossier: what was sent, and what came
    back. Pending: not sent yet (sync not configured: the payload is built when it is sent); failed: the
    portal or the network refused it (retried); sent: the portal accepted it (error_code 0); superseded: a
    DongBoHoSoMC never sent because a later one carried the dossier as it is now."""

    class Service(models.TextChoices):
        DONG_BO_HO_SO = "DongBoHoSoMC", "DongBoHoSoMC"
        CAP_NHAT_TIEN_DO = "CapNhatTienDoHoSoMC", "CapNhatTienDoHoSoMC"

    class Status(models.TextChoices):
        PENDING = "pending", _("Chưa gửi (chưa cấu hình kết nối)")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")
        SUPERSEDED = "superseded", _("Không gửi (đã gửi bản mới hơn của hồ sơ)")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="dvcqg_syncs", verbose_name=_("hồ sơ")
    )
    event = models.ForeignKey(
        "dossiers.DossierEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outbox_message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="dvcqg_syncs"
    )
    service = models.CharField(_("dịch vụ"), max_length=40, choices=Service.choices)
    payload = models.JSONField(_("dữ liệu gửi"), default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    response = models.TextField(_("phản hồi"), blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi thành công"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lượt đồng bộ DVCQG")
        verbose_name_plural = _("lịch sử đồng bộ DVCQG")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["service", "status", "dossier"], name="dvcqg_sync_sent")]
        constraints = [
            models.UniqueConstraint(fields=["outbox_message", "service"], name="dvcqg_sync_once_per_message")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.service} {self.status}"


class SandboxReceipt(models.Model):
    """A call received by the in-project DVCQG sandbox (`/lien-thong/dvcqg-sandbox/`), for tests and demos."""

    service = models.CharField(max_length=40)
    body = models.JSONField(default=dict)
    error_code = models.IntegerField(default=0)
    message = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt nhận của hộp cát DVCQG")
        verbose_name_plural = _("hộp cát DVCQG: dữ liệu đã nhận")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.service} {self.error_code}"
