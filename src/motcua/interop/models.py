from django.conf import settings
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


class Exchange(models.Model):
    """One exchange over the data axis (LGSP, NGSP): a call the province made (one row per attempt) or a
    message it received (a ministry's callback). What went and what came back are kept as they were, so
    an operator can see every exchange of a dossier (`interop.axis`)."""

    class Direction(models.TextChoices):
        OUT = "out", _("Gửi đi")
        IN = "in", _("Nhận về")

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Đã gửi, được chấp nhận")
        REFUSED = "refused", _("Bị từ chối (không gửi lại)")
        FAILED = "failed", _("Lỗi phía nhận (sẽ gửi lại)")
        TIMEOUT = "timeout", _("Quá thời hạn chờ (sẽ gửi lại)")
        UNREACHABLE = "unreachable", _("Không kết nối được (sẽ gửi lại)")
        NOT_CONFIGURED = "not_configured", _("Chưa cấu hình trục: chưa gửi")
        RECEIVED = "received", _("Đã nhận")
        DUPLICATE = "duplicate", _("Nhận trùng (đã bỏ qua)")
        REJECTED = "rejected", _("Từ chối nhận (sai chữ ký hoặc dữ liệu)")

    service = models.CharField(_("dịch vụ"), max_length=60, db_index=True)
    axis = models.CharField(_("trục"), max_length=10)
    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="axis_exchanges",
        verbose_name=_("hồ sơ"),
    )
    outbox_message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="axis_exchanges"
    )
    url = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    request_body = models.TextField(_("dữ liệu gửi"), blank=True)
    response_body = models.TextField(_("dữ liệu nhận"), blank=True)
    http_status = models.PositiveSmallIntegerField(_("mã HTTP"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    attempt = models.PositiveSmallIntegerField(_("lần thử"), default=1)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, db_index=True)
    error = models.TextField(_("lỗi"), blank=True)
    idempotency_key = models.CharField(_("khóa chống trùng"), max_length=120, db_index=True)
    correlation_id = models.CharField(_("mã tương quan"), max_length=64, db_index=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lượt trao đổi qua trục")
        verbose_name_plural = _("nhật ký trao đổi qua trục LGSP/NGSP")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.direction} {self.service} {self.outcome}"


class MinistryCase(models.Model):
    """A dossier handed to a ministry's system (judicial records, business registration, driving
    licences) through the axis, and what came back: the ministry's own status (mapped to the dossier
    statuses of docs/domain.md), its reference and result number, the result file (`interop.ministries`)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENT = "sent", _("Đã gửi, bộ/ngành đã nhận")
        PROCESSING = "processing", _("Bộ/ngành đang xử lý")
        SUPPLEMENT = "supplement", _("Bộ/ngành yêu cầu bổ sung")
        RESULT = "result", _("Đã có kết quả")
        REFUSED = "refused", _("Bộ/ngành từ chối")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="ministry_cases", verbose_name=_("hồ sơ")
    )
    system = models.CharField(_("hệ thống"), max_length=10)
    state = models.CharField(_("tình trạng"), max_length=12, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người gửi")
    )
    requested_at = models.DateTimeField(_("gửi lúc"))
    remote_reference = models.CharField(_("mã hồ sơ bên bộ/ngành"), max_length=80, blank=True)
    remote_status = models.CharField(_("trạng thái bên bộ/ngành"), max_length=40, blank=True)
    mapped_status = models.PositiveSmallIntegerField(_("trạng thái tương ứng"), null=True, blank=True)
    result_number = models.CharField(_("số kết quả"), max_length=80, blank=True)
    result_file = models.ForeignKey(
        "documents.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tệp kết quả (đã ký số)"),
    )
    certificate_serial = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ liên thông bộ/ngành")
        verbose_name_plural = _("hồ sơ liên thông bộ/ngành")
        ordering = ["-requested_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["dossier", "system"], name="ministry_case_once")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.system} {self.state}"


class MinistryUpdate(models.Model):
    """One status message a ministry sent back for a case, once: a message delivered twice is kept once
    (`message_id` is the ministry's own id of the message, or a digest of it)."""

    case = models.ForeignKey(MinistryCase, on_delete=models.CASCADE, related_name="updates")
    message_id = models.CharField(max_length=120)
    remote_status = models.CharField(_("trạng thái bên bộ/ngành"), max_length=40)
    mapped_status = models.PositiveSmallIntegerField(_("trạng thái tương ứng"), null=True, blank=True)
    result_number = models.CharField(_("số kết quả"), max_length=80, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)
    applied = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("cập nhật từ bộ/ngành")
        verbose_name_plural = _("cập nhật từ bộ/ngành")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "message_id"], name="ministry_update_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.remote_status}"
