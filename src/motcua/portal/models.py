"""The portal's own records: applicants' profiles and online drafts (internal, not dossiers).

The ratings the portal takes are `quality.models.Rating`: quality reads them for Decision 766."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.dossiers.models import ApplicantKind


class Profile(models.Model):
    """Who a portal account is: a citizen (12-digit ID number) or a business (tax code).

    `core.User.citizen_id` holds 12 digits only and is not unique, so the identifier that makes an
    account unique, the ID number or the tax code, lives here (and a citizen's is copied to the user).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=ApplicantKind.choices)
    id_number = models.CharField(_("số định danh / mã số thuế"), max_length=14, unique=True)
    organisation_name = models.CharField(_("tên tổ chức, doanh nghiệp"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản dịch vụ công")
        verbose_name_plural = _("tài khoản dịch vụ công")

    def __str__(self) -> str:
        return self.id_number


class Draft(models.Model):
    """An online application being filled in: internal only, never a dossier until submitted.

    `data` holds the answers of each page and the ids of the validated `documents.StoredFile`s per
    procedure component: {"applicant": {...}, "receiving_unit": id, "files": {"<component id>": [ids]},
    "fees_seen": true}.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["user", "procedure"], name="one_draft_per_procedure")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.procedure_id}"
