from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The stored response of a create request, so that a retried request replays it (no second dossier).

    Written in the same transaction as what the request created; the unique (user, key) constraint makes
    concurrent duplicates fail at insert, after which the winner's response is replayed.
    """

    key = models.CharField(_("khóa chống trùng"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(_("dấu vân tay yêu cầu (SHA-256)"), max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("khóa chống trùng yêu cầu")
        verbose_name_plural = _("khóa chống trùng yêu cầu")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]

    def __str__(self) -> str:
        return self.key
