"""Stored files (scans and uploads, stored once by content hash) and their link to dossier components."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import DossierComponent

sha256_validator = RegexValidator(r"^[0-9a-f]{64}$", _("Mã băm SHA-256 gồm 64 chữ số hệ 16."))

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    """`files/ab/cd/<sha256>.<ext>`: the path follows the content, never the client's file name."""
    digest = instance.sha256
    return f"files/{digest[:2]}/{digest[2:4]}/{digest}.{EXTENSIONS[instance.content_type]}"


class StoredFile(models.Model):
    """A file's bytes, stored once: the same content uploaded twice is the same row."""

    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True, validators=[sha256_validator])
    file = models.FileField(_("tệp"), upload_to=stored_file_path, max_length=200)
    content_type = models.CharField(
        _("kiểu tệp"), max_length=40, choices=[(t, t) for t in EXTENSIONS], editable=False
    )
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    page_count = models.PositiveIntegerField(_("số trang"), default=1)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm lưu"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tệp đã lưu")
        verbose_name_plural = _("tệp đã lưu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or self.sha256


class ComponentFile(models.Model):
    """A stored file attached to a component of a dossier: a counter scan, an online upload, a result."""

    class Kind(models.TextChoices):
        SCAN = "scan", _("Bản quét tại quầy")
        UPLOAD = "upload", _("Tải lên trực tuyến")
        RESULT = "result", _("Kết quả điện tử")

    dossier_component = models.ForeignKey(
        DossierComponent, verbose_name=_("thành phần hồ sơ"), on_delete=models.CASCADE, related_name="files"
    )
    stored_file = models.ForeignKey(
        StoredFile, verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.SCAN)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người số hóa"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    digitised_at = models.DateTimeField(_("thời điểm số hóa"))

    class Meta:
        verbose_name = _("tệp của thành phần hồ sơ")
        verbose_name_plural = _("tệp của thành phần hồ sơ")
        ordering = ["dossier_component", "digitised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier_component", "stored_file", "kind"], name="component_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_component_id}: {self.stored_file}"
