from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A side effect recorded in the same transaction as the change that causes it (transactional outbox).

    A worker claims a message by setting `claimed_until` (a lease); the others skip it until the lease ends,
    so a worker that dies mid-batch leaves its messages to be claimed again."""

    topic = models.CharField(_("loại thông điệp"), max_length=80, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    available_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    # The request that caused it (X-Request-ID, core.logs): its handler's log lines carry the same id.
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("thông điệp chờ xử lý")
        verbose_name_plural = _("hàng đợi tác vụ")
        db_table = "interop_outboxmessage"  # the table of the interop app it came from, kept with its rows
        ordering = ["pk"]
        indexes = [models.Index(fields=["dispatched_at", "available_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.pk} {self.topic}"
