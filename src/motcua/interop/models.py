from django.db import models


class OutboxMessage(models.Model):
    """A side effect recorded in the same transaction as the change that causes it (transactional outbox)."""

    topic = models.CharField(max_length=80, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField(db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["dispatched_at", "available_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.pk} {self.topic}"


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
