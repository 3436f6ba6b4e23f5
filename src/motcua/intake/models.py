"""What intake keeps of dossiers delivered by the National Public Service Portal (DVCQG), and the state of
the portal's in-project stand-in (`intake.sandbox`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class InboundDossier(models.Model):
    """One dossier the portal delivered, once per portal code however often it is delivered (the unique
    code is what makes a second delivery, or two at once, create nothing more). `payload` is the portal's
    dossier as received, the files' contents replaced by their SHA-256 and size (the files themselves are
    stored with the dossier)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Chờ nhận")
        RECEIVED = "received", _("Đã nhận vào hệ thống")
        REJECTED = "rejected", _("Không nhận được")

    class Via(models.TextChoices):
        PULL = "pull", _("Lấy định kỳ")
        WEBHOOK = "webhook", _("Cổng gửi đến")

    portal_code = models.CharField(_("mã hồ sơ trên Cổng DVCQG"), max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    via = models.CharField(_("nhận qua"), max_length=10, choices=Via.choices)
    deliveries = models.PositiveIntegerField(_("số lần Cổng gửi"), default=1)
    payload = models.JSONField(null=True, blank=True)
    reason = models.TextField(_("lý do không nhận"), blank=True)
    last_error = models.TextField(blank=True)
    dossier = models.OneToOneField(
        Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="portal_inbound"
    )
    first_seen_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.TextField(blank=True)

    class Meta:
        verbose_name = _("hồ sơ nhận từ Cổng DVCQG")
        verbose_name_plural = _("hồ sơ nhận từ Cổng DVCQG")
        constraints = [models.UniqueConstraint(fields=["portal_code"], name="inbound_portal_code")]

    def __str__(self) -> str:
        return self.portal_code


class InboundCursor(models.Model):
    """Where the next pull of a portal starts (the cursor it answered last), and when it last pulled."""

    name = models.CharField(max_length=20, unique=True)
    cursor = models.CharField(max_length=200, blank=True)
    pulled_at = models.DateTimeField(null=True, blank=True)


class SandboxPortalDossier(models.Model):
    """A dossier submitted on the sandbox portal (test and demo data only), listed in `pk` order."""

    portal_code = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.JSONField(null=True, blank=True)


class SandboxPortalControl(models.Model):
    """The sandbox portal's test controls (one row): the next calls fail (HTTP 503) or answer too late; each
    dossier is listed twice; lists come in reverse order."""

    fail_next = models.PositiveIntegerField(default=0)
    slow_next = models.PositiveIntegerField(default=0)
    duplicate = models.BooleanField(default=False)
    reverse = models.BooleanField(default=False)
