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


class ApiToken(models.Model):
    """A bearer token of the API (`Authorization: Token <key>`), valid until `expires_at` or revocation.

    Only the SHA-256 of the key is stored: the key is shown once, when issued (`api.tokens.issue`).
    """

    key_hash = models.CharField(_("SHA-256 của mã truy cập"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("đầu mã truy cập"), max_length=8, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    created_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
